"""Finding the table files of a data set folder and streaming their record batches.

A data set is a folder with one file per table, ``<table>.csv`` or ``<table>.parquet``
(``../shared/spec/dataset.md``, "Physical form"). CSV is read with Arrow's streaming reader: UTF-8
(a byte-order mark is tolerated), RFC 4180 quoting with line breaks inside quotes, LF or CRLF, a
header row, every column as text, and an empty cell as null (quoted or not). Parquet is read batch by
batch. Only the columns of the schema are read; the others are only named (``unknown_column``).

A file that cannot be read as a table at all (bytes that are not UTF-8, a record with the wrong number
of fields, an unterminated quote, a corrupt Parquet file) raises :class:`DatasetError` naming the file
and, for CSV, the line: the fast Arrow reader finds that something is wrong, and a slower pass with
Python's ``csv`` module, run only then, finds where.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Final

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from imsk.core.dataset import SCHEMA, Finding, FindingCode
from imsk.core.errors import DatasetError

FORMS: Final = ("csv", "parquet")
CSV_BLOCK_BYTES: Final = 8 << 20
PARQUET_BATCH_ROWS: Final = 256 * 1024


@dataclass(frozen=True)
class TableFile:
    """The one file holding ``table``."""

    table: str
    path: Path
    form: str


def locate_tables(folder: Path) -> tuple[dict[str, TableFile], list[Finding]]:
    """The table files in ``folder`` and the findings about its files (duplicates, unknown names)."""
    if not folder.is_dir():
        raise DatasetError(f"data set folder {folder} does not exist or is not a folder")
    found: dict[str, list[Path]] = {}
    findings: list[Finding] = []
    for path in sorted(folder.iterdir()):
        suffix = path.suffix.lower()
        if path.name.startswith(".") or suffix.lstrip(".") not in FORMS or not path.is_file():
            continue
        if path.stem in SCHEMA and path.suffix in (".csv", ".parquet"):
            found.setdefault(path.stem, []).append(path)
        else:
            known = ", ".join(SCHEMA)
            message = f"file {path.name} is not a table of the data set (tables: {known})"
            findings.append(Finding.of(FindingCode.UNKNOWN_FILE, path.stem, None, None, message))
    located: dict[str, TableFile] = {}
    for table, paths in found.items():
        if len(paths) > 1:
            names = " and ".join(p.name for p in paths)
            message = f"both {names} exist; keep one (the table was not read)"
            findings.append(Finding.of(FindingCode.DUPLICATE_FILE, table, None, None, message))
        else:
            located[table] = TableFile(table, paths[0], paths[0].suffix.lstrip("."))
    return located, findings


@dataclass(frozen=True)
class OpenTable:
    """A table file opened for streaming.

    ``header`` names every column of the file; ``types`` gives the Arrow type of each schema column
    present (text for CSV). A batch may carry one extra column when the file has no schema column
    (so that rows are still counted): select columns by name.
    """

    file: TableFile
    header: tuple[str, ...]
    types: dict[str, pa.DataType]
    batches: Iterator[pa.RecordBatch]


def open_table(file: TableFile) -> OpenTable:
    """Open ``file``, reading only the schema's columns that its header has."""
    if file.form == "csv":
        return _open_csv(file)
    return _open_parquet(file)


def _known_columns(file: TableFile, header: tuple[str, ...]) -> list[str]:
    duplicated = sorted({name for name in header if header.count(name) > 1})
    if duplicated:
        raise DatasetError(f"{file.path.name}: column(s) named twice in the header: {duplicated}")
    wanted = SCHEMA[file.table].column_names
    return [name for name in header if name in wanted]


def _text_lines(path: Path, stream: BinaryIO) -> Iterator[str]:
    """The lines of ``stream`` decoded as UTF-8 (a leading BOM dropped), failing on the bad line."""
    for number, line in enumerate(stream, start=1):
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as error:
            raise DatasetError(
                f"{path.name} line {number}: not UTF-8 text "
                f"({error.reason} at column {error.start + 1})"
            ) from None
        yield text.removeprefix("\ufeff") if number == 1 else text


def _csv_header(path: Path) -> tuple[str, ...]:
    with path.open("rb") as stream:
        reader = csv.reader(_text_lines(path, stream), strict=True)
        try:
            row = next(reader, None)
        except csv.Error as error:
            raise DatasetError(
                f"{path.name} line 1: the header is not valid CSV ({error})"
            ) from None
    if not row:
        raise DatasetError(f"{path.name} is empty: a header row naming the columns is required")
    return tuple(row)


def _open_csv(file: TableFile) -> OpenTable:
    header = _csv_header(file.path)
    columns = _known_columns(file, header)
    types: dict[str, pa.DataType] = dict.fromkeys(columns, pa.string())
    # Arrow reads every column when include_columns is empty: read the first one to count rows.
    included = columns or [header[0]]
    convert = pa_csv.ConvertOptions(
        column_types=dict.fromkeys(included, pa.string()),
        include_columns=included,
        strings_can_be_null=True,
        quoted_strings_can_be_null=True,
        null_values=[""],
        check_utf8=True,
    )
    parse = pa_csv.ParseOptions(newlines_in_values=True)
    read = pa_csv.ReadOptions(block_size=CSV_BLOCK_BYTES, use_threads=True)
    return OpenTable(file, header, types, _csv_batches(file.path, read, parse, convert))


def _csv_batches(
    path: Path,
    read: pa_csv.ReadOptions,
    parse: pa_csv.ParseOptions,
    convert: pa_csv.ConvertOptions,
) -> Iterator[pa.RecordBatch]:
    try:
        reader = pa_csv.open_csv(
            path, read_options=read, parse_options=parse, convert_options=convert
        )
        while True:
            try:
                batch = reader.read_next_batch()
            except StopIteration:
                return
            yield batch
    except (pa.ArrowException, OSError) as error:
        raise DatasetError(diagnose_csv(path, str(error))) from None


def diagnose_csv(path: Path, arrow_message: str) -> str:
    """Where ``path`` stops being readable CSV: ``<file> line N: <what is wrong>``."""
    with path.open("rb") as stream:
        reader = csv.reader(_text_lines(path, stream), strict=True)
        try:
            width = len(next(reader, []))
            for record in reader:
                if len(record) != width:
                    return (
                        f"{path.name} line {reader.line_num}: a record has {len(record)} field(s), "
                        f"the header has {width}"
                    )
        except csv.Error as error:
            return f"{path.name} line {reader.line_num}: not valid CSV ({error})"
        except DatasetError as error:
            return str(error)
    return f"{path.name}: cannot be read as CSV ({arrow_message})"


def _open_parquet(file: TableFile) -> OpenTable:
    try:
        parquet = pq.ParquetFile(file.path)
        schema = parquet.schema_arrow
    except (pa.ArrowException, OSError) as error:
        raise DatasetError(f"{file.path.name} is not a readable Parquet file ({error})") from None
    header = tuple(schema.names)
    columns = _known_columns(file, header)
    types = {name: schema.field(name).type for name in columns}
    included = columns or list(header[:1])
    return OpenTable(file, header, types, _parquet_batches(file.path, parquet, included))


def _parquet_batches(
    path: Path, parquet: pq.ParquetFile, columns: list[str]
) -> Iterator[pa.RecordBatch]:
    try:
        yield from parquet.iter_batches(batch_size=PARQUET_BATCH_ROWS, columns=columns)
    except (pa.ArrowException, OSError) as error:
        raise DatasetError(f"{path.name} cannot be read as Parquet ({error})") from None
