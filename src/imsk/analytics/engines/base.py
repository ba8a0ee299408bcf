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
    """One data engine: connect, present a file as a raw table, materialise, drop.

    ``view``, when the engine has it, names an expression without computing it: a file whose columns
    already have their data set types (native Parquet) is then read in place on every query rather
    than copied into a table (:func:`imsk.analytics.loading.reads_in_place`).

    ``picks_by_key`` says the engine has the ``max_by``/``min_by`` aggregates (the value of the row
    with the largest or smallest key, in one pass). The "latest record" rules then use them; an
    engine without them (PostgreSQL) gets the same answer from a ``max`` over a packed 38-digit
    key (:mod:`imsk.analytics.kpis.facts`).
    """

    name: str
    connect: Callable[[str | None], Backend]
    read_raw: Callable[[Backend, str, Path], Table]
    materialise: Callable[[Backend, str, Table], Table]
    drop: Callable[[Backend, str], None]
    view: Callable[[Backend, str, Table], Table] | None = None
    picks_by_key: bool = False


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
