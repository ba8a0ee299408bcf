"""DuckDB, the embedded default engine: it reads CSV and Parquet files in place.

A Parquet file is presented as a view over ``read_parquet`` (``file_row`` is DuckDB's
``file_row_number``), so the typed table is the only copy of the data; with native types the typed
table is itself a view (:func:`view`), and the file the only copy. A CSV file is first read as
text into a table (``read_csv`` has no row number), whose ``rowid`` follows the file order because
DuckDB preserves insertion order; the typed table is then made from it and the text table dropped.
``url`` is a database file (a large data set then lives on disk rather than in memory); ``None``
opens an in-memory database. ``$IMSK_DUCKDB_MEMORY_LIMIT`` (DuckDB's syntax, e.g. ``3GB``) caps the
memory DuckDB uses; beyond it, joins and aggregates spill to a temporary directory.
"""

from __future__ import annotations

import os
from pathlib import Path

import ibis

from imsk.analytics.engines.base import Backend, Engine, Table, csv_header, quoted
from imsk.analytics.schema import ROW_NUMBER
from imsk.core.errors import DatasetError

_TEXT_SUFFIX = "__text"


def connect(url: str | None) -> Backend:
    backend = ibis.duckdb.connect(url or ":memory:")
    limit = os.environ.get("IMSK_DUCKDB_MEMORY_LIMIT")
    if limit:
        backend.con.execute("SET memory_limit = ?", [limit])
    # Row order is carried by ``file_row``, never by insertion order, so DuckDB may write tables
    # in parallel (much faster); only the CSV text copy below needs the order kept.
    backend.con.execute("SET preserve_insertion_order = false")
    return backend


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def read_raw(backend: Backend, name: str, path: Path) -> Table:
    """The file as a raw table: its columns as they are, plus ``file_row``.

    The SQL is built from our own table names and the file's path, quoted as SQL literals.
    """
    try:
        if path.suffix == ".parquet":
            scan = f"read_parquet({_literal(str(path))}, file_row_number = true)"
            columns = f"file_row_number AS {ROW_NUMBER}, * EXCLUDE (file_row_number)"
            source = f"SELECT {columns} FROM {scan}"  # noqa: S608
        else:
            source = _read_csv_as_text(backend, name, path)
        backend.con.execute(f"CREATE VIEW {quoted(name)} AS {source}")
        return backend.table(name)
    except Exception as error:  # the driver's own error, whatever its class
        raise DatasetError(f"cannot read {path.name}: {error}") from error


def _read_csv_as_text(backend: Backend, name: str, path: Path) -> str:
    """Every column as text (VARCHAR), RFC 4180 quoting, header row; returns the raw query."""
    columns = ", ".join(f"{_literal(c)}: 'VARCHAR'" for c in csv_header(path))
    text = quoted(name + _TEXT_SUFFIX)
    backend.con.execute("SET preserve_insertion_order = true")  # rowid = file order
    try:
        backend.con.execute(
            f"CREATE TABLE {text} AS SELECT * FROM read_csv({_literal(str(path))}, header = true, "  # noqa: S608
            "all_varchar = true, delim = ',', quote = '\"', escape = '\"', auto_detect = false, "
            f"encoding = 'utf-8', columns = {{{columns}}})"
        )
    finally:
        backend.con.execute("SET preserve_insertion_order = false")
    return f"SELECT rowid AS {ROW_NUMBER}, * FROM {text}"  # noqa: S608 (our own table name)


def materialise(backend: Backend, name: str, expr: Table) -> Table:
    """A temporary table: it lives as long as the connection and, even in a database file, is
    kept like an in-memory table (spilled to the temporary directory under the memory limit, never
    compressed and written to the file), which made writing the 10 million request facts about
    three times cheaper than a table of the file (figures: ``docs/performance.md``)."""
    return backend.create_table(name, expr, temp=True)


def view(backend: Backend, name: str, expr: Table) -> Table:
    return backend.create_view(name, expr)


def drop(backend: Backend, name: str) -> None:
    """Drop table or view ``name`` (and the text table of a CSV file read as ``name``)."""
    kinds = backend.con.execute(
        "SELECT table_name, table_type FROM information_schema.tables WHERE table_name IN (?, ?)",
        [name, name + _TEXT_SUFFIX],
    ).fetchall()
    for table, kind in sorted(kinds, key=lambda row: row[1] != "VIEW"):  # views first
        keyword = "VIEW" if kind == "VIEW" else "TABLE"
        backend.con.execute(f"DROP {keyword} IF EXISTS {quoted(table)}")


ENGINE = Engine("duckdb", connect, read_raw, materialise, drop, view, picks_by_key=True)
