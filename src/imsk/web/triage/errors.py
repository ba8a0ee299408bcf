"""Errors of triage: each names the form field at fault (``None``: the decision as a whole)."""

from __future__ import annotations

from imsk.core.errors import ImskError


class TriageError(ImskError):
    """A triage action cannot be recorded as given. ``field`` names the input at fault."""

    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field
        self.message = message


class OverrideReasonRequiredError(TriageError):
    """The choice differs from the engine's suggestion and no reason was given."""


class RedFlagDowngradeError(TriageError):
    """A red-flag request's decision is less urgent than the engine's and was not confirmed."""


class NotOpenForTriageError(TriageError):
    """The request is already triaged or closed (another clinician may have just decided)."""


class EngineUnavailableError(TriageError):
    """The triage engine cannot run on the request's recorded facts (e.g. no age)."""


class RequestNotFoundError(ImskError):
    """No request with that reference in the user's scope (another board's is "not found")."""
