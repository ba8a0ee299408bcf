"""The text form of each data set value, and the checks one value gets on its own.

The data set travels as CSV, where every cell is text (``../shared/spec/dataset.md``, "Physical
form"): dates ``YYYY-MM-DD``; timestamps ``YYYY-MM-DDTHH:MM`` or ``YYYY-MM-DDTHH:MM:SS`` in local time
(Europe/London) with no offset; booleans ``true``/``false``; months ``YYYY-MM``; an empty cell is
null. Parsing is strict: nothing is trimmed, guessed or repaired (``" 42"``, ``42.0``, ``2025-2-1``,
``TRUE`` and ``2025-02-30`` are all rejected), so that every engine reads the same values.

The streaming validator (``imsk.dataio.dataset``) checks whole columns at once with Arrow compute
functions using the same patterns; the functions here check one value and are the reference its
tests compare against (and what a form or an API can call for a single field).
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from typing import Final

from imsk.core.dataset.findings import FindingCode
from imsk.core.dataset.schema import Column, ColumnType

#: Whole-value patterns (RE2 and Python compatible; anchor them when matching).
DATE_PATTERN: Final = r"([0-9]{4})-([0-9]{2})-([0-9]{2})"
TIMESTAMP_PATTERN: Final = DATE_PATTERN + r"T([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?"
INTEGER_PATTERN: Final = r"-?[0-9]{1,18}"
NUMBER_PATTERN: Final = r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]{1,3})?"
MONTH_PATTERN: Final = r"([0-9]{4})-(0[1-9]|1[0-2])"
BOOLEAN_TEXT: Final = {"true": True, "false": False}
#: Items of a measure: tokens separated by single spaces (``dataset.md``, measures.items).
ITEMS_PATTERN: Final = r"[^ \t\n\r\f\v]+(?: [^ \t\n\r\f\v]+)*"

#: The finding for a value that is not of its column's type.
BAD_TYPE_CODE: Final = {
    ColumnType.DATE: FindingCode.BAD_DATE,
    ColumnType.TIMESTAMP: FindingCode.BAD_TIMESTAMP,
    ColumnType.INTEGER: FindingCode.BAD_INTEGER,
    ColumnType.NUMBER: FindingCode.BAD_NUMBER,
    ColumnType.BOOLEAN: FindingCode.BAD_BOOLEAN,
    ColumnType.MONTH: FindingCode.BAD_MONTH,
}

#: How each type is written, for messages.
TYPE_FORM: Final = {
    ColumnType.DATE: "a date YYYY-MM-DD",
    ColumnType.TIMESTAMP: "a local timestamp YYYY-MM-DDTHH:MM[:SS] without offset",
    ColumnType.INTEGER: "a whole number",
    ColumnType.NUMBER: "a decimal number (point as separator, no thousands separators)",
    ColumnType.BOOLEAN: "true or false",
    ColumnType.MONTH: "a month YYYY-MM",
}

_DATE = re.compile(DATE_PATTERN)
_TIMESTAMP = re.compile(TIMESTAMP_PATTERN)
_INTEGER = re.compile(INTEGER_PATTERN)
_NUMBER = re.compile(NUMBER_PATTERN)
_MONTH = re.compile(MONTH_PATTERN)
_ITEMS = re.compile(ITEMS_PATTERN)


def parse_date(text: str) -> date | None:
    """The date ``text`` writes, or ``None`` if it is not a valid ``YYYY-MM-DD`` date."""
    match = _DATE.fullmatch(text)
    if match is None:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def parse_timestamp(text: str) -> datetime | None:
    """The naive local datetime ``text`` writes, or ``None`` if it is not a valid timestamp."""
    match = _TIMESTAMP.fullmatch(text)
    if match is None:
        return None
    year, month, day, hour, minute, second = match.groups()
    try:
        return datetime(  # noqa: DTZ001 - data set timestamps are local wall-clock times
            int(year), int(month), int(day), int(hour), int(minute), int(second or 0)
        )
    except ValueError:
        return None


def parse_integer(text: str) -> int | None:
    """The integer ``text`` writes (optional minus, digits only), or ``None``."""
    return int(text) if _INTEGER.fullmatch(text) else None


def parse_number(text: str) -> float | None:
    """The finite number ``text`` writes (``-12.5``, ``3``, ``1e3``), or ``None``."""
    if not _NUMBER.fullmatch(text):
        return None
    value = float(text)
    return value if math.isfinite(value) else None


def parse_boolean(text: str) -> bool | None:
    """``True`` for ``true``, ``False`` for ``false``, ``None`` for anything else."""
    return BOOLEAN_TEXT.get(text)


def parse_month(text: str) -> date | None:
    """The first day of the month ``YYYY-MM`` writes, or ``None``."""
    match = _MONTH.fullmatch(text)
    if match is None or match.group(1) == "0000":
        return None
    return date(int(match.group(1)), int(match.group(2)), 1)


def is_well_formed_items(text: str) -> bool:
    """Whether ``measures.items`` is tokens separated by single spaces (no leading/trailing space)."""
    return _ITEMS.fullmatch(text) is not None


_PARSERS: Final = {
    ColumnType.DATE: parse_date,
    ColumnType.TIMESTAMP: parse_timestamp,
    ColumnType.INTEGER: parse_integer,
    ColumnType.NUMBER: parse_number,
    ColumnType.BOOLEAN: parse_boolean,
    ColumnType.MONTH: parse_month,
}


def value_problem(column: Column, text: str | None) -> FindingCode | None:
    """The finding one cell earns on its own (``None`` if it has none), checks in this order.

    Null: ``missing_required`` if the column is required. Typed columns: the ``bad_<type>`` code,
    then ``out_of_range``, then ``unusual_value``. Enums: ``unknown_enum``. Text: surrounding
    whitespace, then ``unexpected_format``. Code lists are checked elsewhere (they are loaded data).
    """
    if text is None or text == "":
        return FindingCode.MISSING_REQUIRED if column.required else None
    if column.type is ColumnType.ENUM:
        return None if text in column.values else FindingCode.UNKNOWN_ENUM
    if column.type is ColumnType.STRING:
        if text != text.strip():
            return FindingCode.SURROUNDING_WHITESPACE
        pattern = column.pattern
        if pattern is not None and re.fullmatch(pattern, text) is None:
            return FindingCode.UNEXPECTED_FORMAT
        return None
    value = _PARSERS[column.type](text)
    if value is None:
        return BAD_TYPE_CODE[column.type]
    if isinstance(value, int | float) and not isinstance(value, bool):
        return range_problem(column, value)
    return None


def range_problem(column: Column, value: float) -> FindingCode | None:
    """``out_of_range`` outside [minimum, maximum]; ``unusual_value`` outside the usual bounds."""
    if (column.minimum is not None and value < column.minimum) or (
        column.maximum is not None and value > column.maximum
    ):
        return FindingCode.OUT_OF_RANGE
    if (column.usual_minimum is not None and value < column.usual_minimum) or (
        column.usual_maximum is not None and value > column.usual_maximum
    ):
        return FindingCode.UNUSUAL_VALUE
    return None
