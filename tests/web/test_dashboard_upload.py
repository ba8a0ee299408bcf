"""Uploading a data set zip: only analysts, checked before anything is written, validated, audited."""

from __future__ import annotations

import io
import stat
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pytest_django import Settings

from imsk.web.audit.models import Action, AuditEvent
from imsk.web.dashboard.errors import UploadError
from imsk.web.dashboard.models import DashboardDataset
from imsk.web.dashboard.uploads import Limits, checked_members
from tests.web.personas import Personas
from tests.web.test_dashboard_builders import write_dataset, write_invalid_dataset, zipped

ClientAs = Callable[..., Client]


@pytest.fixture(autouse=True)
def dashboard_dir(settings: Settings, tmp_path: Path) -> Path:
    settings.IMSK_DASHBOARD_DIR = tmp_path / "dashboard"
    return tmp_path / "dashboard"


def _post(client: Client, content: bytes, name: str = "data.zip") -> str:
    response = client.post(
        reverse("dashboard:upload"),
        {"label": "Cardiff and Vale 2025-26", "archive": SimpleUploadedFile(name, content)},
    )
    return response.content.decode() if response.status_code == 200 else response["Location"]


def _zip(entries: dict[str, bytes], *, link: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
        if link is not None:
            info = zipfile.ZipInfo(link)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, "/etc/passwd")
    return buffer.getvalue()


def _members(content: bytes) -> list[zipfile.ZipInfo]:
    return zipfile.ZipFile(io.BytesIO(content)).infolist()


def test_a_board_analyst_uploads_a_zip_which_is_validated_scoped_and_audited(
    personas: Personas, tmp_path: Path, client_as: ClientAs, dashboard_dir: Path
) -> None:
    location = _post(client_as(personas.analyst), zipped(write_dataset(tmp_path / "data")))
    dataset = DashboardDataset.objects.get()
    assert location == reverse("dashboard:dataset", args=[dataset.pk])
    assert (dataset.is_valid, dataset.health_board, dataset.uploaded_by) == (
        True,
        "7A4",
        personas.analyst,
    )
    assert sorted(p.name for p in (dashboard_dir / dataset.folder).iterdir())[:2] == [
        "contacts.csv",
        "costs.csv",
    ]
    event = AuditEvent.objects.get(action=Action.CREATE, object_type="dashboard.dashboarddataset")
    assert (event.actor, event.health_board, event.details["valid"]) == (
        personas.analyst,
        "7A4",
        True,
    )


def test_the_validation_report_comes_before_any_figure(
    personas: Personas, tmp_path: Path, client_as: ClientAs
) -> None:
    client = client_as(personas.analyst)
    _post(client, zipped(write_invalid_dataset(tmp_path / "bad"), inside=""))
    dataset = DashboardDataset.objects.get()
    html = client.get(reverse("dashboard:dataset", args=[dataset.pk])).content.decode()
    assert not dataset.is_valid
    assert html.index("Data quality checks") < html.index("Findings by table, row and field")
    assert "no-such-service" in html
    assert 'id="finding-counts"' in html


def test_service_staff_see_finding_counts_but_not_the_rows(
    personas: Personas, tmp_path: Path, client_as: ClientAs
) -> None:
    _post(client_as(personas.analyst), zipped(write_dataset(tmp_path / "data")))
    dataset = DashboardDataset.objects.get()
    html = client_as(personas.manager).get(reverse("dashboard:dataset", args=[dataset.pk]))
    assert html.status_code == 200
    assert 'id="findings"' not in html.content.decode()


@pytest.mark.parametrize(
    ("entries", "link", "message"),
    [
        ({"../evil/requests.csv": b"x"}, None, "outside the data set folder"),
        ({"/etc/requests.csv": b"x"}, None, "outside the data set folder"),
        ({"data\\requests.csv": b"x"}, None, "outside the data set folder"),
        ({"notes.txt": b"x"}, None, "is not a table file"),
        ({"a/b/requests.csv": b"x"}, None, "only one folder level"),
        ({"a/requests.csv": b"x", "b/services.csv": b"x"}, None, "more than one folder"),
        ({"requests.csv": b"x", "d/requests.csv": b"x"}, None, "given twice"),
        ({"requests.csv": b"x"}, "services.csv", "symbolic links"),
    ],
)
def test_an_unsafe_zip_entry_is_refused_by_name(
    entries: dict[str, bytes], link: str | None, message: str
) -> None:
    with pytest.raises(UploadError, match=message):
        checked_members(_members(_zip(entries, link=link)), Limits())


def test_a_zip_bomb_is_refused_before_it_is_unpacked() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("requests.csv", b"0" * (20 * 1024 * 1024))
    with pytest.raises(UploadError, match="compressed more than"):
        checked_members(_members(buffer.getvalue()), Limits())


def test_a_zip_that_unpacks_beyond_the_cap_is_refused() -> None:
    content = _zip({"requests.csv": b"x" * 2048})
    with pytest.raises(UploadError, match="unpacks to"):
        checked_members(_members(content), Limits(unpacked_bytes=1024))


def test_a_refused_upload_writes_nothing_and_says_why(
    personas: Personas, client_as: ClientAs, dashboard_dir: Path
) -> None:
    html = _post(client_as(personas.analyst), _zip({"../../etc/cron.d/x.csv": b"x"}))
    assert "The file was refused" in html
    assert "outside the data set folder" in html
    assert DashboardDataset.objects.count() == 0
    assert not dashboard_dir.exists() or not any(dashboard_dir.iterdir())


def test_a_file_that_is_not_a_zip_is_refused(personas: Personas, client_as: ClientAs) -> None:
    assert "must be a zip file" in _post(client_as(personas.analyst), b"a,b\n", "data.csv")
    assert "is not a zip archive" in _post(client_as(personas.analyst), b"a,b\n", "data.zip")


def test_an_upload_over_the_size_cap_is_refused(
    personas: Personas, settings: Settings, client_as: ClientAs
) -> None:
    settings.IMSK_DASHBOARD_MAX_UPLOAD_MB = 0
    html = _post(client_as(personas.analyst), _zip({"requests.csv": b"x"}))
    assert "the largest upload is 0 MB" in html
