"""Turning a column as it arrives (CSV text, Parquet text or a native Parquet type) into one type.

Every column of the data set has one canonical Arrow type (:data:`ARROW_TYPES`): text for strings and
enums, ``date32`` for dates and months (a month is its first day), ``timestamp[s]`` (naive local
time) for timestamps, ``int64``, ``float64`` and ``bool``. :func:`normalise` converts one batch of a
column and says which non-null values were not of the type; those become null in the result and a
``bad_<type>`` finding. Text is parsed with the patterns of :mod:`imsk.core.dataset.values`, and the
year, month, day, hour, minute and second of each parsed date or timestamp are compared with the
digits written, which rejects what Arrow's ``strptime`` would silently roll over (``2025-02-30``,
``10:00:60``). So CSV and Parquet give the same
values and the same findings. The KPI engine can read tables through :func:`arrow_schema` to cast the
same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import pyarrow as pa

from imsk.core.dataset import Column, ColumnType, Table
from imsk.core.dataset.values import (
    BOOLEAN_TEXT,
    DATE_PATTERN,
    INTEGER_PATTERN,
    MONTH_PATTERN,
    NUMBER_PATTERN,
    TIMESTAMP_PATTERN,
)
from imsk.dataio.dataset.arrow import Arr, pa_any, pc

ARROW_TYPES: Final[dict[ColumnType, pa.DataType]] = {
    ColumnType.STRING: pa.string(),
    ColumnType.ENUM: pa.string(),
    ColumnType.DATE: pa.date32(),
    ColumnType.TIMESTAMP: pa.timestamp("s"),
    ColumnType.INTEGER: pa.int64(),
    ColumnType.NUMBER: pa.float64(),
    ColumnType.BOOLEAN: pa.bool_(),
    ColumnType.MONTH: pa.date32(),
}

_INT64_MAX: Final = 2**63 - 1
_SECONDS_FORMAT: Final = "%Y-%m-%dT%H:%M:%S"
_MINUTES_FORMAT: Final = "%Y-%m-%dT%H:%M"


def arrow_schema(table: Table) -> pa.Schema:
    """The canonical Arrow schema of ``table`` (every column, in specification order)."""
    return pa.schema([pa.field(c.name, ARROW_TYPES[c.type]) for c in table.columns])


@dataclass(frozen=True)
class Normalised:
    """One batch of one column: ``values`` in the canonical type (null where the input was null or
    not of the type), ``bad`` true where a non-null input was not of the type (``None`` when no value
    can be bad), and ``raw``, the input as it came (text for messages)."""

    values: Arr
    bad: Arr | None
    raw: Arr


def _is_text(arrow_type: pa.DataType) -> bool:
    if pa.types.is_dictionary(arrow_type):
        return _is_text(arrow_type.value_type)
    return bool(pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type))


def _native_ok(column_type: ColumnType, t: pa.DataType) -> bool:
    if column_type is ColumnType.DATE:
        return bool(pa.types.is_date(t))
    if column_type is ColumnType.TIMESTAMP:
        return bool(pa.types.is_timestamp(t) and t.tz is None)
    if column_type is ColumnType.INTEGER:
        return bool(pa.types.is_integer(t))
    if column_type is ColumnType.NUMBER:
        return bool(pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_decimal(t))
    if column_type is ColumnType.BOOLEAN:
        return bool(pa.types.is_boolean(t))
    return False


def type_problem(column: Column, arrow_type: pa.DataType) -> str | None:
    """Why a Parquet column of ``arrow_type`` cannot hold ``column`` (``None`` if it can)."""
    if pa.types.is_null(arrow_type) or _is_text(arrow_type):
        return None
    if _native_ok(column.type, arrow_type):
        return None
    expected = {
        ColumnType.STRING: "text (identifiers are never numbers)",
        ColumnType.ENUM: "text",
        ColumnType.MONTH: "text YYYY-MM",
        ColumnType.DATE: "a date",
        ColumnType.TIMESTAMP: "a timestamp without time zone (local time)",
        ColumnType.INTEGER: "an integer",
        ColumnType.NUMBER: "a number",
        ColumnType.BOOLEAN: "a boolean",
    }[column.type]
    return (
        f"column {column.name} has type {arrow_type}; expected {expected} or text written like "
        "the CSV cell (its values were not checked)"
    )


def normalise(column: Column, raw: Arr) -> Normalised:
    """Convert one batch of ``column`` to its canonical type (see the module docstring)."""
    if pa.types.is_dictionary(raw.type):
        raw = raw.dictionary_decode()
    target = ARROW_TYPES[column.type]
    if pa.types.is_null(raw.type):
        return Normalised(pa_any.nulls(len(raw), target), None, raw)
    if _is_text(raw.type):
        text = raw.cast(pa.string())
        # An empty cell is null, in Parquet text columns as in CSV.
        text = pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)
        if column.type in (ColumnType.STRING, ColumnType.ENUM):
            return Normalised(text, None, text)
        values, ok = _TEXT_PARSERS[column.type](text)
        return _finish(values, ok, text)
    values, ok = _native(column.type, raw)
    return _finish(values, ok, raw)


def _finish(values: Arr, ok: Arr | None, raw: Arr) -> Normalised:
    if ok is None:
        return Normalised(values, None, raw)
    bad = pc.and_(pc.is_valid(raw), pc.invert(pc.fill_null(ok, False)))
    return Normalised(pc.if_else(bad, pa.scalar(None, values.type), values), bad, raw)


def _whole(text: Arr, pattern: str) -> Arr:
    return pc.match_substring_regex(text, pattern=f"^(?:{pattern})$")


def _not_year_zero(text: Arr) -> Arr:
    return pc.invert(pc.starts_with(text, pattern="0000"))


def _field(text: Arr, start: int, stop: int) -> Arr:
    digits = pc.utf8_slice_codeunits(text, start=start, stop=stop)
    return pc.if_else(pc.equal(digits, ""), pa.scalar(None, pa.string()), digits).cast(pa.int64())


_PARTS: Final = (  # (component function, start, stop in the text)
    (pc.year, 0, 4),
    (pc.month, 5, 7),
    (pc.day, 8, 10),
    (pc.hour, 11, 13),
    (pc.minute, 14, 16),
    (pc.second, 17, 19),
)


def _same_parts(parsed: Arr, text: Arr, count: int, optional_last: bool = False) -> Arr:
    """Whether the parsed value has the digits written in ``text`` (strptime rolls 2025-02-30 over
    to 2 March and 10:00:60 to 10:01:00 instead of failing)."""
    same = pc.is_valid(parsed)
    for n, (part, start, stop) in enumerate(_PARTS[:count]):
        written = _field(text, start, stop)
        if optional_last and n == count - 1:
            written = pc.fill_null(written, 0)
        same = pc.and_(same, pc.fill_null(pc.equal(part(parsed), written), False))
    return same


def _parse_date(text: Arr) -> tuple[Arr, Arr]:
    shaped = pc.and_(_whole(text, DATE_PATTERN), _not_year_zero(text))
    text_ok = pc.if_else(shaped, text, None)
    parsed = pc.strptime(text_ok, format="%Y-%m-%d", unit="s", error_is_null=True)
    return parsed.cast(pa.date32()), pc.and_(shaped, _same_parts(parsed, text_ok, 3))


def _parse_timestamp(text: Arr) -> tuple[Arr, Arr]:
    shaped = pc.and_(_whole(text, TIMESTAMP_PATTERN), _not_year_zero(text))
    text_ok = pc.if_else(shaped, text, None)
    with_seconds = pc.equal(pc.utf8_length(text_ok), 19)
    parsed = pc.strptime(text_ok, format=_SECONDS_FORMAT, unit="s", error_is_null=True)
    if pc.any(pc.invert(with_seconds)).as_py():
        minutes = pc.strptime(text_ok, format=_MINUTES_FORMAT, unit="s", error_is_null=True)
        parsed = pc.if_else(with_seconds, parsed, minutes)
    same = _same_parts(parsed, text_ok, 6, optional_last=True)
    return parsed, pc.and_(shaped, same)


def _parse_integer(text: Arr) -> tuple[Arr, Arr]:
    ok = _whole(text, INTEGER_PATTERN)
    return pc.if_else(ok, text, None).cast(pa.int64()), ok


def _parse_number(text: Arr) -> tuple[Arr, Arr]:
    shaped = _whole(text, NUMBER_PATTERN)
    values = pc.if_else(shaped, text, None).cast(pa.float64())
    return values, pc.and_(shaped, pc.fill_null(pc.is_finite(values), False))


def _parse_boolean(text: Arr) -> tuple[Arr, Arr]:
    ok = pc.is_in(text, value_set=pa.array(list(BOOLEAN_TEXT)))
    return pc.equal(text, "true"), ok


def _parse_month(text: Arr) -> tuple[Arr, Arr]:
    ok = pc.and_(_whole(text, MONTH_PATTERN), _not_year_zero(text))
    first_day = pc.binary_join_element_wise(pc.if_else(ok, text, None), "01", "-")
    parsed = pc.strptime(first_day, format="%Y-%m-%d", unit="s", error_is_null=True)
    return parsed.cast(pa.date32()), ok


_TEXT_PARSERS: Final = {
    ColumnType.DATE: _parse_date,
    ColumnType.TIMESTAMP: _parse_timestamp,
    ColumnType.INTEGER: _parse_integer,
    ColumnType.NUMBER: _parse_number,
    ColumnType.BOOLEAN: _parse_boolean,
    ColumnType.MONTH: _parse_month,
}


def _native(column_type: ColumnType, raw: Arr) -> tuple[Arr, Arr | None]:
    """Values of a native Parquet column already checked by :func:`type_problem`."""
    if column_type is ColumnType.TIMESTAMP:
        seconds = raw.cast(pa.timestamp("s"), safe=False)
        whole = pc.equal(seconds.cast(raw.type), raw)
        return seconds, whole
    if column_type is ColumnType.INTEGER and pa.types.is_uint64(raw.type):
        ok = pc.less_equal(raw, pa.scalar(_INT64_MAX, pa.uint64()))
        return pc.if_else(ok, raw, None).cast(pa.int64()), ok
    if column_type is ColumnType.NUMBER:
        values = raw.cast(pa.float64())
        return values, pc.is_finite(values)
    return raw.cast(ARROW_TYPES[column_type]), None


def display(raw: Arr, index: int) -> str:
    """One input value as a finding message shows it (text quoted, timestamps ISO 8601)."""
    value = raw[index].as_py()
    if isinstance(value, str):
        return repr(value)
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)
