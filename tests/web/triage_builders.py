"""Builders for the triage tests (no tests here): requests made through the referrals service."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from imsk.web.accounts.models import Service, User
from imsk.web.referrals import services as referrals
from imsk.web.referrals.models import Channel, Request

LONDON = ZoneInfo("Europe/London")


def london(year: int, month: int, day: int, hour: int = 10) -> datetime:
    """An aware datetime at ``hour`` o'clock London time."""
    return datetime(year, month, day, hour, tzinfo=LONDON)


def make_request(
    service: Service,
    *,
    actor: User | None = None,
    received_at: datetime | None = None,
    red_flags: list[str] | None = None,
    age: int = 45,
    category: str | None = "management_opinion",
    source: str = "gp",
    condition_code: str | None = None,
    **facts: Any,
) -> Request:
    """A request received by ``service`` through the referrals service (the only writer)."""
    all_facts: dict[str, Any] = dict(facts)
    if red_flags:
        all_facts["red_flags"] = red_flags
    new = referrals.NewRequest(
        service=service,
        channel=Channel.WEB_FORM,
        source=source,
        category=category,
        received_at=received_at or timezone.now(),
        age=age,
        condition_code=condition_code,
        facts=all_facts,
    )
    return referrals.create_request(new, actor=actor)
