"""The ``imsk_demo_users`` command: demo accounts per role, for development sites only."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import Settings

from imsk.web.accounts import totp
from imsk.web.accounts.management.commands.imsk_demo_users import DEMO_PASSWORD
from imsk.web.accounts.models import Role, User

pytestmark = pytest.mark.django_db


def _run() -> str:
    out = io.StringIO()
    call_command("imsk_demo_users", stdout=out)
    return out.getvalue()


def test_the_demo_command_refuses_to_run_when_debug_is_off(settings: Settings) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only when DJANGO_DEBUG is true"):
        _run()
    assert not User.objects.exists()


def test_the_demo_command_makes_one_user_per_role_and_prints_working_secrets(
    settings: Settings, client: Client
) -> None:
    settings.DEBUG = True
    output = _run()
    assert set(User.objects.values_list("role", flat=True)) == set(Role)
    secret = re.search(
        r"^triage@demo\.imsk\.invalid\s+triage_clinician\s+([A-Z2-7]{32})", output, re.M
    )
    assert secret is not None
    client.post(
        reverse("accounts:sign_in"),
        {"email": "triage@demo.imsk.invalid", "password": DEMO_PASSWORD},
    )
    code = totp.code_at(secret.group(1), timezone.now())
    assert client.post(reverse("accounts:verify"), {"code": code}).headers["Location"] == reverse(
        "home"
    )


def test_running_the_demo_command_again_keeps_one_account_each(settings: Settings) -> None:
    settings.DEBUG = True
    _run()
    count = User.objects.count()
    _run()
    assert User.objects.count() == count
