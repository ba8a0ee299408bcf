"""Loading a data set folder into an engine as typed tables, or opening tables already there.

A data set folder holds one file per table, ``<table>.csv`` or ``<table>.parquet``
(``shared/spec/dataset.md``, "Physical form"). The engine presents each file as a raw table
(:mod:`imsk.analytics.engine`); every column is then cast explicitly to its data set type
(:mod:`imsk.analytics.schema`) and the result stored once as a table of the engine. Casting happens
here, once, so a cell that cannot be cast is reported naming its table, never silently turned into
a null. A file whose columns already hold their types (Parquet with native types, as ``imsk synth``
writes) cannot fail a cast: where the engine can (DuckDB), it is then read in place by every query,
only the columns that query uses, and never copied (:func:`reads_in_place`).

An optional column left out of a file is read as all nulls (the validator warns about it); a
required one missing is an error. An absent optional table becomes an empty table of the right
columns, so that expressions which use it only to exclude rows (an exit takes a request out of
the waiting list) still work; the KPI registry decides which KPIs report ``unavailable`` because
a table they need is absent.

:func:`open_dataset` reads tables (or views) that are already in a database schema and named like
the data set, as the clinical application presents its records; nothing is copied.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ibis

from imsk.analytics.engine import DEFAULT_ENGINE, Backend, Engine, engine_named
from imsk.analytics.schema import REQUIRED_TABLES, ROW_NUMBER, TABLES, is_required_column
from imsk.core.errors import DatasetError

#: Tables whose rule needs the record order (ties: condition codes and outcome measures).
ORDERED_TABLES = ("condition_codes", "measures")

_LOADS = itertools.count(1)


@dataclass
class Dataset:
    """A data set in an engine: typed ibis tables, and which optional tables were given.

    Derived tables (:meth:`store`) are dropped by :meth:`release`; :meth:`close`
    also drops the tables a load made.
    """

    engine: Engine
    backend: Backend
    tables: dict[str, Any]
    present: frozenset[str]
    prefix: str = ""
    _loaded: list[str] = field(default_factory=list)
    _stored: list[str] = field(default_factory=list)
    _memo: dict[str, Any] = field(default_factory=dict)

    def table(self, name: str) -> Any:
        return self.tables[name]

    def memo(self, key: str, build: Callable[[], Any]) -> Any:
        """``build()``, computed once per data set (a value that depends on the data set only, not on
        the period: it is shared by every report of every period until :meth:`release`).

        Open a data set for one computation and close it after: tables opened in place
        (:func:`open_dataset`, the clinical application's views) change as records are written,
        and what is kept here would not follow them.
        """
        if key not in self._memo:
            self._memo[key] = build()
        return self._memo[key]

    def store(self, expr: Any, purpose: str) -> Any:
        """Compute ``expr`` once into a table of the engine (for a derived table many KPIs read)."""
        name = f"{self.prefix}derived_{purpose}_{len(self._stored)}"
        self._stored.append(name)
        try:
            return self.engine.materialise(self.backend, name, expr)
        except Exception as error:  # the engine's own error, whatever its class
            raise DatasetError(f"cannot compute the derived table {purpose}: {error}") from error

    def discard(self, table: Any) -> None:
        """Drop one derived table :meth:`store` made, once nothing reads it any more."""
        name = table.get_name()
        if name in self._stored:
            self._stored.remove(name)
            self.engine.drop(self.backend, name)

    def release(self) -> None:
        """Drop the derived tables :meth:`store` made (and forget what :meth:`memo` kept)."""
        self._memo.clear()
        while self._stored:
            self.engine.drop(self.backend, self._stored.pop())

    def close(self) -> None:
        """Drop every table this data set made in the engine (loaded and derived)."""
        self.release()
        while self._loaded:
            self.engine.drop(self.backend, self._loaded.pop())


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


def load_dataset(
    folder: Path,
    engine: str = DEFAULT_ENGINE,
    url: str | None = None,
    *,
    backend: Backend | None = None,
) -> Dataset:
    """Load every table of the data set folder into ``engine``.

    ``url`` is the engine's address (PostgreSQL URL, DuckDB database file, Spark master); ``None``
    takes the engine's default. ``backend``, an open connection of that engine, is used instead of
    a new one. The engine's tables are named ``imsk<n>_<table>`` so that several data sets can share
    one connection or Spark session (:meth:`Dataset.close` drops them).
    """
    chosen = engine_named(engine)
    files = table_files(folder)
    backend = backend if backend is not None else chosen.connect(url)
    dataset = Dataset(chosen, backend, {}, frozenset(files), prefix=f"imsk{next(_LOADS)}_")
    try:
        for name, columns in TABLES.items():
            path = files.get(name)
            dataset.tables[name] = (
                empty_table(columns) if path is None else _load(dataset, name, path, columns)
            )
    except BaseException:
        dataset.close()
        raise
    return dataset


def _load(dataset: Dataset, name: str, path: Path, columns: dict[str, str]) -> Any:
    engine, backend = dataset.engine, dataset.backend
    raw_name = f"{dataset.prefix}{name}_file"
    raw = engine.read_raw(backend, raw_name, path)
    stored_name = f"{dataset.prefix}{name}"
    in_place = engine.view is not None and reads_in_place(raw, columns)
    try:
        typed = typed_select(name, raw, columns, row_number=raw[ROW_NUMBER])
        if in_place and engine.view is not None:
            table = engine.view(backend, stored_name, typed)
            dataset._loaded.extend((raw_name, stored_name))  # dropped in reverse order
            return table
        try:
            table = engine.materialise(backend, stored_name, typed)
        except Exception as error:  # the engine's own cast error, whatever its class
            raise DatasetError(
                f"table {name} has a value that cannot be read as its data set type "
                f"(run `imsk validate` for the row and field): {error}"
            ) from error
        dataset._loaded.append(stored_name)
        return table
    finally:
        if not in_place:
            engine.drop(backend, raw_name)


def reads_in_place(raw: Any, columns: dict[str, str]) -> bool:
    """Whether every column of ``raw`` already holds its data set type, so no cell can fail its cast.

    True of Parquet files with native types (timestamps without time zone, dates, integers,
    booleans, doubles, strings for the text types): the engine then reads the file where it is, on
    every query, instead of copying it into a table first (only the columns a query uses are read).
    A text column that must be parsed (a timestamp written like the CSV cell) makes the table be
    copied once, so that a cell that cannot be read is reported at load, naming its table.
    """
    types = raw.schema()
    for column, kind in columns.items():
        if column not in types:
            continue
        have, want = types[column], ibis.dtype(kind)
        if have.is_timestamp() and want.is_timestamp():
            if have.timezone is not None:
                return False
        elif have.is_integer() and want.is_integer():
            if have.is_uint64():
                return False  # may not fit in int64
        elif have.is_floating() and want.is_floating():
            continue
        elif type(have) is not type(want):
            return False
    return True


def open_dataset(engine: str, url: str | None = None, schema: str | None = None) -> Dataset:
    """The data set tables (or views) already in ``schema`` of the database at ``url``.

    Each table must be named like the data set table (``requests``, ``contacts``...) and have its
    columns; types are cast as for files. ``condition_codes`` and ``measures`` must also have
    ``file_row``, an integer giving the record order (e.g. the primary key), because their rules
    break ties by it. Optional tables that are not there are absent.
    """
    chosen = engine_named(engine)
    backend = chosen.connect(url)
    existing = set(backend.list_tables(database=schema))
    missing = [name for name in REQUIRED_TABLES if name not in existing]
    if missing:
        raise DatasetError(f"required table(s) missing from schema {schema}: {', '.join(missing)}")
    tables: dict[str, Any] = {}
    for name, columns in TABLES.items():
        if name not in existing:
            tables[name] = empty_table(columns)
            continue
        raw = backend.table(name, database=schema)
        if ROW_NUMBER in raw.columns:
            row_number = raw[ROW_NUMBER]
        elif name in ORDERED_TABLES:
            raise DatasetError(f"table {name} has no column {ROW_NUMBER} (the record order)")
        else:
            row_number = ibis.literal(0, "int64")
        tables[name] = typed_select(name, raw, columns, row_number=row_number)
    return Dataset(chosen, backend, tables, frozenset(n for n in TABLES if n in existing))


def empty_table(columns: dict[str, str]) -> Any:
    """An empty table with the columns of a data set table (for an absent optional table)."""
    return ibis.memtable(ibis.schema({ROW_NUMBER: "int64", **columns}).to_pyarrow().empty_table())


def typed_select(name: str, raw: Any, columns: dict[str, str], *, row_number: Any) -> Any:
    """``raw`` with every data set column cast to its type; an empty text cell becomes null."""
    missing = [c for c in columns if c not in raw.columns and is_required_column(name, c)]
    if missing:
        raise DatasetError(f"table {name} has no column(s): {', '.join(missing)}")
    casts = {ROW_NUMBER: row_number.cast("int64")}
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
        casts[column] = value if value.type() == ibis.dtype(kind) else value.cast(kind)
    return raw.select(**casts)
