"""Data engines: where the KPI expressions run.

The KPI expressions are written once, in ibis, and do not know which engine runs them. The engine is
chosen here, at the edge, from the explicit registry :data:`ENGINES`. An engine knows four things:

* ``connect(url)``: open a connection (``url`` is the engine's own address: a PostgreSQL URL, a Spark
  master; ``None`` takes the default);
* ``read_raw(backend, name, path)``: present one data set file (CSV or Parquet) as a *raw* table:
  the columns as they are in the file plus ``file_row``, the 0-based data row number (file order
  breaks ties in the condition-code and outcome-measure rules). Lazily where the engine can read the
  file in place (DuckDB, Spark); PostgreSQL copies it (``COPY``) into a staging table;
* ``materialise(backend, name, expr)``: compute an expression once into a table of the engine (the
  typed data set tables and the derived per-request facts every KPI reads);
* ``drop(backend, name)``: drop a table :meth:`read_raw` or :meth:`materialise` made.

Casting every column to its data set type, and everything after (KPIs), is shared ibis code.
"""

from __future__ import annotations

from imsk.analytics.engines import duckdb_engine, postgres_engine, spark_engine
from imsk.analytics.engines.base import Backend, Engine, Table, csv_header
from imsk.core.errors import DatasetError

DEFAULT_ENGINE = "duckdb"

ENGINES: dict[str, Engine] = {
    "duckdb": duckdb_engine.ENGINE,
    "postgres": postgres_engine.ENGINE,
    "spark": spark_engine.ENGINE,
}


def engine_named(name: str) -> Engine:
    """The registered engine ``name``; a :class:`DatasetError` lists the known ones otherwise."""
    try:
        return ENGINES[name]
    except KeyError:
        known = ", ".join(sorted(ENGINES))
        raise DatasetError(f"unknown engine {name!r}; available: {known}") from None


__all__ = ["DEFAULT_ENGINE", "ENGINES", "Backend", "Engine", "Table", "csv_header", "engine_named"]
