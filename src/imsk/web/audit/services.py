"""The one writer of audit events, and the audited export of the trail.

Call :func:`record` inside the transaction of the change it describes (``transaction.atomic()`` in
the caller's service), so the change and its audit row are committed together or not at all. A call
outside any transaction is refused: the row could otherwise survive a change that rolled back, or be
lost while the change was kept.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models, transaction

from imsk.core.spreadsheet import safe_cell
from imsk.web.audit.models import Action, AuditEvent
from imsk.web.errors import AuditOutsideTransactionError
from imsk.web.inserts import insert_all

if TYPE_CHECKING:
    from imsk.web.accounts.models import User

#: Columns of the CSV export, in order.
EXPORT_COLUMNS = (
    "id",
    "occurred_at",
    "actor_email",
    "actor_role",
    "action",
    "object_type",
    "object_id",
    "service_id",
    "health_board",
    "details",
)


@dataclass(frozen=True)
class Subject:
    """The record an event is about: its type, id and the service and health board it belongs to."""

    object_type: str
    object_id: str
    service_id: str = ""
    health_board: str = ""

    @classmethod
    def of(cls, obj: models.Model, *, service_id: str = "", health_board: str = "") -> Subject:
        """The subject for a saved model instance (type is its ``app_label.model`` label)."""
        return cls(obj._meta.label_lower, str(obj.pk), service_id, health_board)


NO_SUBJECT = Subject("", "")


def record(
    action: Action,
    *,
    actor: User | None,
    subject: Subject = NO_SUBJECT,
    actor_email: str | None = None,
    details: Mapping[str, Any] | None = None,
    along_with: Sequence[models.Model] = (),
) -> AuditEvent:
    """Write one audit event in the caller's open transaction.

    ``actor`` is None for the system (a management command) or an unknown person; ``actor_email``
    overrides the recorded address (a failed sign-in records the address tried). ``along_with``:
    new rows of the change itself, not yet inserted, written before the event and with it (one
    round trip on PostgreSQL, :func:`imsk.web.inserts.insert_all`), as intake does.
    """
    if not transaction.get_connection().in_atomic_block:
        raise AuditOutsideTransactionError(
            f"audit event {action.value!r} recorded outside a transaction: "
            "open transaction.atomic() in the service that makes the change"
        )
    event = AuditEvent(
        actor=actor,
        actor_email=actor_email if actor_email is not None else (actor.email if actor else ""),
        actor_role=actor.role if actor else "",
        action=action,
        object_type=subject.object_type,
        object_id=subject.object_id,
        service_id=subject.service_id,
        health_board=subject.health_board,
        details=dict(details or {}),
    )
    # AuditEvent.save() only refuses changes to saved events; this one is new. The prebuilt INSERT
    # spares the query compiler on every audited action (src/imsk/web/inserts.py).
    insert_all([*along_with, event])
    return event


@dataclass(frozen=True)
class Export:
    """An audited export: the rows to write and the event that recorded the export."""

    rows: Iterator[list[str]]
    event: AuditEvent


def export_csv_rows(
    events: models.QuerySet[AuditEvent], *, actor: User, filters: Mapping[str, str]
) -> Export:
    """Record an export of ``events`` (by ``actor``, with the ``filters`` used) and return its rows.

    The export covers the events that existed when it was recorded (its own row excluded); the rows
    are read lazily afterwards, so an export of the whole trail never sits in memory.
    """
    with transaction.atomic():
        last_id = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
        covered = events.filter(id__lte=last_id).order_by("occurred_at", "id")
        event = record(
            Action.EXPORT,
            actor=actor,
            subject=Subject("audit.auditevent", "", "", actor.health_board),
            details={"filters": dict(filters), "rows": covered.count(), "last_event_id": last_id},
        )
    return Export(rows=_rows(covered), event=event)


def _rows(events: models.QuerySet[AuditEvent]) -> Iterator[list[str]]:
    yield list(EXPORT_COLUMNS)
    for event in events.iterator(chunk_size=2000):
        yield [
            str(event.pk),
            event.occurred_at.isoformat(),
            _safe_cell(event.actor_email),
            event.actor_role,
            event.action,
            _safe_cell(event.object_type),
            _safe_cell(event.object_id),
            _safe_cell(event.service_id),
            _safe_cell(event.health_board),
            _safe_cell(event.details_json),
        ]


def _safe_cell(value: str) -> str:
    """Quote a value a spreadsheet would run as a formula (the address tried at sign-in is typed by
    anyone, so it may be ``=HYPERLINK(...)``)."""
    return str(safe_cell(value))


class Echo:
    """A file-like object whose ``write`` returns the line, for streaming ``csv.writer`` output."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterator[list[str]]) -> Iterator[str]:
    """Each row as one CSV line (RFC 4180 quoting)."""
    writer = csv.writer(Echo())
    for row in rows:
        yield writer.writerow(row)
