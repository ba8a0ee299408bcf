"""Errors of the clinics: each names the input at fault, for a form error or a 4xx page."""

from __future__ import annotations

from imsk.core.errors import ImskError


class ClinicError(ImskError):
    """A clinic, booking or outcome cannot be recorded as asked. ``field`` names the input at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class NonWorkingDayError(ClinicError):
    """A clinic was asked for on a weekend or bank holiday without confirming it."""


class SlotUnavailableError(ClinicError):
    """The slot is taken, in the past, in a cancelled clinic, or does not fit the request."""


class NotWaitingError(ClinicError):
    """The request is not on a waiting list (not triaged, exited, already booked, not bookable)."""


class OutcomeError(ClinicError):
    """The outcome cannot be recorded on this appointment (already settled, or too early)."""
