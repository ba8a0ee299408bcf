"""Database views that present the clinical record as the MSK service data set tables.

Each view ``msk_<table>`` has the data set's columns, in the specification's order, with its names
and types (``../shared/spec/dataset.md``), so the KPI engine can run on the live database instead of
an exported folder. On PostgreSQL the views are also presented, under the data set's own table names,
in the schema ``msk_dataset`` (``imsk.analytics.loading.open_dataset(engine, url,
schema="msk_dataset")``); ``condition_codes`` and ``measures`` carry ``file_row`` (the record order
their rules break ties by).

Types: PostgreSQL gives text, ``bigint``, ``double precision``, ``boolean``, ``date`` and
``timestamp`` (without time zone: Europe/London wall-clock time, as the data set specifies). SQLite
has no such types, so a SQLite view gives the CSV text form (``2025-04-01T09:12:00``, ``true``).
Times are stored in UTC; PostgreSQL converts with the time-zone database, and SQLite with the UK
summer-time rule (British Summer Time from 01:00 UTC on the last Sunday of March to 01:00 UTC on the
last Sunday of October: the Summer Time Act 1972 as amended by the Summer Time Order 2002, the rule
since 1996), since SQLite has no time-zone database. Times before 1996 would be shifted wrongly.

The views are created by migration ``referrals/0002_dataset_views``, which calls :func:`create_views`;
a later change of the models or the SQL adds a migration that calls it again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from imsk.core.dataset.schema import SCHEMA, ColumnType

VIEW_PREFIX = "msk_"
PG_SCHEMA = "msk_dataset"
ROW_ORDER = "file_row"


@dataclass(frozen=True)
class Dialect:
    """How one database spells the conversions the views need."""

    timestamp: Callable[[str], str]
    date: Callable[[str], str]
    boolean: Callable[[str], str]
    integer: Callable[[str], str]
    number: Callable[[str], str]
    text: Callable[[str], str]


def _sqlite_timestamp(column: str) -> str:
    year = f"strftime('%Y', {column})"
    bst_start = f"date({year} || '-03-25', 'weekday 0') || ' 01:00:00'"
    bst_end = f"date({year} || '-10-25', 'weekday 0') || ' 01:00:00'"
    shift = f"CASE WHEN {column} >= {bst_start} AND {column} < {bst_end} THEN '+1 hour' ELSE '+0 hours' END"
    return f"strftime('%Y-%m-%dT%H:%M:%S', {column}, {shift})"


SQLITE = Dialect(
    timestamp=_sqlite_timestamp,
    date=lambda c: c,
    boolean=lambda c: f"CASE {c} WHEN 1 THEN 'true' WHEN 0 THEN 'false' END",
    integer=lambda c: c,
    number=lambda c: c,
    text=lambda c: f"NULLIF({c}, '')",
)
POSTGRESQL = Dialect(
    timestamp=lambda c: f"date_trunc('second', {c} AT TIME ZONE 'Europe/London')",
    date=lambda c: f"{c}::date",
    boolean=lambda c: f"{c}::boolean",
    integer=lambda c: f"{c}::bigint",
    number=lambda c: f"{c}::double precision",
    text=lambda c: f"NULLIF({c}::text, '')",
)

#: For each data set table: the FROM clause and, per column in specification order, the expression.
_SOURCES: dict[str, tuple[str, dict[str, str]]] = {
    "services": (
        "accounts_service s",
        {
            "service_id": "s.service_id",
            "name": "s.name",
            "health_board": "s.health_board",
            "nation": "s.nation",
        },
    ),
    "requests": (
        "referrals_request r JOIN referrals_person p ON p.id = r.person_id",
        {
            "request_id": "r.request_id",
            "person_id": "p.person_id",
            "service_id": "r.service_id",
            "received_at": "r.received_at",
            "source": "r.source",
            "referrer_practice": "r.referrer_practice",
            "category": "r.category",
            "age": "r.age",
            "sex": "r.sex",
            "lsoa": "r.lsoa",
            "deprivation_quintile": "r.deprivation_quintile",
            "priority": "r.priority",
            "triaged_at": "r.triaged_at",
            "pathway": "r.pathway",
            "band": "r.band",
        },
    ),
    "condition_codes": (
        "referrals_conditioncodeentry c JOIN referrals_request r ON r.id = c.request_id",
        {"request_id": "r.request_id", "code": "c.code", "recorded_at": "c.recorded_at"},
    ),
    "contacts": (
        "referrals_contact c JOIN referrals_request r ON r.id = c.request_id",
        {
            "contact_id": "c.contact_id",
            "request_id": "r.request_id",
            "kind": "c.kind",
            "scheduled_at": "c.scheduled_at",
            "status": "c.status",
            "mode": "c.mode",
            "band": "c.band",
        },
    ),
    "activities": (
        "referrals_activity a JOIN referrals_request r ON r.id = a.request_id "
        "LEFT JOIN referrals_contact k ON k.id = a.contact_id",
        {
            "request_id": "r.request_id",
            "contact_id": "k.contact_id",
            "code": "a.code",
            "recorded_at": "a.recorded_at",
        },
    ),
    "onward_referrals": (
        "referrals_onwardreferral o JOIN referrals_request r ON r.id = o.request_id",
        {
            "referral_id": "o.referral_id",
            "request_id": "r.request_id",
            "referred_at": "o.referred_at",
            "subspecialty": "o.subspecialty",
            "route": "o.route",
            "converted": "o.converted",
        },
    ),
    "exits": (
        "referrals_exit e JOIN referrals_request r ON r.id = e.request_id",
        {
            "request_id": "r.request_id",
            "exited_at": "e.exited_at",
            "code": "e.code",
            "window_ends": "e.window_ends",
            "outcome": "e.outcome",
        },
    ),
    "measures": (
        "referrals_measure m JOIN referrals_request r ON r.id = m.request_id",
        {
            "request_id": "r.request_id",
            "instrument": "m.instrument",
            "timepoint": "m.timepoint",
            "completed_at": "m.completed_at",
            "items": "m.items",
            "score": "m.score",
        },
    ),
    "feedback": (
        "referrals_feedback f",
        {
            "service_id": "f.service_id",
            "received_at": "f.received_at",
            "kind": "f.kind",
            "nature": "f.nature",
        },
    ),
    "resource_hits": (
        "referrals_resourcehit h",
        {
            "service_id": "h.service_id",
            "date": "h.date",
            "resource": "h.resource",
            "hits": "h.hits",
        },
    ),
    "costs": (
        "referrals_cost c",
        {
            "service_id": "c.service_id",
            "month": "c.month",
            "staffing": "c.staffing",
            "consumables": "c.consumables",
        },
    ),
    "population": (
        "referrals_population p",
        {
            "health_board": "p.health_board",
            "deprivation_quintile": "p.deprivation_quintile",
            "population": "p.population",
        },
    ),
}
#: Tables whose rules depend on record order: their views also give ``file_row``.
_ORDERED = {"condition_codes": "c.id", "measures": "m.id"}


def _expression(dialect: Dialect, kind: ColumnType, column: str) -> str:
    convert = {
        ColumnType.STRING: dialect.text,
        ColumnType.ENUM: dialect.text,
        ColumnType.MONTH: dialect.text,
        ColumnType.TIMESTAMP: dialect.timestamp,
        ColumnType.DATE: dialect.date,
        ColumnType.BOOLEAN: dialect.boolean,
        ColumnType.INTEGER: dialect.integer,
        ColumnType.NUMBER: dialect.number,
    }[kind]
    return convert(column)


def view_sql(table: str, dialect: Dialect) -> str:
    """The SELECT of view ``msk_<table>`` (columns in data set order, named as in the data set)."""
    source, columns = _SOURCES[table]
    spec = SCHEMA[table]
    parts = [
        f"{_expression(dialect, column.type, columns[column.name])} AS {column.name}"
        for column in spec.columns
    ]
    if table in _ORDERED:
        parts.append(f"{_ORDERED[table]} AS {ROW_ORDER}")
    return f"SELECT {', '.join(parts)} FROM {source}"  # noqa: S608 - names from the schema


def view_names() -> list[str]:
    return [f"{VIEW_PREFIX}{table}" for table in SCHEMA]


def create_views(schema_editor: BaseDatabaseSchemaEditor) -> None:
    """(Re)create every ``msk_<table>`` view, and on PostgreSQL the ``msk_dataset`` schema views."""
    postgres = schema_editor.connection.vendor == "postgresql"
    dialect = POSTGRESQL if postgres else SQLITE
    drop_views(schema_editor)
    for table in SCHEMA:
        schema_editor.execute(f"CREATE VIEW {VIEW_PREFIX}{table} AS {view_sql(table, dialect)}")
    if postgres:
        schema_editor.execute(f"CREATE SCHEMA IF NOT EXISTS {PG_SCHEMA}")
        for table in SCHEMA:
            schema_editor.execute(
                f"CREATE VIEW {PG_SCHEMA}.{table} AS SELECT * FROM {VIEW_PREFIX}{table}"  # noqa: S608
            )


def drop_views(schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Drop the views (the reverse of :func:`create_views`)."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE")
    for name in view_names():
        schema_editor.execute(f"DROP VIEW IF EXISTS {name}")
