"""The Django project as a whole: system checks pass and migrations match the models."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_the_models_need_no_new_migration() -> None:
    out = io.StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_the_manage_entry_point_runs_the_system_checks() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "imsk.web.manage", "check", "--fail-level", "WARNING"],
        env={"DATABASE_URL": "sqlite://:memory:", "PATH": ""},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
