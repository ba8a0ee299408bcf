"""PostgreSQL, the clinical application's database: files are copied in with ``COPY``.

Each file is streamed into a session-temporary staging table of text columns by ``COPY ... FROM
STDIN (FORMAT csv)``; its ``file_row`` column is an identity column starting at 0, which ``COPY``
fills in file order. A Parquet file is streamed as CSV text batch by batch (pyarrow), so both forms
reach the same typed cast. The typed tables and derived tables are session-temporary too: nothing is
left in the database when the connection closes, and concurrent runs never see each other's rows.

``url`` (or ``DATABASE_URL``) is a ``postgresql://`` URL; the database is created when missing.
To compute over tables the application already has, see :func:`imsk.analytics.loading.open_dataset`.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import ibis
import psycopg
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
from psycopg import sql

from imsk.analytics.engines.base import Backend, Engine, Table, csv_header
from imsk.analytics.schema import ROW_NUMBER
from imsk.core.errors import DatasetError

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/imsk_analytics"
_CHUNK_BYTES = 1 << 20
_BATCH_ROWS = 100_000


def database_url(url: str | None) -> str:
    """``url``, else ``$DATABASE_URL``, else the local development database."""
    return url or os.environ.get("DATABASE_URL") or DEFAULT_URL


def connect(url: str | None) -> Backend:
    address = database_url(url)
    try:
        connection = psycopg.connect(address, autocommit=True)
    except psycopg.OperationalError as error:
        if "does not exist" not in str(error):
            raise DatasetError(f"cannot connect to PostgreSQL: {error}") from error
        _create_database(address)
        connection = psycopg.connect(address, autocommit=True)
    return ibis.postgres.from_connection(connection)


def _create_database(address: str) -> None:
    parts = urlsplit(address)
    name = parts.path.lstrip("/")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with (
        psycopg.connect(maintenance, autocommit=True) as connection,
        contextlib.suppress(psycopg.errors.DuplicateDatabase),  # made by another process
    ):
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def read_raw(backend: Backend, name: str, path: Path) -> Table:
    """COPY the file into a temporary text table with ``file_row`` in file order."""
    columns = _parquet_columns(path) if path.suffix == ".parquet" else csv_header(path)
    connection: psycopg.Connection[tuple[object, ...]] = backend.con
    table = sql.Identifier(name)
    column_list = sql.SQL(", ").join(sql.Identifier(c) for c in columns)
    definitions = sql.SQL(", ").join(sql.SQL("{} text").format(sql.Identifier(c)) for c in columns)
    try:
        connection.execute(
            sql.SQL(
                "CREATE TEMPORARY TABLE {} ({} bigint GENERATED ALWAYS AS IDENTITY "
                "(MINVALUE 0 START WITH 0), {})"
            ).format(table, sql.Identifier(ROW_NUMBER), definitions)
        )
        header = sql.SQL("true" if path.suffix == ".csv" else "false")
        copy = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT csv, HEADER {}, ENCODING 'UTF8')").format(
            table, column_list, header
        )
        with connection.cursor() as cursor, cursor.copy(copy) as stream:
            for chunk in _csv_chunks(path):
                stream.write(chunk)
    except psycopg.Error as error:
        raise DatasetError(f"cannot read {path.name}: {error}") from error
    return backend.table(name)


def _parquet_columns(path: Path) -> list[str]:
    return list(pq.read_schema(path).names)


def _csv_chunks(path: Path) -> Iterator[bytes]:
    """The file as CSV bytes: a CSV file as it is, a Parquet file converted batch by batch."""
    if path.suffix == ".csv":
        with path.open("rb") as handle:
            while chunk := handle.read(_CHUNK_BYTES):
                yield chunk
        return
    options = pa_csv.WriteOptions(include_header=False)
    for batch in pq.ParquetFile(path).iter_batches(batch_size=_BATCH_ROWS):
        sink = pa.BufferOutputStream()
        pa_csv.write_csv(pa.Table.from_batches([batch]), sink, options)
        yield sink.getvalue().to_pybytes()


def materialise(backend: Backend, name: str, expr: Table) -> Table:
    table = backend.create_table(name, expr, temp=True)
    # Autovacuum never analyses temporary tables: without statistics the planner guesses sizes
    # and picks nested loops over hash joins.
    connection: psycopg.Connection[tuple[object, ...]] = backend.con
    connection.execute(sql.SQL("ANALYZE {}").format(sql.Identifier(name)))
    return table


def drop(backend: Backend, name: str) -> None:
    connection: psycopg.Connection[tuple[object, ...]] = backend.con
    if not connection.closed:
        connection.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(sql.Identifier(name)))


ENGINE = Engine("postgres", connect, read_raw, materialise, drop)
