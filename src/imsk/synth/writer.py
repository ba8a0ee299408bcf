"""Writing the data set folder: one file per table, CSV or Parquet, appended chunk by chunk.

CSV is written by ``pyarrow.csv`` (UTF-8, header row, comma separator, LF line ends, no quotes: no
generated value holds a comma, quote or line break, and pyarrow refuses to write one unquoted);
native timestamp and date columns are first written as the CSV cells
(:func:`imsk.synth.columns.as_text`). Parquet keeps the native types (the data set's "native Parquet
types"): timestamps without time zone, ``date32`` dates, 64-bit integers, booleans, doubles; the
identifiers, enums and months are strings (enums dictionary-encoded). Readers then take them without
parsing text.
Writing runs on a background thread so the next chunk is drawn while the last one is written.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from types import TracebackType

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from imsk.synth import columns

FORMATS = ("csv", "parquet")


class DatasetWriter:
    """Appends tables to ``<folder>/<table>.<format>``; rows written so far are counted per table."""

    def __init__(self, folder: Path, file_format: str) -> None:
        self.folder = folder
        self.format = file_format
        self.rows: dict[str, int] = {}
        self._writers: dict[str, pacsv.CSVWriter | pq.ParquetWriter] = {}
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="imsk-synth-writer")
        self._pending: list[Future[None]] = []

    def path(self, table: str) -> Path:
        return self.folder / f"{table}.{self.format}"

    def write(self, tables: dict[str, pa.Table]) -> None:
        """Queue one chunk of every table; waits while an earlier chunk is still being written."""
        while len(self._pending) > 1:
            self._pending.pop(0).result()
        for name, table in tables.items():
            self.rows[name] = self.rows.get(name, 0) + table.num_rows
        self._pending.append(self._pool.submit(self._write_now, tables))

    def _write_now(self, tables: dict[str, pa.Table]) -> None:
        for name, native in tables.items():
            table = native if self.format == "parquet" else columns.as_text(native)
            writer = self._writers.get(name)
            if writer is None:
                writer = self._open(name, table.schema)
                self._writers[name] = writer
            writer.write_table(table)

    def _open(self, name: str, schema: pa.Schema) -> pacsv.CSVWriter | pq.ParquetWriter:
        if self.format == "parquet":
            return pq.ParquetWriter(self.path(name), schema, compression="zstd")
        options = pacsv.WriteOptions(include_header=True, quoting_style="none")
        return pacsv.CSVWriter(self.path(name), schema, write_options=options)

    def close(self) -> None:
        for future in self._pending:
            future.result()
        self._pending.clear()
        self._pool.shutdown(wait=True)
        for writer in self._writers.values():
            writer.close()
        self._writers.clear()

    def __enter__(self) -> DatasetWriter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()
