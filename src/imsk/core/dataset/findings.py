"""Data-quality findings: what the data set validator reports about a submitted data set.

The data set specification (``../shared/spec/dataset.md``) requires that bad input (an unknown enum
value, an unparseable date, a duplicate key, a foreign key to nothing, an exit before its receipt) is
reported with table, row number and field, and that nothing is silently dropped or invented. A
:class:`Finding` is one such report. Every :class:`FindingCode` has one fixed :class:`Severity` in
:data:`SEVERITY`: an *error* makes the data set invalid (``imsk validate`` exits 1); a *warning* is worth
a look but the KPIs are still well defined. ``docs/dataset.md`` explains each code.

Row numbers count data records in the file: 1 is the first record after the header row (a CSV record
with a quoted line break spans several physical lines but is one row). Table-level findings (a missing
table or column) have no row; file-level findings have no field.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Final


class Severity(StrEnum):
    """``error``: the data set breaks the contract. ``warning``: suspicious but usable."""

    ERROR = "error"
    WARNING = "warning"


class FindingCode(StrEnum):
    """Every kind of finding the validator reports (see ``docs/dataset.md``)."""

    # Files and columns
    MISSING_TABLE = "missing_table"
    DUPLICATE_FILE = "duplicate_file"
    UNKNOWN_FILE = "unknown_file"
    MISSING_COLUMN = "missing_column"
    MISSING_OPTIONAL_COLUMN = "missing_optional_column"
    UNKNOWN_COLUMN = "unknown_column"
    BAD_COLUMN_TYPE = "bad_column_type"
    # Single values
    MISSING_REQUIRED = "missing_required"
    UNKNOWN_ENUM = "unknown_enum"
    BAD_DATE = "bad_date"
    BAD_TIMESTAMP = "bad_timestamp"
    BAD_INTEGER = "bad_integer"
    BAD_NUMBER = "bad_number"
    BAD_BOOLEAN = "bad_boolean"
    BAD_MONTH = "bad_month"
    OUT_OF_RANGE = "out_of_range"
    UNUSUAL_VALUE = "unusual_value"
    SURROUNDING_WHITESPACE = "surrounding_whitespace"
    UNEXPECTED_FORMAT = "unexpected_format"
    UNKNOWN_CONDITION_CODE = "unknown_condition_code"
    UNKNOWN_ACTIVITY_CODE = "unknown_activity_code"
    # Keys
    DUPLICATE_KEY = "duplicate_key"
    DANGLING_REFERENCE = "dangling_reference"
    CONTACT_REQUEST_MISMATCH = "contact_request_mismatch"
    # Consistency within a row
    TRIAGED_BEFORE_RECEIPT = "triaged_before_receipt"
    PRIORITY_WITHOUT_TRIAGE = "priority_without_triage"
    TRIAGE_WITHOUT_PRIORITY = "triage_without_priority"
    PATHWAY_WITHOUT_TRIAGE = "pathway_without_triage"
    TRIAGE_WITHOUT_PATHWAY = "triage_without_pathway"
    MISSING_CATEGORY = "missing_category"
    WINDOW_WITHOUT_SOS_PIFU = "window_without_sos_pifu"
    SOS_PIFU_WITHOUT_WINDOW = "sos_pifu_without_window"
    WINDOW_BEFORE_EXIT = "window_before_exit"
    # Consistency across tables
    EXIT_BEFORE_RECEIPT = "exit_before_receipt"
    CONTACT_BEFORE_RECEIPT = "contact_before_receipt"
    EVENT_BEFORE_RECEIPT = "event_before_receipt"
    MULTIPLE_FIRST_ATTENDED = "multiple_first_attended"
    # Measures
    BAD_ITEMS = "bad_items"
    SCORE_DISAGREES_WITH_ITEMS = "score_disagrees_with_items"
    MISSING_SCORE_AND_ITEMS = "missing_score_and_items"


_WARNINGS: Final = frozenset(
    {
        FindingCode.UNKNOWN_FILE,
        FindingCode.MISSING_OPTIONAL_COLUMN,
        FindingCode.UNKNOWN_COLUMN,
        FindingCode.UNUSUAL_VALUE,
        FindingCode.SURROUNDING_WHITESPACE,
        FindingCode.UNEXPECTED_FORMAT,
        FindingCode.MISSING_CATEGORY,
        FindingCode.SOS_PIFU_WITHOUT_WINDOW,
        FindingCode.EVENT_BEFORE_RECEIPT,
        FindingCode.MULTIPLE_FIRST_ATTENDED,
        FindingCode.SCORE_DISAGREES_WITH_ITEMS,
        FindingCode.MISSING_SCORE_AND_ITEMS,
    }
)

#: The one severity of every finding code.
SEVERITY: Final = MappingProxyType(
    {code: Severity.WARNING if code in _WARNINGS else Severity.ERROR for code in FindingCode}
)


@dataclass(frozen=True)
class Finding:
    """One data-quality finding.

    ``row`` is the data row number in the table's file (1 = first row after the header), ``None`` for
    a finding about a whole file or column; ``field`` is the column at fault, ``None`` for a finding
    about a whole file.
    """

    table: str
    row: int | None
    field: str | None
    code: FindingCode
    message: str
    severity: Severity

    @classmethod
    def of(
        cls, code: FindingCode, table: str, row: int | None, field: str | None, message: str
    ) -> Finding:
        """A finding with the severity :data:`SEVERITY` gives its code."""
        return cls(table, row, field, code, message, SEVERITY[code])

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def location(self) -> str:
        """``requests row 12 received_at`` (row and field only where known)."""
        parts = [self.table]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.field is not None:
            parts.append(self.field)
        return " ".join(parts)

    def __str__(self) -> str:
        return f"{self.severity}: {self.location()}: {self.code}: {self.message}"
