"""The dashboard computes a new period's figures in a background job and shows its progress.

Most tests queue jobs on django-tasks' dummy backend, which keeps them queued, so that the page can
be seen while its figures are not computed; the test then runs the job itself
(``jobs.run_figure_job``, what the worker calls) or the real worker (``db_worker``) on the database
backend. The KPI engine's figures come from :func:`remember_figures` except where a test fakes the
engine to watch its progress or make it fail.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import Settings

from imsk.analytics.kpis.inputs import Level, Period
from imsk.core.errors import KpiError
from imsk.web.audit.models import Action, AuditEvent
from imsk.web.dashboard import figures, jobs, progress, services
from imsk.web.dashboard.models import ComputedFigures, DashboardDataset, FigureJob, JobState
from tests.web.personas import Personas
from tests.web.test_dashboard_builders import remember_figures, write_dataset

PERIOD = {"start": "2025-04-01", "end": "2026-03-31"}
THE_PERIOD = Period(date(2025, 4, 1), date(2026, 3, 31))
ClientAs = Callable[..., Client]
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def dashboard_dir(settings: Settings, tmp_path: Path) -> Path:
    settings.IMSK_DASHBOARD_DIR = tmp_path / "dashboard"
    return tmp_path / "dashboard"


@pytest.fixture
def remembered(monkeypatch: pytest.MonkeyPatch) -> None:
    remember_figures(monkeypatch)


@pytest.fixture
def queued_only(settings: Settings) -> None:
    """Jobs are queued and stay queued until the test runs them."""
    settings.TASKS = DUMMY


@pytest.fixture
def national(personas: Personas, tmp_path: Path) -> DashboardDataset:
    dataset, _left = services.register_folder(write_dataset(tmp_path / "src"), label="All Wales")
    return dataset


def _service_page(dataset: DashboardDataset) -> str:
    return reverse("dashboard:group", args=[dataset.pk, "service", "cav-msk"])


def _overview(dataset: DashboardDataset) -> str:
    return reverse("dashboard:overview", args=[dataset.pk])


def _job() -> FigureJob:
    return FigureJob.objects.select_related("dataset").get()


@pytest.mark.usefixtures("queued_only", "remembered")
def test_two_viewers_of_a_new_period_share_one_job_and_see_its_progress(
    personas: Personas, national: DashboardDataset, client: Client
) -> None:
    client.force_login(personas.manager)
    first = client.get(_service_page(national), PERIOD).content.decode()
    client.force_login(personas.clinician)
    second = client.get(_service_page(national), PERIOD).content.decode()
    job = _job()  # one job only: the second viewer joined the first's
    assert job.state == JobState.QUEUED
    assert job.requested_by == personas.manager
    assert (job.period_from, job.period_to) == (THE_PERIOD.start, THE_PERIOD.end)
    assert job.steps_total == figures.REPORT_STEPS + figures.TREND_STEPS
    for html in (first, second):
        assert "Figures are being computed" in html
        assert f'<meta http-equiv="refresh" content="{progress.REFRESH_SECONDS}">' in html
        assert f"Waiting to start: {job.steps_total} steps to do" in html
        assert '<progress class="imsk-progress" max="100" value="0"' in html
        assert "imsk-chart" not in html
    assert not ComputedFigures.objects.exists()  # nothing was computed in the requests
    created = AuditEvent.objects.filter(action=Action.CREATE, object_type="dashboard.figurejob")
    assert [(e.actor, e.object_id) for e in created] == [(personas.manager, str(job.pk))]


def test_a_second_open_job_for_the_same_period_is_refused_by_the_database(
    national: DashboardDataset,
) -> None:
    key = {
        "dataset": national,
        "period_from": THE_PERIOD.start,
        "period_to": THE_PERIOD.end,
        "version": figures.VERSION,
    }
    FigureJob.objects.create(**key, state=JobState.RUNNING)
    FigureJob.objects.create(**key, state=JobState.FAILED)  # closed jobs do not count
    with pytest.raises(IntegrityError), transaction.atomic():
        FigureJob.objects.create(**key, state=JobState.QUEUED)


@pytest.mark.usefixtures("queued_only")
def test_a_viewer_who_asks_at_the_same_moment_as_another_joins_their_job(
    personas: Personas, national: DashboardDataset
) -> None:
    """Both saw no open job; the second one's insert collides with the first's, and it joins."""
    theirs, created = jobs._create(national, THE_PERIOD, actor=personas.manager, after=None)
    ours, created_again = jobs._create(national, THE_PERIOD, actor=personas.clinician, after=None)
    assert (created, created_again) == (True, False)
    assert ours.pk == theirs.pk
    assert FigureJob.objects.count() == 1


class _FakeEngine:
    """Stands in for the KPI engine: reports its steps like the real one and, at each step, notes
    what the job row says, so the test sees what a viewer would see at that moment."""

    def __init__(self, job_id: Callable[[], int]) -> None:
        self.job_id = job_id
        self.seen: list[tuple[str, int, int, int]] = []

    def _note(self, progress: figures.Progress, name: str, kpis: int) -> None:
        progress.step(name)
        row = FigureJob.objects.get(pk=self.job_id())
        self.seen.append((row.step, row.steps_done, row.steps_total, row.kpis_done))
        for position in range(1, kpis + 1):
            progress.kpi(position, kpis, f"kpi{position}")

    def reports(self, folder: Path, period: Period, progress: figures.Progress) -> Any:
        for name in ("load", "prepare", *(f"level:{level.value}" for level in Level)):
            self._note(progress, name, 2)
        return {level: {"by": level.value, "groups": []} for level in Level}

    def trends(self, folder: Path, end: date, progress: figures.Progress) -> Any:
        months = figures.trend_months(end)
        names = ["load", "prepare_months", *(f"month:{m.start:%Y-%m}" for m in months)]
        for name in names:
            self._note(progress, name, 0)
        return {level: [{"by": level.value, "groups": []} for _m in months] for level in Level}


@pytest.mark.usefixtures("queued_only")
def test_the_job_records_each_step_as_the_engine_reports_it(
    personas: Personas,
    national: DashboardDataset,
    client_as: ClientAs,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    engine = _FakeEngine(lambda: _job().pk)
    monkeypatch.setattr(figures, "compute_reports", engine.reports)
    monkeypatch.setattr(figures, "compute_trends", engine.trends)
    client_as(personas.manager).get(_service_page(national), PERIOD)
    assert jobs.run_figure_job(_job().pk) == JobState.DONE
    total = figures.REPORT_STEPS + figures.TREND_STEPS
    assert [(name, done) for name, done, _total, _kpis in engine.seen] == [
        (name, done)
        for done, name in enumerate(
            [
                "load",
                "prepare",
                "level:national",
                "level:health_board",
                "level:service",
                "load",
                "prepare_months",
                *(f"month:{m.start:%Y-%m}" for m in figures.trend_months(THE_PERIOD.end)),
            ]
        )
    ]
    assert {seen_total for _name, _done, seen_total, _kpis in engine.seen} == {total}
    job = _job()
    assert (job.state, job.steps_done, job.steps_total) == (JobState.DONE, total, total)
    assert job.started_at is not None
    assert job.finished_at is not None
    assert ComputedFigures.objects.filter(dataset=national).count() == 2 * len(Level)


@pytest.mark.usefixtures("queued_only", "remembered")
def test_a_running_job_says_which_step_of_how_many_it_is_on(
    personas: Personas, national: DashboardDataset, client_as: ClientAs
) -> None:
    client = client_as(personas.manager)
    client.get(_service_page(national), PERIOD)
    FigureJob.objects.update(
        state=JobState.RUNNING,
        step="level:health_board",
        steps_done=3,
        steps_total=19,
        kpis_done=10,
        kpis_total=40,
    )
    html = client.get(_service_page(national), PERIOD).content.decode()
    assert "Step 4 of 19: Computing the figures by health board (10 of 40 KPIs)" in html
    assert 'max="100" value="17"' in html  # (3 + 10/40) of 19 steps
    assert "17% done</progress>" in html
    FigureJob.objects.update(step="month:2025-11", steps_done=14, kpis_done=0, kpis_total=0)
    html = client.get(_service_page(national), PERIOD).content.decode()
    assert "Step 15 of 19: Computing the monthly trend: November 2025" in html


@pytest.mark.usefixtures("queued_only", "remembered")
def test_the_reader_can_stop_the_page_loading_itself_again(
    personas: Personas, national: DashboardDataset, client_as: ClientAs
) -> None:
    client = client_as(personas.manager)
    refreshing = client.get(_service_page(national), PERIOD).content.decode()
    off = f"{_service_page(national)}?start=2025-04-01&amp;end=2026-03-31&amp;refresh=off"
    assert f'<a href="{off}">Stop loading this page again</a>' in refreshing
    still = client.get(_service_page(national), {**PERIOD, "refresh": "off"}).content.decode()
    assert 'http-equiv="refresh"' not in still
    assert "Figures are being computed" in still
    assert f'<a class="nhsuk-button" href="{off}">Check again</a>' in still
    on = f"{_service_page(national)}?start=2025-04-01&amp;end=2026-03-31"
    assert f'<a href="{on}">Load this page again every few seconds</a>' in still


@pytest.mark.usefixtures("queued_only", "remembered")
def test_when_the_job_is_done_the_page_shows_the_figures(
    personas: Personas, national: DashboardDataset, client_as: ClientAs
) -> None:
    client = client_as(personas.manager)
    assert "Figures are being computed" in client.get(_service_page(national), PERIOD).text
    assert jobs.run_figure_job(_job().pk) == JobState.DONE
    page = client.get(_service_page(national), PERIOD)
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('<svg class="imsk-chart"') == 7
    assert "Figures are being computed" not in html
    assert 'http-equiv="refresh"' not in html
    overview = client.get(_overview(national), PERIOD).content.decode()
    assert "Headline KPIs by group" in overview  # every level was kept by the one job
    assert FigureJob.objects.count() == 1
    done = AuditEvent.objects.get(action=Action.UPDATE, object_type="dashboard.figurejob")
    assert (done.actor, done.details["state"]) == (None, "done")


@pytest.mark.usefixtures("queued_only", "remembered")
def test_a_failed_job_shows_its_error_and_trying_again_starts_a_fresh_run(
    personas: Personas,
    national: DashboardDataset,
    client_as: ClientAs,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    working = figures.compute_reports

    def broken(folder: Path, period: Period, progress: figures.Progress) -> Any:
        progress.step("load")
        raise KpiError("the requests table cannot be read")

    monkeypatch.setattr(figures, "compute_reports", broken)
    client = client_as(personas.manager)
    client.get(_service_page(national), PERIOD)
    assert jobs.run_figure_job(_job().pk) == JobState.FAILED
    failed = _job()
    assert (failed.state, failed.error) == (JobState.FAILED, "the requests table cannot be read")
    html = client.get(_service_page(national), PERIOD).content.decode()
    assert "The figures could not be computed" in html
    assert "the requests table cannot be read" in html
    assert "Try again" in html
    assert 'http-equiv="refresh"' not in html
    assert FigureJob.objects.count() == 1  # viewing a failed job does not start another

    monkeypatch.setattr(figures, "compute_reports", working)
    page = _service_page(national)
    response = client.post(
        reverse("dashboard:retry", args=[national.pk]),
        {**PERIOD, "level": "", "return_to": f"{page}?start=2025-04-01&end=2026-03-31"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{page}?start=2025-04-01&end=2026-03-31"
    fresh = FigureJob.objects.exclude(pk=failed.pk).get()
    assert (fresh.state, fresh.requested_by) == (JobState.QUEUED, personas.manager)
    assert FigureJob.objects.get(pk=failed.pk).error == "the requests table cannot be read"
    retried = AuditEvent.objects.get(
        action=Action.CREATE, object_type="dashboard.figurejob", object_id=str(fresh.pk)
    )
    assert retried.details["retry_of"] == failed.pk
    assert jobs.run_figure_job(fresh.pk) == JobState.DONE
    assert client.get(page, PERIOD).content.decode().count('<svg class="imsk-chart"') == 7


@pytest.mark.usefixtures("queued_only")
def test_trying_again_returns_only_to_a_page_of_the_same_data_set(
    personas: Personas, national: DashboardDataset, client_as: ClientAs
) -> None:
    response = client_as(personas.manager).post(
        reverse("dashboard:retry", args=[national.pk]),
        {**PERIOD, "level": "service", "return_to": "https://elsewhere.example/"},
    )
    assert response["Location"] == (
        f"{_overview(national)}?start=2025-04-01&end=2026-03-31&level=service"
    )


@pytest.mark.usefixtures("queued_only")
def test_someone_who_may_not_see_the_figures_cannot_start_a_job(
    personas: Personas, tmp_path: Path, client_as: ClientAs, client: Client
) -> None:
    board, _left = services.register_folder(
        write_dataset(tmp_path / "src"), label="Cardiff and Vale", health_board="7A4"
    )
    retry = reverse("dashboard:retry", args=[board.pk])
    other = client_as(personas.other_board_clinician)
    assert other.get(_overview(board), PERIOD).status_code == 404
    assert other.get(_service_page(board), PERIOD).status_code == 404
    assert other.post(retry, PERIOD).status_code == 404
    manager = client_as(personas.manager)  # their service, not their board's page
    board_page = reverse("dashboard:group", args=[board.pk, "health_board", "7A4"])
    assert manager.get(board_page, PERIOD).status_code == 403
    assert client_as(personas.referrer).post(retry, PERIOD).status_code == 403
    client.logout()
    assert client.post(retry, PERIOD).status_code == 302  # to sign in
    assert not FigureJob.objects.exists()


@pytest.mark.usefixtures("queued_only", "remembered")
def test_an_export_of_figures_not_yet_computed_leads_to_their_progress(
    personas: Personas, national: DashboardDataset, client_as: ClientAs
) -> None:
    client = client_as(personas.analyst)
    response = client.post(
        reverse("dashboard:export", args=[national.pk, "csv"]),
        {**PERIOD, "level": "health_board", "group": "7A4"},
    )
    assert response.status_code == 302
    page = reverse("dashboard:group", args=[national.pk, "health_board", "7A4"])
    assert response["Location"] == f"{page}?start=2025-04-01&end=2026-03-31"
    assert _job().state == JobState.QUEUED
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()
    assert "Figures are being computed" in client.get(response["Location"]).content.decode()


@pytest.mark.usefixtures("queued_only")
def test_a_job_that_stopped_recording_progress_is_closed_so_it_can_be_tried_again(
    personas: Personas, national: DashboardDataset
) -> None:
    job = jobs.request_figures(national, THE_PERIOD, actor=personas.manager)
    assert job is not None
    FigureJob.objects.update(
        state=JobState.RUNNING, updated_at=timezone.now() - jobs.STALE_AFTER - timedelta(minutes=1)
    )
    shown = jobs.request_figures(national, THE_PERIOD, actor=personas.manager)
    assert shown is not None
    assert (shown.pk, shown.state, shown.error) == (job.pk, JobState.FAILED, jobs.STALE_MESSAGE)
    assert jobs.run_figure_job(job.pk) == JobState.FAILED  # a late worker leaves it alone


@pytest.fixture
def worker_backend(settings: Settings) -> None:
    """Jobs are queued in the database for the worker (the production set-up)."""
    settings.TASKS = DATABASE


# Committed rows: the worker closes and reopens its database connection between tasks, which would
# end a test's enclosing transaction on PostgreSQL.
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("worker_backend", "remembered")
def test_the_worker_runs_a_queued_job(
    personas: Personas, national: DashboardDataset, client_as: ClientAs
) -> None:
    client = client_as(personas.manager)
    assert "Figures are being computed" in client.get(_service_page(national), PERIOD).text
    job = _job()
    assert job.state == JobState.QUEUED
    assert job.task_id  # the worker's queue holds its task
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO())
    job.refresh_from_db()
    assert (job.state, job.steps_done) == (JobState.DONE, job.steps_total)
    assert client.get(_service_page(national), PERIOD).text.count('<svg class="imsk-chart"') == 7


@pytest.mark.usefixtures("queued_only", "remembered")
def test_the_warm_option_computes_the_default_period_in_the_command(
    tmp_path: Path, db: None
) -> None:
    out = io.StringIO()
    call_command(
        "imsk_load_dashboard_data", str(write_dataset(tmp_path / "src")), "--warm", stdout=out
    )
    job = _job()
    assert job.state == JobState.DONE  # run in the command although the queue never runs jobs
    assert jobs.figures_kept(job.dataset, Period(job.period_from, job.period_to))
    assert f"computed in {job.steps_total} steps" in out.getvalue()


def test_the_engine_reports_the_steps_and_kpis_of_a_report(tmp_path: Path) -> None:
    """The real engine, not a fake: every step is announced and the KPIs of each level counted."""
    steps: list[str] = []
    kpis: list[tuple[int, int]] = []

    class Recorder:
        def step(self, name: str) -> None:
            steps.append(name)

        def kpi(self, position: int, total: int, kpi_id: str) -> None:
            kpis.append((position, total))

    month = Period(date(2026, 3, 1), date(2026, 3, 31))
    reports = figures.compute_reports(write_dataset(tmp_path / "src"), month, Recorder())
    assert steps == ["load", "prepare", *(f"level:{level.value}" for level in Level)]
    assert len(steps) == figures.REPORT_STEPS
    assert set(reports) == set(Level)
    assert kpis
    assert all(0 < position <= total for position, total in kpis)


@pytest.mark.usefixtures("queued_only", "remembered")
def test_the_progress_page_speaks_welsh(
    personas: Personas, national: DashboardDataset, client_as: ClientAs
) -> None:
    client = client_as(personas.manager)
    client.cookies["django_language"] = "cy"
    client.get(_service_page(national), PERIOD)
    FigureJob.objects.update(state=JobState.RUNNING, step="load", steps_done=0, steps_total=19)
    html = client.get(_service_page(national), PERIOD).content.decode()
    assert "Figures are being computed" not in html
    assert "Cam 1 o 19: Darllen y set ddata" in html


def _tasks_backend(**env: str) -> subprocess.CompletedProcess[str]:
    """The task backend the settings choose for this environment (read in a fresh interpreter)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "IMSK_"))}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import imsk.web.settings as s; print(s.TASKS['default']['BACKEND'])",
        ],
        env={**clean, "DATABASE_URL": "sqlite://:memory:", **env},
        capture_output=True,
        text=True,
        check=False,
    )


PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "x" * 50,
    "DJANGO_ALLOWED_HOSTS": "imsk.example",
}


def test_production_queues_jobs_for_the_worker_and_development_runs_them_at_once() -> None:
    assert _tasks_backend(**PRODUCTION).stdout.strip() == "django_tasks_db.DatabaseBackend"
    assert _tasks_backend().stdout.strip() == "django_tasks.backends.immediate.ImmediateBackend"
    chosen = _tasks_backend(**PRODUCTION, IMSK_TASKS_BACKEND="immediate")
    assert chosen.stdout.strip() == "django_tasks.backends.immediate.ImmediateBackend"
    refused = _tasks_backend(IMSK_TASKS_BACKEND="celery")
    assert "IMSK_TASKS_BACKEND must be database or immediate" in refused.stderr
