"""Pluggable senders of questionnaire invitations: console, SMTP email, GOV.UK Notify.

A service chooses one with ``IMSK_INVITATION_SENDER`` (an explicit registry, :data:`SENDERS`):

* ``console`` (the development default) writes the link to standard output and the log, so a
  developer can open it; nothing leaves the machine.
* ``smtp`` sends an email through Django's email backend (``EMAIL_HOST``, ``EMAIL_PORT``...).
* ``notify`` sends an email, or a text message when the person has no email address, through
  GOV.UK Notify (the NHS Wales and UK government messaging platform) with the official
  ``notifications-python-client``: templates ``IMSK_NOTIFY_EMAIL_TEMPLATE_ID`` and
  ``IMSK_NOTIFY_SMS_TEMPLATE_ID`` receive the personalisation ``link``, ``service`` and ``expires``.

A sender raises :class:`~imsk.web.outcomes.errors.SendError` when it cannot deliver; the service
records the reason on the invitation (never losing it) and staff can send again.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext as _

from imsk.web.outcomes.errors import NoContactError, SenderConfigError, SendError

logger = logging.getLogger("imsk.outcomes.invitations")


@dataclass(frozen=True)
class InvitationMessage:
    """What a sender needs: where to, the link, and the words around it."""

    email: str
    phone: str
    link: str
    service_name: str
    expires: str  # the last day the link works, written for people (e.g. "7 December 2026")
    language: str = "en"


@dataclass(frozen=True)
class Receipt:
    """Where a message went and the sender's own reference for it (Notify's notification id)."""

    sent_to: str
    reference: str = ""


class Sender(Protocol):
    name: str

    def send(self, message: InvitationMessage) -> Receipt: ...


def _body(message: InvitationMessage) -> tuple[str, str]:
    with translation.override(message.language):
        subject = _("Questionnaire from %(service)s") % {"service": message.service_name}
        body = _(
            "Please tell us about your health and your care by answering a short questionnaire: "
            "%(link)s\n\nThe link works once, until %(expires)s."
        ) % {"link": message.link, "expires": message.expires}
    return subject, body


class ConsoleSender:
    """Writes the message to standard output (development; nothing is sent)."""

    name = "console"

    def send(self, message: InvitationMessage) -> Receipt:
        subject, body = _body(message)
        to = message.email or message.phone or "console"
        sys.stdout.write(f"[imsk invitation] to {to}: {subject}\n{body}\n")
        logger.info("invitation link for %s: %s", to, message.link)
        return Receipt(to)


class SmtpSender:
    """Sends an email through Django's configured email backend."""

    name = "smtp"

    def send(self, message: InvitationMessage) -> Receipt:
        if not message.email:
            raise NoContactError("the person has no email address")
        subject, body = _body(message)
        try:
            send_mail(subject, body, None, [message.email], fail_silently=False)
        except OSError as error:  # smtplib errors and refused connections are OSErrors
            raise SendError(f"email could not be sent: {error}") from error
        return Receipt(message.email)


class NotifySender:
    """Sends through GOV.UK Notify: email when there is an address, else a text message."""

    name = "notify"

    def __init__(self, *, api_key: str, email_template: str, sms_template: str, base_url: str):
        if not api_key or not (email_template or sms_template):
            raise SenderConfigError(
                "the notify sender needs IMSK_NOTIFY_API_KEY and a template id "
                "(IMSK_NOTIFY_EMAIL_TEMPLATE_ID or IMSK_NOTIFY_SMS_TEMPLATE_ID)"
            )
        self.api_key = api_key
        self.email_template = email_template
        self.sms_template = sms_template
        self.base_url = base_url

    def send(self, message: InvitationMessage) -> Receipt:
        from notifications_python_client.errors import APIError
        from notifications_python_client.notifications import NotificationsAPIClient

        personalisation = {
            "link": message.link,
            "service": message.service_name,
            "expires": message.expires,
        }
        client = NotificationsAPIClient(self.api_key, base_url=self.base_url)  # type: ignore[no-untyped-call]
        try:
            if message.email and self.email_template:
                reply = client.send_email_notification(  # type: ignore[no-untyped-call]
                    email_address=message.email,
                    template_id=self.email_template,
                    personalisation=personalisation,
                )
                to = message.email
            elif message.phone and self.sms_template:
                reply = client.send_sms_notification(  # type: ignore[no-untyped-call]
                    phone_number=message.phone,
                    template_id=self.sms_template,
                    personalisation=personalisation,
                )
                to = message.phone
            else:
                raise NoContactError("the person has no email address or mobile number")
        except (APIError, OSError) as error:
            raise SendError(f"GOV.UK Notify refused the message: {error}") from error
        reference = str(reply.get("id", "")) if isinstance(reply, dict) else ""
        return Receipt(to, reference)


def _notify() -> Sender:
    return NotifySender(
        api_key=str(getattr(settings, "IMSK_NOTIFY_API_KEY", "")),
        email_template=str(getattr(settings, "IMSK_NOTIFY_EMAIL_TEMPLATE_ID", "")),
        sms_template=str(getattr(settings, "IMSK_NOTIFY_SMS_TEMPLATE_ID", "")),
        base_url=str(
            getattr(settings, "IMSK_NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk")
        ),
    )


#: The senders by the name ``IMSK_INVITATION_SENDER`` uses.
SENDERS: dict[str, Callable[[], Sender]] = {
    "console": ConsoleSender,
    "smtp": SmtpSender,
    "notify": _notify,
}


def configured_sender() -> Sender:
    """The sender ``IMSK_INVITATION_SENDER`` names (default ``console``)."""
    name = str(getattr(settings, "IMSK_INVITATION_SENDER", "console"))
    if name not in SENDERS:
        raise SenderConfigError(
            f"IMSK_INVITATION_SENDER is {name!r}; known senders: {', '.join(SENDERS)}"
        )
    return SENDERS[name]()
