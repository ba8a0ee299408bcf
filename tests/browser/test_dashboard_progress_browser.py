"""The dashboard's progress page in a real Chromium: a new period's figures are computed by a job
while the page shows its progress and loads itself again (no JavaScript needed), then the figures;
the reader can stop the refresh; a failed job offers to try again. axe checks each state."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from playwright.sync_api import Page
from pytest_django import Settings

from imsk.core.errors import KpiError
from imsk.web.dashboard import figures, jobs, services
from imsk.web.dashboard.models import DashboardDataset, FigureJob, JobState
from tests.browser.conftest import (
    AXE,
    BLOCKING_IMPACTS,
    VisitedPage,
    assert_accessible,
    sign_in,
)
from tests.web.personas import Personas, build_personas
from tests.web.test_dashboard_builders import remember_figures, write_dataset

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
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    remember_figures(monkeypatch)
    dataset, _left = services.register_folder(write_dataset(tmp_path / "src"), label="All Wales")
    return dataset


def _accessible_but_for_its_refresh(page: Page) -> None:
    """axe's meta-refresh rule fails any automatic refresh, even one the reader can turn off, which
    WCAG 2.2.1 allows ("turn off"); the page's stop link is that control. Everything else must
    pass, and the same page without its refresh is checked in full."""
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate("axe.run({rules: {'meta-refresh': {enabled: false}}})")
    blocking = [v["id"] for v in result["violations"] if v["impact"] in BLOCKING_IMPACTS]
    assert blocking == []
    assert page.get_by_role("link", name="Stop loading this page again").is_visible()


def test_the_page_shows_the_progress_then_loads_itself_again_with_the_figures(
    visit: VisitedPage, live_server: Any, personas: Personas, national: DashboardDataset
) -> None:
    page = visit.page
    url = f"/dashboard/{national.pk}/kpis/service/cav-msk/?{PERIOD}"
    sign_in(visit, live_server.url, personas.manager.email, "manager", quote(url))
    assert page.get_by_role("heading", name="Figures are being computed").is_visible()
    bar = page.get_by_role("progressbar", name="Figures are being computed")
    assert bar.get_attribute("value") == "0"
    assert page.get_by_role("status").inner_text().startswith("Waiting to start")
    _accessible_but_for_its_refresh(page)
    page.get_by_role("link", name="Stop loading this page again").click()
    assert page.get_by_role("link", name="Check again").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Load this page again every few seconds").click()
    assert jobs.run_figure_job(FigureJob.objects.get().pk) == JobState.DONE
    # No click: the page's own refresh brings the figures.
    page.locator("svg.imsk-chart").first.wait_for(timeout=60_000)
    assert page.locator("svg.imsk-chart[role=img]").count() == 7
    assert_accessible(page)


def test_a_failed_computation_is_explained_and_can_be_tried_again(
    visit: VisitedPage,
    live_server: Any,
    personas: Personas,
    national: DashboardDataset,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(folder: Path, period: Any, progress: figures.Progress) -> Any:
        raise KpiError("the requests table cannot be read")

    working = figures.compute_reports
    monkeypatch.setattr(figures, "compute_reports", broken)
    page = visit.page
    url = f"/dashboard/{national.pk}/kpis/?{PERIOD}&level=service"
    sign_in(visit, live_server.url, personas.manager.email, "manager", quote(url))
    assert jobs.run_figure_job(FigureJob.objects.get().pk) == JobState.FAILED
    page.reload()
    assert page.get_by_role("alert").inner_text().startswith("The figures could not be computed")
    assert page.get_by_text("the requests table cannot be read").is_visible()
    assert_accessible(page)
    monkeypatch.setattr(figures, "compute_reports", working)
    page.get_by_role("button", name="Try again").click()
    assert page.get_by_role("heading", name="Figures are being computed").is_visible()
    assert page.url.endswith(url)
    assert FigureJob.objects.filter(state=JobState.QUEUED).count() == 1
