"""Loading a data set folder into an engine as typed tables.

A data set folder holds one file per table, ``<table>.csv`` or ``<table>.parquet``
(``shared/spec/dataset.md``, "Physical form"). Each file is loaded raw by the engine, then every
column is cast explicitly to its data set type (:mod:`imsk.analytics.schema`) and stored as a table of
the same name. Casting happens here, once, so a cell that cannot be cast is reported naming its table,
never silently turned into a null.

An optional column left out of a file is read as all nulls (the validator warns about it); a
required one missing is an error. An absent optional table becomes an empty table of the right
columns, so that expressions which use it only to exclude rows (an exit takes a request out of
the waiting list) still work; the KPI registry decides which KPIs report ``unavailable`` because
a table they need is absent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ibis

from imsk.analytics.engine import DEFAULT_ENGINE, Backend, Engine, engine_named
from imsk.analytics.schema import REQUIRED_TABLES, ROW_NUMBER, TABLES, is_required_column
from imsk.core.errors import DatasetError


@dataclass(frozen=True)
class Dataset:
    """A data set loaded into an engine: typed ibis tables, and which optional tables were given."""

    engine: Engine
    backend: Backend
    tables: dict[str, Any]
    present: frozenset[str]
    _stored: list[str] = field(default_factory=list)

    def table(self, name: str) -> Any:
        return self.tables[name]

    def store(self, expr: Any, purpose: str) -> Any:
        """Compute ``expr`` once into a table of the engine (for a derived table many KPIs read)."""
        name = f"derived_{purpose}_{len(self._stored)}"
        self._stored.append(name)
        return self.backend.create_table(name, expr)

    def release(self) -> None:
        """Drop the derived tables :meth:`store` made."""
        while self._stored:
            self.engine.drop_table(self.backend, self._stored.pop())


def table_files(folder: Path) -> dict[str, Path]:
    """The file of each table present in ``folder`` (``<table>.csv`` or ``<table>.parquet``)."""
    if not folder.is_dir():
        raise DatasetError(f"data set folder {folder} does not exist or is not a folder")
    found: dict[str, Path] = {}
    for name in TABLES:
        candidates = [folder / f"{name}.{ext}" for ext in ("csv", "parquet")]
        existing = [path for path in candidates if path.is_file()]
        if len(existing) > 1:
            raise DatasetError(
                f"table {name} is given twice ({name}.csv and {name}.parquet); keep one"
            )
        if existing:
            found[name] = existing[0]
    missing = [name for name in REQUIRED_TABLES if name not in found]
    if missing:
        raise DatasetError(f"required table(s) missing from {folder}: {', '.join(missing)}")
    return found


def load_dataset(folder: Path, engine: str = DEFAULT_ENGINE) -> Dataset:
    """Load every table of the data set folder into a fresh connection of ``engine``."""
    chosen = engine_named(engine)
    files = table_files(folder)
    backend = chosen.connect()
    tables: dict[str, Any] = {}
    for name, columns in TABLES.items():
        path = files.get(name)
        if path is None:
            tables[name] = ibis.memtable(_schema(columns).to_pyarrow().empty_table())
            continue
        loader = chosen.load_csv if path.suffix == ".csv" else chosen.load_parquet
        raw = loader(backend, f"{name}__file", path)
        tables[name] = _typed(backend, name, raw, columns)
        chosen.drop_table(backend, f"{name}__file")
    return Dataset(chosen, backend, tables, frozenset(files))


def _schema(columns: dict[str, str]) -> Any:
    return ibis.schema({ROW_NUMBER: "int64", **columns})


def _typed(backend: Backend, name: str, raw: Any, columns: dict[str, str]) -> Any:
    missing = [c for c in columns if c not in raw.columns and is_required_column(name, c)]
    if missing:
        raise DatasetError(f"table {name} has no column(s): {', '.join(missing)}")
    casts = {ROW_NUMBER: raw[ROW_NUMBER].cast("int64")}
    for column, kind in columns.items():
        if column not in raw.columns:
            # An optional column left out of the file: every value is unknown (the validator
            # reports it as a warning).
            casts[column] = ibis.null(kind)
            continue
        value = raw[column]
        if value.type().is_string():
            # Text cells (CSV, or Parquet written like CSV): an empty cell is null.
            value = value.nullif("")
        casts[column] = value.cast(kind)
    try:
        return backend.create_table(name, raw.select(**casts))
    except Exception as error:  # the engine's own cast error, whatever its class
        raise DatasetError(
            f"table {name} has a value that cannot be read as its data set type "
            f"(run `imsk validate` for the row and field): {error}"
        ) from error
