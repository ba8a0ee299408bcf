"""Errors of the consultation record: each names the form field at fault (or ``""`` for the form)."""

from __future__ import annotations

from imsk.web.referrals.errors import ReferralError


class ConsultationError(ReferralError):
    """A consultation, escalation or referral cannot be recorded as given."""


class ExitRefusedError(ConsultationError):
    """An exit cannot be recorded now (already exited, or an appointment is still booked)."""


class ReturnRefusedError(ConsultationError):
    """A return under See On Symptom or PIFU is not allowed (no window, expired, or used)."""
