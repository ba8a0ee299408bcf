"""Errors of the clinical record: each names the field at fault, for a form error or a problem."""

from __future__ import annotations

from imsk.core.errors import ImskError


class ReferralError(ImskError):
    """A request cannot be recorded as given. ``field`` names the input at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class IdempotencyConflictError(ImskError):
    """An ``Idempotency-Key`` was used before with a different request body."""


class RecordImmutableError(ImskError):
    """An append-only clinical row (the condition code history) was about to change."""


class DatasetLoadError(ImskError):
    """A data set cannot be loaded into the application's tables (names the table and reason)."""


class ScopeError(ReferralError):
    """The caller may not act on that service or record (another health board's, for example)."""
