"""Invitation senders: the registry, the console and SMTP senders, and the GOV.UK Notify adapter
checked against a fake Notify API served in-process (request shape, JWT, failures recorded)."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any, ClassVar

import jwt
import pytest
from django.core import mail
from pytest_django import Settings

from imsk.web.audit.models import AuditEvent
from imsk.web.outcomes import senders, services
from imsk.web.outcomes.errors import NoContactError, OutcomesError, SenderConfigError
from imsk.web.outcomes.models import Invitation
from tests.web.personas import Personas
from tests.web.test_outcomes_builders import our_request

SERVICE_ID = str(uuid.uuid4())
SECRET = str(uuid.uuid4())
API_KEY = f"imsk_test-{SERVICE_ID}-{SECRET}"
EMAIL_TEMPLATE = str(uuid.uuid4())
SMS_TEMPLATE = str(uuid.uuid4())
MESSAGE = senders.InvitationMessage(
    email="ann.jones@example.com",
    phone="07700900123",
    link="https://imsk.example/my/q/abc/",
    service_name="Cardiff and Vale MSK",
    expires="7 December 2026",
)


class FakeNotify(BaseHTTPRequestHandler):
    """Answers like Notify's v2 API; keeps every request it received."""

    received: ClassVar[list[dict[str, Any]]] = []
    status: ClassVar[int] = 201

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        body = json.loads(self.rfile.read(length))
        FakeNotify.received.append(
            {"path": self.path, "body": body, "auth": self.headers["Authorization"]}
        )
        self.send_response(FakeNotify.status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        if FakeNotify.status == 201:
            reply: dict[str, Any] = {"id": "notification-1", "content": {}}
        else:
            reply = {"status_code": FakeNotify.status, "errors": [{"error": "BadRequestError"}]}
        self.wfile.write(json.dumps(reply).encode())

    def log_message(self, format: str, *args: object) -> None:  # quiet
        return


@pytest.fixture
def notify_url() -> Iterator[str]:
    FakeNotify.received = []
    FakeNotify.status = 201
    server = HTTPServer(("127.0.0.1", 0), FakeNotify)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _notify(base_url: str, *, email: str = EMAIL_TEMPLATE) -> senders.NotifySender:
    return senders.NotifySender(
        api_key=API_KEY, email_template=email, sms_template=SMS_TEMPLATE, base_url=base_url
    )


def test_the_registry_names_console_smtp_and_notify() -> None:
    assert set(senders.SENDERS) == {"console", "smtp", "notify"}


@pytest.mark.parametrize("name", ["console", "smtp"])
def test_the_setting_chooses_the_sender(settings: Settings, name: str) -> None:
    settings.IMSK_INVITATION_SENDER = name
    assert senders.configured_sender().name == name


def test_an_unknown_sender_name_is_refused_naming_the_known_ones(settings: Settings) -> None:
    settings.IMSK_INVITATION_SENDER = "pigeon"
    with pytest.raises(SenderConfigError, match="console, smtp, notify"):
        senders.configured_sender()


def test_notify_without_a_key_is_a_configuration_error(settings: Settings) -> None:
    settings.IMSK_INVITATION_SENDER = "notify"
    settings.IMSK_NOTIFY_API_KEY = ""
    with pytest.raises(SenderConfigError, match="IMSK_NOTIFY_API_KEY"):
        senders.configured_sender()


def test_the_console_sender_prints_the_link(capsys: pytest.CaptureFixture[str]) -> None:
    receipt = senders.ConsoleSender().send(MESSAGE)
    assert MESSAGE.link in capsys.readouterr().out
    assert receipt.sent_to == MESSAGE.email


def test_the_smtp_sender_emails_the_link_in_the_persons_language(settings: Settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    senders.SmtpSender().send(MESSAGE)
    (sent,) = mail.outbox
    assert sent.to == ["ann.jones@example.com"]
    assert MESSAGE.link in sent.body
    assert "7 December 2026" in sent.body


def test_the_smtp_sender_refuses_a_person_without_an_email_address() -> None:
    with pytest.raises(NoContactError):
        senders.SmtpSender().send(
            senders.InvitationMessage("", "0770", "https://x/", "MSK", "1 May 2026")
        )


def test_notify_posts_an_email_with_template_and_personalisation_signed_with_the_key(
    notify_url: str,
) -> None:
    receipt = _notify(notify_url).send(MESSAGE)
    (request,) = FakeNotify.received
    assert request["path"] == "/v2/notifications/email"
    assert request["body"] == {
        "email_address": "ann.jones@example.com",
        "template_id": EMAIL_TEMPLATE,
        "personalisation": {
            "link": MESSAGE.link,
            "service": "Cardiff and Vale MSK",
            "expires": "7 December 2026",
        },
    }
    scheme, token = request["auth"].split(" ")
    assert scheme == "Bearer"
    claims = jwt.decode(token, SECRET, algorithms=["HS256"])
    assert claims["iss"] == SERVICE_ID
    assert receipt.reference == "notification-1"


def test_notify_sends_a_text_message_when_there_is_no_email_address(notify_url: str) -> None:
    message = senders.InvitationMessage("", "07700900123", "https://x/q/", "MSK", "1 May 2026")
    _notify(notify_url).send(message)
    (request,) = FakeNotify.received
    assert request["path"] == "/v2/notifications/sms"
    assert request["body"]["phone_number"] == "07700900123"
    assert request["body"]["template_id"] == SMS_TEMPLATE


@pytest.mark.django_db
def test_a_refused_message_is_recorded_on_the_invitation_which_is_kept(
    notify_url: str, personas: Personas
) -> None:
    FakeNotify.status = 400
    issued = services.create_invitation(
        actor=personas.clinician,
        request=our_request(personas),
        instruments=["fft"],
        timepoint="discharge",
    )
    services.send_invitation(
        actor=personas.clinician, issued=issued, link="https://x/q/", sender=_notify(notify_url)
    )
    kept = Invitation.objects.get()
    assert "BadRequestError" in kept.send_error
    assert kept.sent_at is None
    assert kept.sent_via == "notify"
    events = AuditEvent.objects.filter(details__sent_via="notify")
    assert any("BadRequestError" in event.details["error"] for event in events)


@pytest.mark.django_db
def test_an_unreachable_notify_is_recorded_not_raised(personas: Personas) -> None:
    issued = services.create_invitation(
        actor=personas.clinician,
        request=our_request(personas),
        instruments=["fft"],
        timepoint="discharge",
    )
    sender = _notify("http://127.0.0.1:9")  # discard port: connection refused
    services.send_invitation(actor=personas.clinician, issued=issued, link="x", sender=sender)
    assert Invitation.objects.get().send_error != ""


@pytest.mark.django_db
def test_a_misconfigured_sender_is_recorded_on_the_invitation_not_raised(
    personas: Personas, settings: Settings
) -> None:
    settings.IMSK_INVITATION_SENDER = "notify"
    settings.IMSK_NOTIFY_API_KEY = ""
    issued = services.create_invitation(
        actor=personas.clinician,
        request=our_request(personas),
        instruments=["fft"],
        timepoint="discharge",
    )
    services.send_invitation(actor=personas.clinician, issued=issued, link="x")
    assert "IMSK_NOTIFY_API_KEY" in Invitation.objects.get().send_error


@pytest.mark.django_db
def test_an_unknown_time_point_or_questionnaire_is_refused(personas: Personas) -> None:
    request = our_request(personas)
    for instruments, timepoint in ((["fft"], "midway"), (["sf36"], "baseline"), ([], "baseline")):
        with pytest.raises(OutcomesError):
            services.create_invitation(
                actor=None, request=request, instruments=instruments, timepoint=timepoint
            )
    assert Invitation.objects.count() == 0
