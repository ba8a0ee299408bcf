"""Arrow columns built from numpy arrays without a Python loop per row.

The generator keeps every value as a number (minutes since 1970 for timestamps, days since 1970 for
dates, small integers for enum values) and turns whole columns into Arrow columns at the end.
Timestamps and dates are native Arrow columns (:func:`timestamp_values`: microseconds, no time zone,
local time as the data set says; :func:`date_values`: ``date32``), which Parquet stores as native
types that readers take without parsing; :func:`as_text` turns them into the CSV cells
(``YYYY-MM-DDTHH:MM``, ``YYYY-MM-DD``) for CSV files and for error injection. Fixed-width text
(identifiers, those timestamps and dates, item strings) is written as an ASCII byte matrix and
wrapped as an Arrow string array over the same buffer, which is what lets ten million requests be
written in seconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any, TypeAlias, cast

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

MINUTES_PER_DAY = 1440
_ZERO = ord("0")

IntArray = NDArray[np.int64]
Arrow: TypeAlias = "pa.Array[Any]"  # an Arrow column of any type
BoolArray = NDArray[np.bool_]


def _validity(valid: BoolArray | None) -> pa.Buffer | None:
    if valid is None or bool(valid.all()):
        return None
    return pa.py_buffer(np.packbits(valid, bitorder="little").tobytes())


def text_from_matrix(matrix: NDArray[np.uint8], valid: BoolArray | None = None) -> Arrow:
    """One string per row of an ``(n, width)`` ASCII byte matrix; ``valid = False`` gives null."""
    count, width = matrix.shape
    offsets = np.arange(count + 1, dtype=np.int32) * width
    data = np.ascontiguousarray(matrix)
    nulls = _validity(valid)
    null_count = -1 if nulls is not None else 0
    return pa.StringArray.from_buffers(
        count, pa.py_buffer(offsets), pa.py_buffer(data.tobytes()), nulls, null_count
    )


@cache
def _four_digits() -> NDArray[np.uint8]:
    """ASCII of 0000..9999, one row each: numbers are written four digits per lookup."""
    values = np.arange(10_000)
    return np.stack([(values // 10**p) % 10 + _ZERO for p in (3, 2, 1, 0)], axis=1).astype(np.uint8)


def gather_rows(table: NDArray[np.uint8], index: IntArray) -> NDArray[np.uint8]:
    """``table[index]`` for a byte matrix, copying whole rows at once (rows viewed as one value)."""
    width = table.shape[1]
    rows = np.ascontiguousarray(table).view(f"V{width}").reshape(-1)
    return rows[index].view(np.uint8).reshape(-1, width)


def digit_matrix(values: IntArray, width: int) -> NDArray[np.uint8]:
    """Zero-padded decimal digits of non-negative integers, one row per value."""
    table = _four_digits()
    out = np.empty((values.shape[0], width), dtype=np.uint8)
    rest = values.astype(np.int64, copy=True)
    right = width
    while right > 0:
        take = min(4, right)
        rest, block = np.divmod(rest, 10_000)
        out[:, right - take : right] = gather_rows(table, block)[:, 4 - take :]
        right -= take
    return out


def prefixed(prefix: str, body: NDArray[np.uint8]) -> NDArray[np.uint8]:
    """Rows of ``body`` after the ASCII ``prefix``."""
    out = np.empty((body.shape[0], len(prefix) + body.shape[1]), dtype=np.uint8)
    out[:, : len(prefix)] = np.frombuffer(prefix.encode("ascii"), dtype=np.uint8)
    out[:, len(prefix) :] = body
    return out


def identifiers(
    prefix: str, numbers: IntArray, width: int, valid: BoolArray | None = None
) -> Arrow:
    """``prefix`` followed by ``numbers`` zero-padded to ``width`` digits (``R000000042``)."""
    safe = numbers if valid is None else np.where(valid, numbers, 0)
    return text_from_matrix(prefixed(prefix, digit_matrix(safe, width)), valid)


def hex_identifiers(prefix: str, values: NDArray[np.uint64]) -> Arrow:
    """``prefix`` followed by 16 lower-case hex digits of each value (pseudonymised keys)."""
    alphabet = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
    nibbles = np.empty((values.shape[0], 16), dtype=np.uint8)
    rest = values.copy()
    for position in range(15, -1, -1):
        nibbles[:, position] = alphabet[(rest & np.uint64(15)).astype(np.int64)]
        rest >>= np.uint64(4)
    return text_from_matrix(prefixed(prefix, nibbles))


def _date_parts(days: IntArray) -> tuple[IntArray, IntArray, IntArray]:
    as_days = days.astype("datetime64[D]")
    month_start = as_days.astype("datetime64[M]")
    year = month_start.astype("datetime64[Y]").astype(np.int64) + 1970
    month = month_start.astype(np.int64) % 12 + 1
    day = (as_days - month_start).astype(np.int64) + 1
    return year, month, day


def _date_rows(days: IntArray) -> NDArray[np.uint8]:
    year, month, day = _date_parts(days)
    out = np.full((days.shape[0], 10), ord("-"), dtype=np.uint8)
    out[:, 0:4] = digit_matrix(year, 4)
    out[:, 5:7] = digit_matrix(month, 2)
    out[:, 8:10] = digit_matrix(day, 2)
    return out


def _date_matrix(days: IntArray) -> NDArray[np.uint8]:
    """``YYYY-MM-DD`` rows, formatted once per distinct day and gathered."""
    if days.shape[0] == 0:
        return np.zeros((0, 10), dtype=np.uint8)
    first = int(days.min())
    table = _date_rows(np.arange(first, int(days.max()) + 1, dtype=np.int64))
    return gather_rows(table, days - first)


@cache
def _clock_table() -> NDArray[np.uint8]:
    """``THH:MM`` for every minute of the day."""
    hour, minute = np.divmod(np.arange(MINUTES_PER_DAY, dtype=np.int64), 60)
    out = np.full((MINUTES_PER_DAY, 6), ord(":"), dtype=np.uint8)
    out[:, 0] = ord("T")
    out[:, 1:3] = digit_matrix(hour, 2)
    out[:, 4:6] = digit_matrix(minute, 2)
    return out


def dates(days: IntArray, valid: BoolArray | None = None) -> Arrow:
    """``YYYY-MM-DD`` text of days since 1970-01-01."""
    safe = days if valid is None else np.where(valid, days, days[valid].min() if valid.any() else 0)
    return text_from_matrix(_date_matrix(safe), valid)


def timestamps(minutes: IntArray, valid: BoolArray | None = None) -> Arrow:
    """``YYYY-MM-DDTHH:MM`` text of minutes since 1970-01-01T00:00 (local time, no offset)."""
    if valid is not None:
        fill = minutes[valid].min() if valid.any() else 0
        minutes = np.where(valid, minutes, fill)
    days, minute_of_day = np.divmod(minutes, MINUTES_PER_DAY)
    out = np.empty(minutes.shape[0], dtype=[("date", "V10"), ("clock", "V6")])
    out["date"] = _date_matrix(days).view("V10").reshape(-1)
    out["clock"] = gather_rows(_clock_table(), minute_of_day).view("V6").reshape(-1)
    return text_from_matrix(out.view(np.uint8).reshape(-1, 16), valid)


MICROSECONDS_PER_MINUTE = 60_000_000


def timestamp_values(minutes: IntArray, valid: BoolArray | None = None) -> Arrow:
    """Native timestamps (microseconds, no time zone) of minutes since 1970-01-01T00:00 local time."""
    data = (minutes.astype(np.int64) * MICROSECONDS_PER_MINUTE).view("datetime64[us]")
    return pa.array(data, pa.timestamp("us"), mask=None if valid is None else ~valid)


def date_values(days: IntArray, valid: BoolArray | None = None) -> Arrow:
    """Native dates (``date32``) of days since 1970-01-01."""
    data = days.astype(np.int32)
    return pa.array(data, pa.date32(), mask=None if valid is None else ~valid)


def _as_text_column(column: Arrow) -> Arrow:
    """A native timestamp or date column as its CSV text (any other column unchanged)."""
    kind = column.type
    if not (pa.types.is_timestamp(kind) or pa.types.is_date32(kind)):
        return column
    valid = np.asarray(column.is_valid().to_numpy(zero_copy_only=False), dtype=np.bool_)
    if pa.types.is_date32(kind):
        days = np.asarray(column.cast(pa.int32()).fill_null(0).to_numpy(), dtype=np.int64)
        return dates(days, None if valid.all() else valid)
    ticks = np.asarray(column.cast(pa.timestamp("us")).cast(pa.int64()).fill_null(0).to_numpy())
    minutes = ticks.astype(np.int64) // MICROSECONDS_PER_MINUTE
    return timestamps(minutes, None if valid.all() else valid)


def as_text(table: pa.Table) -> pa.Table:
    """``table`` with its native timestamp and date columns written as the CSV cells are."""
    if not any(pa.types.is_timestamp(t) or pa.types.is_date32(t) for t in table.schema.types):
        return table
    data = {
        name: _as_text_column(table.column(name).combine_chunks()) for name in table.column_names
    }
    return pa.table(data)


def months(days: IntArray) -> Arrow:
    """``YYYY-MM`` text of the month of each day."""
    return text_from_matrix(_date_matrix(days)[:, :7])


def labels(
    values: Sequence[str], codes: NDArray[np.integer], valid: BoolArray | None = None
) -> Arrow:
    """Text of enum codes: ``values[code]``; ``valid = False`` (or a negative code) gives null.

    The column is dictionary-encoded (one small dictionary, 32-bit indices): both writers render it
    as plain text, and it costs no per-row string building.
    """
    mask = codes >= 0 if valid is None else valid & (codes >= 0)
    indices = cast(
        "pa.Int32Array",
        pa.array(np.where(mask, codes, 0).astype(np.int32), mask=None if mask.all() else ~mask),
    )
    dictionary = pa.array(list(values), type=pa.string())
    return pa.DictionaryArray.from_arrays(indices, dictionary)


def integers(values: NDArray[np.integer], valid: BoolArray | None = None) -> Arrow:
    """A nullable 64-bit integer column."""
    data = values.astype(np.int64)
    return pa.array(data) if valid is None else pa.array(data, mask=~valid)


def booleans(values: BoolArray, valid: BoolArray | None = None) -> Arrow:
    """A nullable boolean column (written ``true`` / ``false``)."""
    return pa.array(values) if valid is None else pa.array(values, mask=~valid)


def numbers(values: NDArray[np.floating], valid: BoolArray | None = None) -> Arrow:
    """A nullable floating-point column."""
    data = values.astype(np.float64)
    return pa.array(data) if valid is None else pa.array(data, mask=~valid)
