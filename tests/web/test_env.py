"""Settings read from the environment: database URLs and typed values (no database needed)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from imsk.web.env import database_from_url, env_bool, env_int, env_list
from imsk.web.errors import SettingsError

BASE = Path("/srv/imsk")


def test_a_relative_sqlite_url_is_relative_to_the_repository() -> None:
    db = database_from_url("sqlite:///var/imsk.sqlite3", base_dir=BASE)
    assert db == {"ENGINE": "django.db.backends.sqlite3", "NAME": str(BASE / "var/imsk.sqlite3")}


def test_an_absolute_sqlite_url_keeps_its_path() -> None:
    assert database_from_url("sqlite:////tmp/x.sqlite3", base_dir=BASE)["NAME"] == "/tmp/x.sqlite3"


def test_sqlite_memory_urls_mean_an_in_memory_database() -> None:
    assert database_from_url("sqlite://:memory:", base_dir=BASE)["NAME"] == ":memory:"
    assert database_from_url("sqlite://", base_dir=BASE)["NAME"] == ":memory:"


def test_a_postgres_url_gives_every_connection_part_and_options() -> None:
    db = database_from_url(
        "postgres://imsk:s%40cret@db.internal:5433/imsk?sslmode=require", base_dir=BASE
    )
    assert db == {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "imsk",
        "USER": "imsk",
        "PASSWORD": "s@cret",
        "HOST": "db.internal",
        "PORT": "5433",
        "OPTIONS": {"sslmode": "require"},
    }


def test_an_unknown_scheme_is_refused_without_showing_the_password() -> None:
    with pytest.raises(SettingsError, match=r"mysql: mysql://u:\*\*\*@h/db") as caught:
        database_from_url("mysql://u:hunter2@h/db", base_dir=BASE)
    assert "hunter2" not in str(caught.value)


def test_a_postgres_url_without_a_database_name_is_refused() -> None:
    with pytest.raises(SettingsError, match="names no database"):
        database_from_url("postgres://postgres@127.0.0.1:5432/", base_dir=BASE)


def test_typed_values_are_read_and_bad_ones_name_the_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("IMSK_X_BOOL", "Off")
    monkeypatch.setenv("IMSK_X_INT", "7")
    monkeypatch.setenv("IMSK_X_LIST", " a.example, ,b.example ")
    assert env_bool("IMSK_X_BOOL", default=True) is False
    assert env_int("IMSK_X_INT", default=1) == 7
    assert env_list("IMSK_X_LIST", []) == ["a.example", "b.example"]
    monkeypatch.setenv("IMSK_X_BOOL", "perhaps")
    with pytest.raises(SettingsError, match="IMSK_X_BOOL must be true or false"):
        env_bool("IMSK_X_BOOL", default=True)
    monkeypatch.setenv("IMSK_X_INT", "0")
    with pytest.raises(SettingsError, match="IMSK_X_INT must be at least 1"):
        env_int("IMSK_X_INT", default=1)


def _import_settings(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "IMSK_"))}
    return subprocess.run(
        [sys.executable, "-c", "import imsk.web.settings"],
        env={**clean, "DATABASE_URL": "sqlite://:memory:", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_the_development_secret_key() -> None:
    result = _import_settings(DJANGO_DEBUG="false", DJANGO_ALLOWED_HOSTS="imsk.example")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is false" in result.stderr


def test_production_requires_allowed_hosts() -> None:
    result = _import_settings(DJANGO_DEBUG="false", DJANGO_SECRET_KEY="x" * 50)
    assert "DJANGO_ALLOWED_HOSTS must be set" in result.stderr


def test_production_starts_with_a_secret_key_and_hosts() -> None:
    result = _import_settings(
        DJANGO_DEBUG="false", DJANGO_SECRET_KEY="x" * 50, DJANGO_ALLOWED_HOSTS="imsk.example"
    )
    assert result.returncode == 0, result.stderr


def test_only_english_and_welsh_are_offered_as_the_default_language() -> None:
    result = _import_settings(DJANGO_LANGUAGE_CODE="fr")
    assert "DJANGO_LANGUAGE_CODE must be en or cy" in result.stderr


def test_the_dashboard_folder_and_upload_caps_come_from_the_environment(tmp_path: Path) -> None:
    shown = (
        "from imsk.web import settings as s; "
        "print(s.IMSK_DASHBOARD_DIR, s.IMSK_DASHBOARD_MAX_UPLOAD_MB, s.IMSK_DASHBOARD_MAX_UNPACKED_MB)"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "IMSK_"))}
    env = {
        **clean,
        "DATABASE_URL": "sqlite://:memory:",
        "IMSK_DASHBOARD_DIR": str(tmp_path / "sets"),
        "IMSK_DASHBOARD_MAX_UPLOAD_MB": "50",
        "IMSK_DASHBOARD_MAX_UNPACKED_MB": "500",
    }
    done = subprocess.run(
        [sys.executable, "-c", shown], env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == [str(tmp_path / "sets"), "50", "500"]
    refused = _import_settings(IMSK_DASHBOARD_MAX_UPLOAD_MB="lots")
    assert "IMSK_DASHBOARD_MAX_UPLOAD_MB must be a whole number" in refused.stderr
