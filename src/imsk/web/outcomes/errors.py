"""Errors of the outcomes app: each names what is at fault, for a form error or a clear page."""

from __future__ import annotations

from imsk.core.errors import ImskError


class OutcomesError(ImskError):
    """Something in the outcomes app cannot be done as asked."""


class WordingError(OutcomesError):
    """The questionnaire wording file is missing, unreadable or lacks an instrument."""


class LinkError(OutcomesError):
    """A questionnaire link cannot be used."""


class LinkNotFoundError(LinkError):
    """No invitation has this token (a 404: nothing is revealed, nothing is written)."""


class LinkUsedError(LinkError):
    """The questionnaire of this link was already completed."""


class LinkExpiredError(LinkError):
    """The link is past its expiry date."""


class SendError(OutcomesError):
    """A sender could not deliver an invitation (the reason is recorded on the invitation)."""


class SenderConfigError(OutcomesError):
    """``IMSK_INVITATION_SENDER`` names no known sender, or the sender lacks its settings."""


class NoContactError(SendError):
    """The person has no email address or mobile number to send the link to."""


class CompletedBeforeReceiptError(OutcomesError):
    """A paper questionnaire dated before the service received the request."""
