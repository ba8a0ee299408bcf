"""Lockout after repeated failed sign-ins, counted from the audit trail.

After ``IMSK_LOCKOUT_FAILURES`` failed attempts (wrong password or wrong code) for one email address
within ``IMSK_LOCKOUT_WINDOW`` (default 5 in 15 minutes), every sign-in for that address is refused,
even with the right password, until the oldest of those failures is older than the window. A
successful sign-in clears the count. The address is locked whether or not an account has it, so
the lock says nothing about which addresses exist.

The failures are the ``sign_in_failed`` rows of the audit trail, so the lock and the record an
administrator reads can never disagree.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings

from imsk.web.audit.models import Action, AuditEvent


def lockout_limit() -> int:
    limit: int = settings.IMSK_LOCKOUT_FAILURES
    return limit


def lockout_window() -> timedelta:
    window: timedelta = settings.IMSK_LOCKOUT_WINDOW
    return window


def recent_failures(email: str, *, now: datetime) -> int:
    """Failed sign-ins for ``email`` within the window before ``now``, since its last success."""
    since = now - lockout_window()
    last_success = (
        AuditEvent.objects.filter(actor_email=email, action=Action.SIGN_IN, occurred_at__gt=since)
        .order_by("-occurred_at")
        .values_list("occurred_at", flat=True)
        .first()
    )
    return AuditEvent.objects.filter(
        actor_email=email,
        action=Action.SIGN_IN_FAILED,
        occurred_at__gt=last_success or since,
        occurred_at__lte=now,
    ).count()


def is_locked_out(email: str, *, now: datetime) -> bool:
    """Whether sign-in for ``email`` is refused at ``now``."""
    return recent_failures(email, now=now) >= lockout_limit()
