"""The clinical record as an MSK service data set folder (one CSV per table).

The columns of each file are the data set's, in the specification's order (taken from
:data:`imsk.core.dataset.schema.SCHEMA`, so the two cannot drift apart), with the data set's text
forms: timestamps as Europe/London wall-clock time ``YYYY-MM-DDTHH:MM:SS``, dates ``YYYY-MM-DD``,
booleans ``true``/``false``, an empty cell for null. ``services`` and ``requests`` are always
written; another table is written only when it has rows, because the data set reads an absent table
as "not recorded" (its KPIs are unavailable) and a present empty one as "none happened".

The rows are read with ``iterator()`` and streamed to the files, so a large record never sits in
memory. The export itself is audited by :func:`imsk.web.referrals.services.export_dataset`.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.db.models import Model, QuerySet
from django.utils import timezone

from imsk.core.dataset.schema import SCHEMA
from imsk.web.accounts.models import Service
from imsk.web.referrals.models import (
    Activity,
    ConditionCodeEntry,
    Contact,
    Cost,
    Exit,
    Feedback,
    Measure,
    OnwardReferral,
    Population,
    Request,
    ResourceHit,
)
from imsk.web.referrals.services import LONDON

ALWAYS_WRITTEN = ("services", "requests")
_CHUNK = 5000


def cell(value: object) -> str:
    """One value in its data set text form."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return timezone.localtime(value, LONDON).strftime("%Y-%m-%dT%H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return number(value)
    return str(value)


def number(value: float) -> str:
    """A finite float as short text: ``30`` for 30.0, ``0.826`` for 0.826 (round-trips exactly)."""
    text = repr(value)
    return text[:-2] if text.endswith(".0") else text


_Row = Callable[[Any], dict[str, object]]

#: For each data set table: its rows (in record order) and how one row maps to the columns.
_TABLES: dict[str, tuple[Callable[[], QuerySet[Any]], _Row]] = {
    "services": (
        lambda: Service.objects.order_by("service_id"),
        lambda s: {
            "service_id": s.service_id,
            "name": s.name,
            "health_board": s.health_board,
            "nation": s.nation,
        },
    ),
    "requests": (
        lambda: Request.objects.select_related("person").order_by("id"),
        lambda r: {
            "request_id": r.request_id,
            "person_id": r.person.person_id,
            "service_id": r.service_id,
            "received_at": r.received_at,
            "source": r.source,
            "referrer_practice": r.referrer_practice,
            "category": r.category,
            "age": r.age,
            "sex": r.sex,
            "lsoa": r.lsoa,
            "deprivation_quintile": r.deprivation_quintile,
            "priority": r.priority,
            "triaged_at": r.triaged_at,
            "pathway": r.pathway,
            "band": r.band,
        },
    ),
    "condition_codes": (
        lambda: ConditionCodeEntry.objects.select_related("request").order_by("id"),
        lambda c: {
            "request_id": c.request.request_id,
            "code": c.code,
            "recorded_at": c.recorded_at,
        },
    ),
    "contacts": (
        lambda: Contact.objects.select_related("request").order_by("id"),
        lambda c: {
            "contact_id": c.contact_id,
            "request_id": c.request.request_id,
            "kind": c.kind,
            "scheduled_at": c.scheduled_at,
            "status": c.status,
            "mode": c.mode,
            "band": c.band,
        },
    ),
    "activities": (
        lambda: Activity.objects.select_related("request", "contact").order_by("id"),
        lambda a: {
            "request_id": a.request.request_id,
            "contact_id": a.contact.contact_id if a.contact else None,
            "code": a.code,
            "recorded_at": a.recorded_at,
        },
    ),
    "onward_referrals": (
        lambda: OnwardReferral.objects.select_related("request").order_by("id"),
        lambda o: {
            "referral_id": o.referral_id,
            "request_id": o.request.request_id,
            "referred_at": o.referred_at,
            "subspecialty": o.subspecialty,
            "route": o.route,
            "converted": o.converted,
        },
    ),
    "exits": (
        lambda: Exit.objects.select_related("request").order_by("id"),
        lambda e: {
            "request_id": e.request.request_id,
            "exited_at": e.exited_at,
            "code": e.code,
            "window_ends": e.window_ends,
            "outcome": e.outcome,
        },
    ),
    "measures": (
        lambda: Measure.objects.select_related("request").order_by("id"),
        lambda m: {
            "request_id": m.request.request_id,
            "instrument": m.instrument,
            "timepoint": m.timepoint,
            "completed_at": m.completed_at,
            "items": m.items,
            "score": m.score,
        },
    ),
    "feedback": (
        lambda: Feedback.objects.order_by("id"),
        lambda f: {
            "service_id": f.service_id,
            "received_at": f.received_at,
            "kind": f.kind,
            "nature": f.nature,
        },
    ),
    "resource_hits": (
        lambda: ResourceHit.objects.order_by("id"),
        lambda h: {
            "service_id": h.service_id,
            "date": h.date,
            "resource": h.resource,
            "hits": h.hits,
        },
    ),
    "costs": (
        lambda: Cost.objects.order_by("id"),
        lambda c: {
            "service_id": c.service_id,
            "month": c.month,
            "staffing": c.staffing,
            "consumables": c.consumables,
        },
    ),
    "population": (
        lambda: Population.objects.order_by("id"),
        lambda p: {
            "health_board": p.health_board,
            "deprivation_quintile": p.deprivation_quintile,
            "population": p.population,
        },
    ),
}


def table_rows(table: str) -> Iterator[list[str]]:
    """The data rows of one data set table, each a list of cells in the specification's order."""
    rows, as_columns = _TABLES[table]
    names = SCHEMA[table].column_names
    for item in rows().iterator(chunk_size=_CHUNK):
        values = as_columns(item)
        yield [cell(values[name]) for name in names]


def has_rows(table: str) -> bool:
    rows, _as_columns = _TABLES[table]
    return rows().exists()


def write_dataset(out_dir: Path) -> dict[str, int]:
    """Write each table to ``out_dir/<table>.csv``; returns the rows written per table."""
    out_dir.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    for table in SCHEMA:
        if table not in ALWAYS_WRITTEN and not has_rows(table):
            continue
        counts[table] = _write(out_dir / f"{table}.csv", table)
    return counts


def _write(path: Path, table: str) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(SCHEMA[table].column_names)
        for row in table_rows(table):
            writer.writerow(row)
            count += 1
    return count


def model_for(table: str) -> type[Model]:
    """The model behind a data set table (for tests and the loader)."""
    rows, _as_columns = _TABLES[table]
    model: type[Model] = rows().model
    return model
