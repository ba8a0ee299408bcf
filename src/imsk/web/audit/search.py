"""Searching the audit trail: criteria from the search form, narrowed to the administrator's scope.

A national administrator (no health board) searches every event; a health board's administrator
searches the events of records in their board. Dates are days in Europe/London, both inclusive.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from imsk.web.accounts.models import User
from imsk.web.audit.models import AuditEvent


@dataclass(frozen=True)
class SearchCriteria:
    """What an administrator asked for; blank and None mean "any"."""

    actor: str = ""  # part of the actor's email address
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    date_from: date | None = None
    date_to: date | None = None

    def as_filters(self) -> dict[str, str]:
        """The criteria given, as text (recorded with an export)."""
        given = {f.name: getattr(self, f.name) for f in fields(self)}
        return {name: str(value) for name, value in given.items() if value not in ("", None)}


def search_events(user: User, criteria: SearchCriteria) -> QuerySet[AuditEvent]:
    """The events ``user`` (an administrator) may see that match ``criteria``, newest first."""
    events = AuditEvent.objects.all()
    if not user.is_national:
        events = events.filter(health_board=user.health_board)
    if criteria.actor:
        events = events.filter(actor_email__icontains=criteria.actor)
    if criteria.action:
        events = events.filter(action=criteria.action)
    if criteria.object_type:
        events = events.filter(object_type=criteria.object_type)
    if criteria.object_id:
        events = events.filter(object_id=criteria.object_id)
    if criteria.date_from:
        events = events.filter(occurred_at__gte=_start_of(criteria.date_from))
    if criteria.date_to:
        events = events.filter(occurred_at__lt=_start_of(criteria.date_to + timedelta(days=1)))
    return events.order_by("-occurred_at", "-id")


def _start_of(day: date) -> datetime:
    """Midnight at the start of ``day`` in the site's time zone (Europe/London)."""
    return datetime.combine(day, time.min, tzinfo=timezone.get_default_timezone())
