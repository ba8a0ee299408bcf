"""Computing a period's figures in the background: the one writer of figure jobs and kept figures.

The first view of a period needs its KPI report at every level and its twelve-month trend
(:mod:`.figures`); on a national data set that takes the engine a minute or more, longer than a
page may wait. So the view asks :func:`request_figures`, which answers ``None`` when the figures are
kept, and otherwise the :class:`FigureJob` computing them: the open job of the period if there is
one (a second viewer joins it; a unique constraint on the open job makes a duplicate impossible even
when two viewers ask at the same moment), else a new job, queued with django-tasks
(:mod:`.tasks`). A failed job is shown with its error until someone asks again (``retry``), which
starts a new job; every run is kept.

The task worker (``db_worker``) runs :func:`run_figure_job`: it claims the queued job, computes
what is not yet kept (the trend of a period ending on the same day as another may be), records each
step and KPI as the engine reports it, then keeps the figures and marks the job done, or failed with
the error's message, each in one transaction with its audit event. With the ``immediate`` backend
(development, tests) the job runs inside the request that asked for it.

A job that has recorded nothing for :data:`STALE_AFTER` (its worker was stopped, or never came) is
closed as failed the next time its period is asked for, so that it can be tried again.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta
from typing import Any, Final

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from imsk.analytics.kpis.inputs import Level, Period
from imsk.core.errors import ImskError
from imsk.web.accounts.models import User
from imsk.web.audit.models import Action
from imsk.web.audit.services import Subject, record
from imsk.web.dashboard import figures, uploads
from imsk.web.dashboard.models import (
    OPEN_STATES,
    ComputedFigures,
    DashboardDataset,
    FigureJob,
    JobState,
    Kind,
)

logger = logging.getLogger(__name__)

#: An open job that has recorded no progress for this long is closed as failed when next asked for.
STALE_AFTER: Final = timedelta(minutes=30)
#: At most one KPI progress write per this many seconds (every step start is written).
KPI_WRITE_SECONDS: Final = 1.0
STALE_MESSAGE: Final = "the computation stopped without finishing (was the worker restarted?)"


def figures_kept(dataset: DashboardDataset, period: Period) -> bool:
    """Whether the period's report and trend are kept at every level (what its pages read)."""
    span = figures.trend_span(period.end)
    return _kept_count(dataset, Kind.REPORT, period) + _kept_count(
        dataset, Kind.TREND, span
    ) == 2 * len(Level)


def _kept_count(dataset: DashboardDataset, kind: Kind, period: Period) -> int:
    return ComputedFigures.objects.filter(
        dataset=dataset,
        kind=kind,
        period_from=period.start,
        period_to=period.end,
        version=figures.VERSION,
        level__in=[level.value for level in Level],
    ).count()


def jobs_of(dataset: DashboardDataset, period: Period) -> QuerySet[FigureJob]:
    """The jobs of the period (of this figures version), newest first."""
    return FigureJob.objects.filter(
        dataset=dataset,
        period_from=period.start,
        period_to=period.end,
        version=figures.VERSION,
    ).order_by("-requested_at", "-id")


def request_figures(
    dataset: DashboardDataset, period: Period, *, actor: User | None, retry: bool = False
) -> FigureJob | None:
    """``None`` when the period's figures are kept; else the job that computes them.

    The open job of the period is joined; a failed one is returned as it is (its page shows the
    error) unless ``retry``; otherwise a new job is created, audited and queued. With the immediate
    backend the job has run when this returns, and ``None`` says its figures are now kept.
    """
    if figures_kept(dataset, period):
        return None
    latest = _close_if_stale(jobs_of(dataset, period).first())
    if latest is not None and (latest.is_open or (latest.state == JobState.FAILED and not retry)):
        return latest
    job, created = _create(dataset, period, actor=actor, after=latest)
    if created:
        _enqueue(job)
        job.refresh_from_db()
    if job.state == JobState.DONE and figures_kept(dataset, period):
        return None
    return job


def _create(
    dataset: DashboardDataset, period: Period, *, actor: User | None, after: FigureJob | None
) -> tuple[FigureJob, bool]:
    """A new queued job, or the open job another viewer created a moment before."""
    try:
        with transaction.atomic():
            job = FigureJob.objects.create(
                dataset=dataset,
                period_from=period.start,
                period_to=period.end,
                version=figures.VERSION,
                steps_total=_steps_needed(dataset, period),
                requested_by=actor,
            )
            record(
                Action.CREATE,
                actor=actor,
                subject=Subject.of(job, health_board=dataset.health_board),
                details={
                    "dataset": dataset.pk,
                    "from": period.start.isoformat(),
                    "to": period.end.isoformat(),
                    "retry_of": after.pk if after and after.state == JobState.FAILED else None,
                },
            )
    except IntegrityError:
        # The unique constraint on the open job: another viewer's job was created first; join it.
        joined = jobs_of(dataset, period).filter(state__in=OPEN_STATES).first()
        if joined is None:  # it finished in between
            joined = jobs_of(dataset, period).first()
        assert joined is not None  # the job that collided exists
        return joined, False
    return job, True


def _steps_needed(dataset: DashboardDataset, period: Period) -> int:
    span = figures.trend_span(period.end)
    reports = _kept_count(dataset, Kind.REPORT, period) < len(Level)
    trends = _kept_count(dataset, Kind.TREND, span) < len(Level)
    return figures.REPORT_STEPS * reports + figures.TREND_STEPS * trends


def _enqueue(job: FigureJob) -> None:
    # Imported here: the task module imports this one (the worker calls run_figure_job).
    from imsk.web.dashboard.tasks import compute_figures

    result = compute_figures.enqueue(job.pk)
    FigureJob.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])


def _close_if_stale(job: FigureJob | None) -> FigureJob | None:
    if job is None or not job.is_open or timezone.now() - job.updated_at < STALE_AFTER:
        return job
    _fail(job, STALE_MESSAGE, states=OPEN_STATES)
    job.refresh_from_db()
    return job


def run_figure_job(job_id: int) -> str:
    """Run a queued job (the task worker's entry point); returns the job's final state.

    A job that is no longer queued (another worker took it, or it was closed as stale) is left
    alone. The engine's errors are recorded on the job, not raised: the page shows them.
    """
    now = timezone.now()
    claimed = FigureJob.objects.filter(pk=job_id, state=JobState.QUEUED).update(
        state=JobState.RUNNING, started_at=now, updated_at=now
    )
    job = FigureJob.objects.select_related("dataset").get(pk=job_id)
    if not claimed:
        return str(job.state)
    dataset, period = job.dataset, Period(job.period_from, job.period_to)
    span = figures.trend_span(period.end)
    folder = uploads.dashboard_dir() / dataset.folder
    needs_reports = _kept_count(dataset, Kind.REPORT, period) < len(Level)
    needs_trends = _kept_count(dataset, Kind.TREND, span) < len(Level)
    recorder = JobProgress(
        job_id,
        figures.REPORT_STEPS * needs_reports + figures.TREND_STEPS * needs_trends,
    )
    try:
        with figures.one_load(folder):  # the report and the trend share the engine's facts
            reports = figures.compute_reports(folder, period, recorder) if needs_reports else {}
            trends = figures.compute_trends(folder, period.end, recorder) if needs_trends else {}
    except Exception as error:  # any failure of the engine is the job's outcome, shown on its page
        logger.exception("figure job %s failed", job_id)
        _fail(job, _message(error), states=(JobState.RUNNING,))
        return str(JobState.FAILED)
    _done(job, recorder.total, {Kind.REPORT: (period, reports), Kind.TREND: (span, trends)})
    return str(JobState.DONE)


def _message(error: Exception) -> str:
    text = str(error) if isinstance(error, ImskError) else f"{type(error).__name__}: {error}"
    return text[:2000]


def _done(
    job: FigureJob, total: int, computed: dict[Kind, tuple[Period, dict[Level, Any]]]
) -> None:
    now = timezone.now()
    with transaction.atomic():
        ComputedFigures.objects.bulk_create(
            [
                ComputedFigures(
                    dataset=job.dataset,
                    kind=kind,
                    level=level.value,
                    period_from=period.start,
                    period_to=period.end,
                    version=job.version,
                    payload=payload,
                )
                for kind, (period, payloads) in computed.items()
                for level, payload in payloads.items()
            ],
            ignore_conflicts=True,  # kept meanwhile by another job (a trend shared by two periods)
        )
        FigureJob.objects.filter(pk=job.pk).update(
            state=JobState.DONE,
            step="",
            steps_done=total,
            steps_total=total,
            finished_at=now,
            updated_at=now,
        )
        _audit_outcome(job, JobState.DONE, seconds=_seconds(job, now))


def _fail(job: FigureJob, message: str, *, states: tuple[str, ...]) -> None:
    now = timezone.now()
    with transaction.atomic():
        changed = FigureJob.objects.filter(pk=job.pk, state__in=states).update(
            state=JobState.FAILED, error=message, finished_at=now, updated_at=now
        )
        if changed:
            _audit_outcome(job, JobState.FAILED, error=message)


def _audit_outcome(job: FigureJob, state: JobState, **details: Any) -> None:
    record(
        Action.UPDATE,
        actor=None,
        subject=Subject.of(job, health_board=job.dataset.health_board),
        details={"state": state.value, **details},
    )


def _seconds(job: FigureJob, now: datetime) -> float:
    started = job.started_at or job.requested_at
    return round((now - started).total_seconds(), 1)


class JobProgress:
    """Records a running job's progress (a :class:`.figures.Progress`): each step as it starts, and
    the KPIs of the step at most once per :data:`KPI_WRITE_SECONDS`, so that its page can say
    "step N of M" while the worker computes."""

    def __init__(self, job_id: int, total: int) -> None:
        self.job_id = job_id
        self.total = total
        self.started = 0
        self._written_at = 0.0

    def step(self, name: str) -> None:
        self.started += 1
        self._write(
            step=name,
            steps_done=min(self.started - 1, self.total),
            steps_total=max(self.total, self.started),
            kpis_done=0,
            kpis_total=0,
        )

    def kpi(self, position: int, total: int, kpi_id: str) -> None:
        if position < total and time.monotonic() - self._written_at < KPI_WRITE_SECONDS:
            return
        self._write(kpis_done=position, kpis_total=total)

    def _write(self, **fields: Any) -> None:
        self._written_at = time.monotonic()
        FigureJob.objects.filter(pk=self.job_id, state=JobState.RUNNING).update(
            **fields, updated_at=timezone.now()
        )


def compute_now(dataset: DashboardDataset, period: Period) -> FigureJob | None:
    """Compute the period's figures in this process (``imsk_load_dashboard_data --warm``): a job
    is created (the system asks) and run here rather than queued; ``None`` when already kept, and
    the open job when one is already under way elsewhere."""
    if figures_kept(dataset, period):
        return None
    latest = _close_if_stale(jobs_of(dataset, period).first())
    job, created = _create(dataset, period, actor=None, after=latest)
    if created:
        run_figure_job(job.pk)
        job.refresh_from_db()
    return job
