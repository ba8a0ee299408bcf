"""What an engine is (see :mod:`imsk.analytics.engine`), and helpers every engine shares."""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from imsk.core.errors import DatasetError

Backend = Any  # ibis backends are untyped
Table = Any  # ibis tables are untyped


@dataclass(frozen=True)
class Engine:
    """One data engine: connect, present a file as a raw table, materialise, drop."""

    name: str
    connect: Callable[[str | None], Backend]
    read_raw: Callable[[Backend, str, Path], Table]
    materialise: Callable[[Backend, str, Table], Table]
    drop: Callable[[Backend, str], None]


def csv_header(path: Path) -> list[str]:
    """The column names of a CSV file's header row (a UTF-8 byte order mark is ignored)."""
    with path.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle), None)
    if not header:
        raise DatasetError(f"{path.name} has no header row")
    return [column.lstrip("\ufeff").strip() for column in header]


def quoted(name: str) -> str:
    """``name`` as a double-quoted SQL identifier (our own table names, never user input)."""
    return '"' + name.replace('"', '""') + '"'
