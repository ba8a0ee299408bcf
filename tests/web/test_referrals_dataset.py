"""Data out and in: export to the data set folder, the database views, and loading a folder."""

from __future__ import annotations

import csv
import shutil
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from imsk.core.dataset.schema import SCHEMA
from imsk.dataio.dataset import validate_dataset
from imsk.web.referrals import services
from imsk.web.referrals.export import number
from imsk.web.referrals.models import Channel, ConditionCodeEntry, Request
from tests.web.personas import Personas

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "dataset"


def _read(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def _text(value: object) -> str:
    """A view's value in the data set's CSV form (PostgreSQL gives typed values)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float | Decimal):
        return number(float(value))
    return str(value)


def _view_rows(table: str) -> list[list[str]]:
    columns = ", ".join(SCHEMA[table].column_names)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM msk_{table}")
        return [[_text(v) for v in row] for row in cursor.fetchall()]


def _app_request(personas: Personas, received_at: datetime, code: str) -> Request:
    new = services.NewRequest(
        service=personas.our_service,
        channel=Channel.WEB_FORM,
        source="gp",
        category="management_opinion",
        received_at=received_at,
        age=61,
        referrer_practice="W91042",
        condition_code=code,
    )
    return services.create_request(new, actor=personas.referrer)


@pytest.fixture
def loaded(personas: Personas) -> None:
    """The example data set plus two requests received by the application, in summer and winter."""
    call_command("imsk_load_dataset", str(EXAMPLE))
    _app_request(personas, datetime(2026, 7, 1, 8, 30, 15, 123456, tzinfo=UTC), "KNEE.OA")
    _app_request(personas, datetime(2026, 1, 5, 23, 59, 59, tzinfo=UTC), "HIP.OA")


def test_an_export_passes_the_data_set_validator_with_no_error(
    loaded: None, tmp_path: Path
) -> None:
    call_command("imsk_export_dataset", str(tmp_path / "out"))
    report = validate_dataset(tmp_path / "out")
    assert report.error_count == 0, [str(f) for f in report.findings]
    for table in SCHEMA:
        header, _rows = _read(tmp_path / "out" / f"{table}.csv")
        assert tuple(header) == SCHEMA[table].column_names


def test_export_writes_london_wall_clock_time(loaded: None, tmp_path: Path) -> None:
    """dataset.md: timestamps are local time (Europe/London), no offset."""
    call_command("imsk_export_dataset", str(tmp_path))
    _header, rows = _read(tmp_path / "requests.csv")
    received = {row[3] for row in rows}
    assert "2026-07-01T09:30:15" in received  # BST: UTC+1
    assert "2026-01-05T23:59:59" in received  # GMT


def test_the_views_return_the_same_rows_as_the_export(loaded: None, tmp_path: Path) -> None:
    call_command("imsk_export_dataset", str(tmp_path))
    for table in SCHEMA:
        _header, exported = _read(tmp_path / f"{table}.csv")
        assert sorted(_view_rows(table)) == sorted(exported), table


def test_the_example_data_set_round_trips_through_the_record(
    personas: Personas, tmp_path: Path
) -> None:
    call_command("imsk_load_dataset", str(EXAMPLE))
    call_command("imsk_export_dataset", str(tmp_path))
    for table in ("requests", "contacts", "exits", "onward_referrals", "activities"):
        _h, original = _read(EXAMPLE / f"{table}.csv")
        _h, exported = _read(tmp_path / f"{table}.csv")
        seconds = [
            [c + ":00" if len(c) == 16 and c[10:11] == "T" else c for c in row] for row in original
        ]
        assert sorted(exported) == sorted(seconds), table


def test_loading_the_same_data_set_twice_adds_nothing(personas: Personas) -> None:
    first = services.load_dataset(actor=None, folder=EXAMPLE)
    counts = {name: Request.objects.count() for name in ("requests",)}
    second = services.load_dataset(actor=None, folder=EXAMPLE)
    assert first["requests"]["inserted"] == 20
    assert all(figures["inserted"] == 0 for figures in second.values())
    assert Request.objects.count() == counts["requests"] == 20
    assert ConditionCodeEntry.objects.count() == first["condition_codes"]["read"]


def test_a_data_set_with_an_error_finding_is_refused_and_nothing_is_loaded(
    db: None, tmp_path: Path
) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(EXAMPLE, broken)
    text = (broken / "requests.csv").read_text(encoding="utf-8")
    (broken / "requests.csv").write_text(text.replace(",gp,", ",GP,", 1), encoding="utf-8")
    with pytest.raises(CommandError, match="error finding"):
        call_command("imsk_load_dataset", str(broken))
    assert Request.objects.count() == 0
