"""Sessions end after 30 idle minutes and when the browser closes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.web.personas import Personas, sign_in

T0 = datetime(2026, 3, 27, 9, 0, 10, tzinfo=UTC)
HOME = reverse("home")

pytestmark = pytest.mark.django_db


def _at(minutes: float) -> time_machine.travel:
    return time_machine.travel(T0 + timedelta(minutes=minutes), tick=False)


def test_the_idle_timeout_is_thirty_minutes_by_default() -> None:
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST


def test_a_session_ends_after_thirty_minutes_without_a_request(
    client: Client, personas: Personas
) -> None:
    with _at(0):
        sign_in(client, personas.clinician, "clinician")
    with _at(31):
        response = client.get(HOME)
    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("accounts:sign_in"))


def test_each_request_restarts_the_idle_clock(client: Client, personas: Personas) -> None:
    with _at(0):
        sign_in(client, personas.clinician, "clinician")
    for minutes in (25, 50, 75):
        with _at(minutes):
            assert client.get(HOME).status_code == 200
    with _at(75 + 31):
        assert client.get(HOME).status_code == 302


def test_the_session_cookie_ends_when_the_browser_closes_and_scripts_cannot_read_it(
    client: Client, personas: Personas
) -> None:
    with _at(0):
        sign_in(client, personas.clinician, "clinician")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["expires"] == ""
    assert cookie["max-age"] == ""
    assert cookie["httponly"] is True
