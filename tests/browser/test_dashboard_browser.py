"""The dashboard in a real Chromium: every level with its charts and tables, drill-down, the CSV
download, suppressed figures for an analyst, an upload, and axe on every page visited."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from playwright.sync_api import Page
from pytest_django import Settings

from imsk.analytics.export import COLUMNS
from imsk.web.dashboard import services
from imsk.web.dashboard.models import DashboardDataset
from tests.browser.conftest import VisitedPage, assert_accessible, sign_in
from tests.web.personas import Personas, build_personas
from tests.web.test_dashboard_builders import remember_figures, write_dataset, zipped

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PERIOD = "start=2025-04-01&end=2026-03-31"


@pytest.fixture
def personas(live_server: Any) -> Personas:
    return build_personas()


@pytest.fixture
def national(
    personas: Personas, tmp_path: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> DashboardDataset:
    settings.IMSK_DASHBOARD_DIR = tmp_path / "dashboard"
    remember_figures(monkeypatch)
    dataset, _left = services.register_folder(write_dataset(tmp_path / "src"), label="All Wales")
    return dataset


def _charts_and_tables(page: Page) -> tuple[int, int]:
    return page.locator("svg.imsk-chart[role=img]").count(), page.locator(
        "table.nhsuk-table"
    ).count()


def test_a_national_analyst_drills_down_from_the_nation_to_a_service(
    visit: VisitedPage, live_server: Any, personas: Personas, national: DashboardDataset
) -> None:
    page = visit.page
    start = f"/dashboard/{national.pk}/kpis/?{PERIOD}&level=national"
    sign_in(
        visit, live_server.url, personas.national_analyst.email, "national_analyst", quote(start)
    )
    assert page.locator("h1").inner_text().startswith("KPIs: All Wales")
    assert _charts_and_tables(page) == (1, 1)
    assert_accessible(page)
    page.get_by_role("link", name="All services").click()
    assert page.locator("h1").inner_text().endswith("All services")
    assert _charts_and_tables(page) == (7, 9)  # seven charts; their tables, headline, boards
    assert_accessible(page)
    page.get_by_role("link", name="Health board 7A4").click()
    assert page.locator("h1").inner_text().endswith("Health board 7A4")
    assert _charts_and_tables(page) == (7, 9)
    assert_accessible(page)
    page.get_by_role("link", name="Cardiff and Vale hand therapy").click()
    assert page.locator("h1").inner_text().endswith("Cardiff and Vale hand therapy")
    assert _charts_and_tables(page) == (7, 8)  # a service has no groups below it
    assert page.locator("#suppression-notice").is_visible()
    assert_accessible(page)


def test_an_analyst_sees_suppressed_values_and_downloads_them_as_csv(
    visit: VisitedPage, live_server: Any, personas: Personas, national: DashboardDataset
) -> None:
    page = visit.page
    url = f"/dashboard/{national.pk}/kpis/service/cav-hand/?{PERIOD}"
    sign_in(visit, live_server.url, personas.analyst.email, "analyst", quote(url))
    received = page.locator("tr", has_text="Requests received").first
    assert received.locator("td").first.inner_text() == "*"
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download as CSV").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    lines = Path(download.path()).read_text(encoding="utf-8").splitlines()
    assert lines[0] == ",".join(COLUMNS)
    assert any(line.endswith(",requests_by_source,gp,*") for line in lines)


def test_an_analyst_uploads_a_data_set_and_reads_its_checks_first(
    visit: VisitedPage, live_server: Any, personas: Personas, tmp_path: Path, settings: Settings
) -> None:
    settings.IMSK_DASHBOARD_DIR = tmp_path / "dashboard"
    archive = tmp_path / "cardiff.zip"
    archive.write_bytes(zipped(write_dataset(tmp_path / "src")))
    page = visit.page
    sign_in(visit, live_server.url, personas.analyst.email, "analyst", quote("/dashboard/upload/"))
    assert page.locator("h1").inner_text() == "Upload a data set"
    assert_accessible(page)
    page.get_by_label("Name of the data set").fill("Cardiff and Vale 2025-26")
    page.get_by_label("Data set file (zip)").set_input_files(str(archive))
    page.get_by_role("button", name="Upload and check").click()
    assert page.locator("h1").inner_text() == "Cardiff and Vale 2025-26"
    assert page.locator("h2", has_text="Data quality checks").is_visible()
    assert page.get_by_role("button", name="Show KPIs").is_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/dashboard/")
    assert page.get_by_role("link", name="Cardiff and Vale 2025-26").is_visible()
    assert_accessible(page)
