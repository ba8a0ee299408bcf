"""Apache Spark (PySpark), the distributed engine, through ibis's PySpark backend.

Spark reads each file itself: a CSV file with every column as text (header row, RFC 4180 quoting
with doubled quotes, quoted line breaks allowed), a Parquet file as it is. ``file_row`` numbers the
rows 0, 1, 2... in the order of ``monotonically_increasing_id()``, which follows the file (a file is
split into partitions in order); numbering needs one ordered pass, which is fine on one machine but
would be the first thing to revisit on a cluster. Typed and derived tables are cached DataFrames
registered as temporary views, computed once (``cache`` then ``count``, so a cell that cannot be
cast stops the load naming its table, as on the other engines; Spark runs in ANSI mode).

``url`` is the Spark master; ``None`` runs Spark in this process on two cores (``local[2]``) with
few shuffle partitions, as suits one machine. The session is shared by every connection of the
process (Spark allows one per process).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ibis

from imsk.analytics.engines.base import Backend, Engine, Table
from imsk.analytics.schema import ROW_NUMBER
from imsk.core.errors import DatasetError

DEFAULT_MASTER = "local[2]"
SHUFFLE_PARTITIONS = 4

_SETTINGS = {
    "spark.sql.shuffle.partitions": str(SHUFFLE_PARTITIONS),
    "spark.default.parallelism": str(SHUFFLE_PARTITIONS),
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.ansi.enabled": "true",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.driver.memory": "2g",
}


def session(master: str | None = None) -> Any:
    """The process's Spark session (created on first use)."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.master(master or DEFAULT_MASTER).appName("imsk-kpi")
    for key, value in _SETTINGS.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def connect(url: str | None) -> Backend:
    return ibis.pyspark.connect(session(url))


def read_raw(backend: Backend, name: str, path: Path) -> Table:
    from pyspark.sql import Window, functions

    spark = backend._session
    try:
        if path.suffix == ".parquet":
            frame = spark.read.parquet(str(path))
        else:
            frame = spark.read.csv(
                str(path),
                header=True,
                inferSchema=False,
                multiLine=True,
                quote='"',
                escape='"',
                encoding="UTF-8",
                mode="FAILFAST",
            )
        in_file_order = Window.orderBy(functions.monotonically_increasing_id())
        frame = frame.select(
            (functions.row_number().over(in_file_order) - 1).alias(ROW_NUMBER), "*"
        )
        frame.createOrReplaceTempView(name)
    except Exception as error:  # Spark's own error, whatever its class
        raise DatasetError(f"cannot read {path.name}: {error}") from error
    return backend.table(name)


def materialise(backend: Backend, name: str, expr: Table) -> Table:
    # A DataFrame's view keeps its resolved plan, so it outlives the raw view it was read from.
    backend._run_pre_execute_hooks(expr)  # registers the in-memory tables (calendar, codes)
    frame = backend._session.sql(backend.compile(expr)).cache()
    frame.count()  # compute now: errors surface here, and every later read is cached
    frame.createOrReplaceTempView(name)
    _CACHED[name] = frame
    return backend.table(name)


def drop(backend: Backend, name: str) -> None:
    spark = backend._session
    frame = _CACHED.pop(name, None)
    if frame is not None:
        frame.unpersist()
    spark.catalog.dropTempView(name)


_CACHED: dict[str, Any] = {}


ENGINE = Engine("spark", connect, read_raw, materialise, drop, picks_by_key=True)
