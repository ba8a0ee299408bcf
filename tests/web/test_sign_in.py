"""Staff sign-in: password, then the authenticator code; lockout; sign-out. Every attempt audited."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import Settings

from imsk.web.accounts import totp
from imsk.web.accounts.models import Role, TotpDevice
from imsk.web.audit.models import Action, AuditEvent
from tests.web.personas import PASSWORD, Personas, secret_for, staff_member

SIGN_IN = reverse("accounts:sign_in")
VERIFY = reverse("accounts:verify")
ENROL = reverse("accounts:enrol")
# Mid-step, so a code and its neighbours are all inside the test's frozen minute.
T0 = datetime(2026, 3, 27, 9, 0, 10, tzinfo=UTC)

pytestmark = pytest.mark.django_db


def _password(client: Client, email: str, password: str = PASSWORD, next_url: str = "") -> str:
    url = f"{SIGN_IN}?next={next_url}" if next_url else SIGN_IN
    response = client.post(url, {"email": email, "password": password})
    return response.headers.get("Location", "") if response.status_code == 302 else ""


def _code(client: Client, code: str, url: str = VERIFY) -> str:
    response = client.post(url, {"code": code})
    return response.headers.get("Location", "") if response.status_code == 302 else ""


def _actions(email: str) -> list[str]:
    return list(
        AuditEvent.objects.filter(actor_email=email).order_by("id").values_list("action", flat=True)
    )


@time_machine.travel(T0, tick=False)
def test_a_triage_clinician_signs_in_with_password_then_authenticator_code(
    client: Client, personas: Personas
) -> None:
    triage = personas.triage
    assert _password(client, triage.email) == VERIFY
    assert client.get(reverse("home")).status_code == 302  # not signed in yet: the code is due
    assert _code(client, totp.code_at(secret_for("triage"), timezone.now())) == reverse("home")
    home = client.get(reverse("home"))
    assert home.status_code == 200
    assert triage.full_name in home.content.decode()
    assert _actions(triage.email)[-1] == Action.SIGN_IN


@time_machine.travel(T0, tick=False)
def test_sign_in_returns_to_the_page_first_asked_for(client: Client, personas: Personas) -> None:
    _password(client, personas.admin.email, next_url="/audit/")
    assert _code(client, totp.code_at(secret_for("admin"), timezone.now())) == "/audit/"


@time_machine.travel(T0, tick=False)
def test_sign_in_never_returns_to_another_site(client: Client, personas: Personas) -> None:
    _password(client, personas.admin.email, next_url="https://evil.example/")
    assert _code(client, totp.code_at(secret_for("admin"), timezone.now())) == reverse("home")


@time_machine.travel(T0, tick=False)
def test_a_wrong_password_is_refused_with_one_message_for_unknown_and_known_addresses(
    client: Client, personas: Personas
) -> None:
    wrong = client.post(SIGN_IN, {"email": personas.clinician.email, "password": "not it"})
    unknown = client.post(SIGN_IN, {"email": "nobody@msk.example", "password": "not it"})
    for response in (wrong, unknown):
        assert response.status_code == 200
        assert "Enter a correct email address and password" in response.content.decode()
    assert _actions(personas.clinician.email) == [Action.SIGN_IN_FAILED]
    assert _actions("nobody@msk.example") == [Action.SIGN_IN_FAILED]
    assert AuditEvent.objects.get(actor_email="nobody@msk.example").actor is None


@time_machine.travel(T0, tick=False)
def test_a_wrong_code_is_refused_and_audited(client: Client, personas: Personas) -> None:
    _password(client, personas.clinician.email)
    right = totp.code_at(secret_for("clinician"), timezone.now())
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    response = client.post(VERIFY, {"code": wrong})
    assert "The security code is not right" in response.content.decode()
    event = AuditEvent.objects.filter(actor_email=personas.clinician.email).latest("id")
    assert (event.action, event.details) == (Action.SIGN_IN_FAILED, {"stage": "code"})


@time_machine.travel(T0, tick=False)
def test_a_code_cannot_be_used_twice(client: Client, personas: Personas) -> None:
    code = totp.code_at(secret_for("manager"), timezone.now())
    _password(client, personas.manager.email)
    assert _code(client, code) == reverse("home")
    client.post(reverse("accounts:sign_out"))
    _password(client, personas.manager.email)
    assert _code(client, code) == ""


@time_machine.travel(T0, tick=False)
def test_a_first_sign_in_enrols_the_authenticator_and_confirms_it_with_a_code(
    client: Client, personas: Personas
) -> None:
    newcomer = staff_member("newcomer@msk.example", Role.CLINICIAN, service=personas.our_service)
    assert _password(client, newcomer.email) == ENROL
    page = client.get(ENROL)
    assert '<svg role="img"' in page.content.decode()
    device = TotpDevice.objects.get(user=newcomer)
    assert not device.is_confirmed
    assert (
        client.get(ENROL).context["secret_groups"] == page.context["secret_groups"]
    )  # stable on reload
    assert _code(client, totp.code_at(device.secret, timezone.now()), url=ENROL) == reverse("home")
    device.refresh_from_db()
    assert device.is_confirmed
    assert _actions(newcomer.email)[-2:] == [Action.SECOND_FACTOR_ENROLLED, Action.SIGN_IN]


def test_the_code_step_is_refused_without_a_password_first(
    client: Client, personas: Personas
) -> None:
    response = client.get(VERIFY)
    assert response.headers["Location"] == SIGN_IN


def test_the_code_step_times_out_after_five_minutes(client: Client, personas: Personas) -> None:
    with time_machine.travel(T0, tick=False):
        _password(client, personas.triage.email)
    with time_machine.travel(T0 + timedelta(minutes=6), tick=False):
        code = totp.code_at(secret_for("triage"), timezone.now())
        assert _code(client, code) == SIGN_IN
        assert client.get(reverse("home")).status_code == 302


def test_patients_cannot_sign_in_with_a_password(client: Client, personas: Personas) -> None:
    response = client.post(SIGN_IN, {"email": personas.patient.email, "password": ""})
    assert response.status_code == 200
    assert not personas.patient.has_usable_password()


def test_five_failures_in_fifteen_minutes_lock_the_address_even_for_the_right_password(
    client: Client, personas: Personas
) -> None:
    email = personas.clinician.email
    with time_machine.travel(T0, tick=False):
        for _ in range(5):
            _password(client, email, password="guess")
        response = client.post(SIGN_IN, {"email": email, "password": PASSWORD})
    assert "too many attempts to sign in" in response.content.decode()
    assert _actions(email) == [Action.SIGN_IN_FAILED] * 5 + [Action.SIGN_IN_LOCKED]


def test_the_lock_lifts_when_the_failures_are_older_than_the_window(
    client: Client, personas: Personas
) -> None:
    email = personas.clinician.email
    with time_machine.travel(T0, tick=False):
        for _ in range(5):
            _password(client, email, password="guess")
    with time_machine.travel(T0 + timedelta(minutes=14), tick=False):
        assert _password(client, email) == ""
    with time_machine.travel(T0 + timedelta(minutes=15, seconds=1), tick=False):
        assert _password(client, email) == VERIFY


def test_wrong_codes_count_towards_the_lock(client: Client, personas: Personas) -> None:
    email = personas.triage.email
    with time_machine.travel(T0, tick=False):
        for _ in range(4):
            _password(client, email, password="guess")
        _password(client, email)
        client.post(VERIFY, {"code": "000000"})
        right = totp.code_at(secret_for("triage"), timezone.now())
        assert _code(client, right) == SIGN_IN  # locked: back to the start, not signed in
    assert client.get(reverse("home")).status_code == 302
    assert _actions(email)[-1] == Action.SIGN_IN_LOCKED


def test_a_successful_sign_in_clears_earlier_failures(client: Client, personas: Personas) -> None:
    email = personas.manager.email
    with time_machine.travel(T0, tick=False):
        for _ in range(4):
            _password(client, email, password="guess")
        _password(client, email)
        _code(client, totp.code_at(secret_for("manager"), timezone.now()))
        client.post(reverse("accounts:sign_out"))
    with time_machine.travel(T0 + timedelta(minutes=1), tick=False):
        _password(client, email, password="guess")
        assert _password(client, email) == VERIFY


def test_the_lockout_limit_comes_from_settings(
    client: Client, personas: Personas, settings: Settings
) -> None:
    settings.IMSK_LOCKOUT_FAILURES = 2
    email = personas.clinician.email
    with time_machine.travel(T0, tick=False):
        _password(client, email, password="guess")
        _password(client, email, password="guess")
        assert _password(client, email) == ""
    assert _actions(email)[-1] == Action.SIGN_IN_LOCKED


@time_machine.travel(T0, tick=False)
def test_signing_out_is_audited_and_ends_the_session(client: Client, personas: Personas) -> None:
    _password(client, personas.analyst.email)
    _code(client, totp.code_at(secret_for("analyst"), timezone.now()))
    response = client.post(reverse("accounts:sign_out"))
    assert response.headers["Location"] == SIGN_IN
    assert client.get(reverse("home")).status_code == 302
    assert _actions(personas.analyst.email)[-1] == Action.SIGN_OUT


def test_signing_out_needs_a_post(client: Client, personas: Personas) -> None:
    client.force_login(personas.analyst)
    assert client.get(reverse("accounts:sign_out")).status_code == 405
