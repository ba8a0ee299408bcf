"""pytest-django set-up for the web tests.

The settings module is ``imsk.web.settings``. pyproject may name it (``DJANGO_SETTINGS_MODULE`` in
``[tool.pytest.ini_options]``); if it does not, this hook sets it before any web test is collected.
Tests run on SQLite by default and on PostgreSQL when ``DATABASE_URL`` says so.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import django
import pytest
from django.apps import apps

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "imsk.web.settings")
if not apps.ready:
    django.setup()

from django.conf import settings as django_settings
from django.test import Client
from django.utils import translation
from pytest_django import Settings

from tests.web.personas import Personas, build_personas


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Settings) -> None:
    """PBKDF2 at production strength costs ~0.3 s a hash; tests need none of that strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _english_after_each_test() -> Iterator[None]:
    """A request in Welsh activates Welsh for the thread (LocaleMiddleware); a later test in the
    same worker would then read Welsh. Every test starts and ends in the default language."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture
def personas(db: None) -> Personas:
    return build_personas()


@pytest.fixture
def client_as(client: Client) -> Callable[..., Client]:
    """A client signed in as the given user (bypassing sign-in, which has its own tests)."""

    def sign_in(user: object) -> Client:
        client.force_login(user)  # type: ignore[arg-type]
        return client

    return sign_in
