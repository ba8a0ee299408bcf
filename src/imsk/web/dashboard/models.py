"""Data sets registered for the dashboard, and the KPI figures computed from them.

A **dashboard data set** is one copy of an MSK service data set (``../shared/spec/dataset.md``),
uploaded by an analyst as a zip or registered from a folder by the ``imsk_load_dashboard_data``
command. Its files are copied into the dashboard folder and never change afterwards, so figures
computed from it can be kept. The validator's report is stored with it: the dashboard shows the
report first and computes no KPI for a data set with error findings.

A data set belongs to the health board of the analyst who uploaded it, or to no board (national)
when a national analyst or the command registered it; it is offered only to users of that board,
or to everyone for a national one, and inside it each user sees only the groups their role reaches
(``imsk.web.dashboard.access``).

**Computed figures** are the KPI reports of one data set for one period and level (``report``), or
the twelve monthly reports behind the trend charts (``trend``), kept so that a page is computed
once. ``version`` changes when the KPI catalogue or imsk changes, so old figures are not reused.

A **figure job** is one background computation of a period's figures (:mod:`.jobs`), with its
progress, so that no page waits for the KPI engine; at most one job of a period is open at a time.

Writes go through ``imsk.web.dashboard.services`` only.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    UPLOAD = "upload", _("Uploaded")
    COMMAND = "command", _("Registered by command")


class DashboardDataset(models.Model):
    """One registered copy of a data set, with its validation report."""

    label = models.CharField(_("name"), max_length=200)
    folder = models.CharField(max_length=64, unique=True)  # under the dashboard folder
    original_name = models.CharField(_("file or folder"), max_length=255)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    health_board = models.CharField(
        _("health board"), max_length=10, blank=True, help_text=_("blank means national")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    is_valid = models.BooleanField(_("valid"))
    validation = models.JSONField(_("validation report"), default=dict)
    services = models.JSONField(_("services"), default=list)  # rows of the services table
    data_from = models.DateField(null=True, blank=True)  # first and last date of receipt
    data_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ("-uploaded_at", "-id")

    def __str__(self) -> str:
        return f"{self.label} ({self.pk})"

    @property
    def service_rows(self) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = self.services
        return rows


class Kind(models.TextChoices):
    REPORT = "report", _("Report")
    TREND = "trend", _("Monthly trend")


class ComputedFigures(models.Model):
    """A computed KPI report (or monthly trend) of a data set, for one period and level."""

    dataset = models.ForeignKey(DashboardDataset, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    level = models.CharField(max_length=16)
    period_from = models.DateField()
    period_to = models.DateField()
    version = models.CharField(max_length=64)
    payload = models.JSONField()
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["dataset", "kind", "level", "period_from", "period_to", "version"],
                name="dashboard_figures_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.level} {self.period_from}..{self.period_to}"


class JobState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


#: The states of a job still under way: at most one such job per data set and period.
OPEN_STATES: tuple[str, ...] = (JobState.QUEUED, JobState.RUNNING)


class FigureJob(models.Model):
    """One computation of a period's figures (its report at every level and its monthly trend),
    run in the background by the task worker so that no page waits for the KPI engine.

    ``step`` names the step under way (``load``, ``prepare``, ``level:<level>``, ``month:<YYYY-MM>``;
    see :mod:`.figures`); ``steps_done`` of ``steps_total`` are finished, and within the step the
    engine has worked through ``kpis_done`` of ``kpis_total`` KPIs. A failed job keeps its error;
    trying again starts a new job, so each run is kept.
    """

    dataset = models.ForeignKey(DashboardDataset, on_delete=models.CASCADE, related_name="+")
    period_from = models.DateField()
    period_to = models.DateField()
    version = models.CharField(max_length=64)  # figures.VERSION when asked
    state = models.CharField(max_length=16, choices=JobState.choices, default=JobState.QUEUED)
    step = models.CharField(max_length=32, blank=True)
    steps_done = models.PositiveIntegerField(default=0)
    steps_total = models.PositiveIntegerField(default=0)
    kpis_done = models.PositiveIntegerField(default=0)
    kpis_total = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    task_id = models.CharField(max_length=64, blank=True)  # the django-tasks result, once queued
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-requested_at", "-id")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["dataset", "period_from", "period_to", "version"],
                condition=models.Q(state__in=OPEN_STATES),
                name="dashboard_one_open_figure_job",
            )
        ]

    def __str__(self) -> str:
        return f"figures {self.period_from}..{self.period_to} ({self.state})"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES
