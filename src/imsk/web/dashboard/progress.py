"""How a figure job's progress is told on the page (:class:`~.models.FigureJob`, :mod:`.jobs`).

The job records the name of the step under way (see :mod:`.figures`); this module words it, in the
reader's language, and works out the share done for the progress bar: finished steps, plus the
share of KPIs finished within the step under way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from imsk.analytics.kpis.inputs import Level
from imsk.web.dashboard.models import FigureJob, JobState

#: Seconds between two loads of the page while its figures are computed.
REFRESH_SECONDS: Final = 10


@dataclass(frozen=True)
class ShownJob:
    """What the page says about a job."""

    job: FigureJob
    percent: int
    status: str  # "Step 3 of 19: Computing the figures by service (20 of 40 KPIs)"

    @property
    def is_open(self) -> bool:
        return self.job.is_open

    @property
    def has_failed(self) -> bool:
        return self.job.state == JobState.FAILED


def shown_job(job: FigureJob) -> ShownJob:
    return ShownJob(job, percent_done(job), status_of(job))


def percent_done(job: FigureJob) -> int:
    if job.state == JobState.DONE:
        return 100
    if not job.steps_total:
        return 0
    within = job.kpis_done / job.kpis_total if job.kpis_total else 0.0
    return min(99, int(100 * (job.steps_done + within) / job.steps_total))


def status_of(job: FigureJob) -> str:
    if job.state in {JobState.DONE, JobState.FAILED}:
        return str(JobState(job.state).label)
    if job.state == JobState.QUEUED or not job.step:
        return _("Waiting to start: %(steps)s steps to do") % {"steps": job.steps_total}
    status = _("Step %(number)s of %(total)s: %(step)s") % {
        "number": job.steps_done + 1,
        "total": job.steps_total,
        "step": step_label(job.step),
    }
    if job.kpis_total:
        status += " " + _("(%(done)s of %(total)s KPIs)") % {
            "done": job.kpis_done,
            "total": job.kpis_total,
        }
    return status


def step_label(step: str) -> str:
    """The words for a step name of :mod:`.figures` (``level:service``, ``month:2025-04``...)."""
    kind, _sep, value = step.partition(":")
    if kind == "level" and value in {level.value for level in Level}:
        return {
            Level.NATIONAL: _("Computing the figures for all services"),
            Level.HEALTH_BOARD: _("Computing the figures by health board"),
            Level.SERVICE: _("Computing the figures by service"),
        }[Level(value)]
    if kind == "month":
        month = date.fromisoformat(f"{value}-01")
        return _("Computing the monthly trend: %(month)s") % {
            "month": date_format(month, "YEAR_MONTH_FORMAT")
        }
    return {
        "load": _("Reading the data set"),
        "prepare": _("Preparing the records of the period"),
        "prepare_months": _("Preparing the records of the twelve months"),
    }.get(kind, step)
