"""The MSK service data set, version 1, as data: tables, columns, types, closed lists and keys.

``../shared/spec/dataset.md`` is the contract between the clinical application (which exports the data
set), the KPI engine and dashboard (which read it) and the synthetic generator (which writes it). This
module restates that contract as plain values so that the validator, the KPI engine and the web forms
all read the same definition: grep :data:`SCHEMA` to see every table.

Where the specification is silent the product decides, and the decisions are recorded in
``docs/dataset.md``: which columns of the optional tables must be filled in (``required``), the
composite keys of ``costs`` and ``population``, the accepted range of Agenda for Change bands, and the
expected shape of LSOA and GP practice codes (a warning only).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from imsk.core.calendar import Nation
from imsk.core.codes import ExitCode
from imsk.core.dataset import enums

VERSION: Final = "1"


class ColumnType(StrEnum):
    """The logical type of a column; each has one text form in CSV (see ``dataset.md``)."""

    STRING = "string"
    ENUM = "enum"
    DATE = "date"  # YYYY-MM-DD
    TIMESTAMP = "timestamp"  # YYYY-MM-DDTHH:MM or YYYY-MM-DDTHH:MM:SS, Europe/London, no offset
    INTEGER = "integer"
    NUMBER = "number"
    BOOLEAN = "boolean"  # true / false
    MONTH = "month"  # YYYY-MM


@dataclass(frozen=True)
class Reference:
    """A foreign key: every non-null value must be a key of ``table``.``column``."""

    table: str
    column: str


@dataclass(frozen=True)
class Column:
    """One column: its type, whether a value is required, and the checks its values get.

    ``minimum``/``maximum`` bound a number (a value outside is ``out_of_range``, an error);
    ``usual_minimum``/``usual_maximum`` bound what is expected (outside is ``unusual_value``, a
    warning). ``pattern`` is an expected shape (an RE2/Python-compatible regular expression matched
    against the whole value; a mismatch is ``unexpected_format``, a warning) described by
    ``pattern_label``. ``code_list`` names the administrator-loaded code list (``condition`` or
    ``activity``) the values must come from.
    """

    name: str
    type: ColumnType
    required: bool = False
    values: tuple[str, ...] = ()
    references: Reference | None = None
    minimum: float | None = None
    maximum: float | None = None
    usual_minimum: float | None = None
    usual_maximum: float | None = None
    pattern: str | None = None
    pattern_label: str = ""
    code_list: str | None = None
    note: str = ""


@dataclass(frozen=True)
class Table:
    """One table: its columns in specification order and its key (unique, possibly composite)."""

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    required: bool = False

    def column(self, name: str) -> Column:
        """The column called ``name`` (a :class:`KeyError` names it if there is none)."""
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(f"table {self.name} has no column {name!r}")

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)


def _enum(name: str, values: type[StrEnum], *, required: bool = False) -> Column:
    return Column(name, ColumnType.ENUM, required=required, values=tuple(v.value for v in values))


def _id(name: str, *, required: bool = True, references: Reference | None = None) -> Column:
    return Column(name, ColumnType.STRING, required=required, references=references)


def _ts(name: str, *, required: bool = True) -> Column:
    return Column(name, ColumnType.TIMESTAMP, required=required)


SERVICE: Final = Reference("services", "service_id")
REQUEST: Final = Reference("requests", "request_id")
CONTACT: Final = Reference("contacts", "contact_id")

#: Agenda for Change bands are 1-9; the specification expects clinicians of bands 5-8.
_BAND = Column(
    "band",
    ColumnType.INTEGER,
    minimum=1,
    maximum=9,
    usual_minimum=5,
    usual_maximum=8,
    note="Agenda for Change band (sub-bands 8a-8d are recorded as 8)",
)
_QUINTILE = Column("deprivation_quintile", ColumnType.INTEGER, minimum=1, maximum=5)

_TABLES: tuple[Table, ...] = (
    Table(
        "services",
        (
            _id("service_id"),
            Column("name", ColumnType.STRING),
            Column("health_board", ColumnType.STRING, required=True),
            _enum("nation", Nation, required=True),
        ),
        key=("service_id",),
        required=True,
    ),
    Table(
        "requests",
        (
            _id("request_id"),
            _id("person_id"),
            _id("service_id", references=SERVICE),
            _ts("received_at"),
            _enum("source", enums.Source, required=True),
            Column(
                "referrer_practice",
                ColumnType.STRING,
                pattern="[A-Z][0-9]{5}",
                pattern_label="a GP practice ODS code: a letter and five digits, e.g. W91042",
            ),
            _enum("category", enums.Category),
            Column("age", ColumnType.INTEGER, minimum=0, maximum=130),
            _enum("sex", enums.Sex),
            Column(
                "lsoa",
                ColumnType.STRING,
                pattern="[ENSW][0-9]{8}",
                pattern_label="a nine-character GSS area code, e.g. W01000001",
            ),
            _QUINTILE,
            _enum("priority", enums.Priority),
            _ts("triaged_at", required=False),
            _enum("pathway", enums.Pathway),
            _BAND,
        ),
        key=("request_id",),
        required=True,
    ),
    Table(
        "contacts",
        (
            _id("contact_id"),
            _id("request_id", references=REQUEST),
            _enum("kind", enums.ContactKind, required=True),
            _ts("scheduled_at"),
            _enum("status", enums.ContactStatus, required=True),
            _enum("mode", enums.ContactMode),
            _BAND,
        ),
        key=("contact_id",),
    ),
    Table(
        "condition_codes",
        (
            _id("request_id", references=REQUEST),
            Column("code", ColumnType.STRING, required=True, code_list="condition"),
            _ts("recorded_at"),
        ),
    ),
    Table(
        "activities",
        (
            _id("request_id", references=REQUEST),
            _id("contact_id", required=False, references=CONTACT),
            Column("code", ColumnType.STRING, required=True, code_list="activity"),
            _ts("recorded_at"),
        ),
    ),
    Table(
        "onward_referrals",
        (
            _id("referral_id"),
            _id("request_id", references=REQUEST),
            _ts("referred_at"),
            _enum("subspecialty", enums.Subspecialty, required=True),
            _enum("route", enums.ReferralRoute),
            Column("converted", ColumnType.BOOLEAN),
        ),
        key=("referral_id",),
    ),
    Table(
        "exits",
        (
            _id("request_id", references=REQUEST),
            _ts("exited_at"),
            _enum("code", ExitCode, required=True),
            Column("window_ends", ColumnType.DATE),
            _enum("outcome", enums.ExitOutcome),
        ),
        key=("request_id",),
    ),
    Table(
        "measures",
        (
            _id("request_id", references=REQUEST),
            _enum("instrument", enums.MeasureInstrument, required=True),
            _enum("timepoint", enums.Timepoint, required=True),
            _ts("completed_at"),
            Column("items", ColumnType.STRING),
            Column("score", ColumnType.NUMBER),
        ),
    ),
    Table(
        "feedback",
        (
            _id("service_id", references=SERVICE),
            _ts("received_at"),
            _enum("kind", enums.FeedbackKind, required=True),
            Column("nature", ColumnType.STRING),
        ),
    ),
    Table(
        "resource_hits",
        (
            _id("service_id", references=SERVICE),
            Column("date", ColumnType.DATE, required=True),
            Column("resource", ColumnType.STRING, required=True),
            Column("hits", ColumnType.INTEGER, required=True, minimum=0),
        ),
    ),
    Table(
        "costs",
        (
            _id("service_id", references=SERVICE),
            Column("month", ColumnType.MONTH, required=True),
            Column("staffing", ColumnType.NUMBER, minimum=0),
            Column("consumables", ColumnType.NUMBER, minimum=0),
        ),
        key=("service_id", "month"),
    ),
    Table(
        "population",
        (
            Column("health_board", ColumnType.STRING, required=True),
            Column("deprivation_quintile", ColumnType.INTEGER, required=True, minimum=1, maximum=5),
            Column("population", ColumnType.INTEGER, required=True, minimum=0),
        ),
        key=("health_board", "deprivation_quintile"),
    ),
)

#: Every table of the data set by name, in reading order (a table comes after those it refers to).
SCHEMA: Final = MappingProxyType({table.name: table for table in _TABLES})

REQUIRED_TABLES: Final = tuple(table.name for table in _TABLES if table.required)


def tables() -> Iterator[Table]:
    """Every table in reading order: parents before the tables that refer to them."""
    return iter(_TABLES)


def table_named(name: str) -> Table:
    """The table called ``name`` (a :class:`KeyError` lists the known tables if there is none)."""
    try:
        return SCHEMA[name]
    except KeyError:
        raise KeyError(f"no table {name!r}; known: {', '.join(SCHEMA)}") from None
