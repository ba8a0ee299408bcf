"""``imsk_load_dashboard_data PATH``: register a data set folder for the dashboard.

The table files of the folder (``services.csv``, ``requests.parquet``...) are copied into the
dashboard folder and validated; the validation summary is printed. The data set is national (every
health board's users see their own groups in it) unless ``--health-board`` scopes it to one board.
Other files of the folder (``synth_manifest.json`` of ``imsk synth``) are not copied and are
listed. ``--warm`` computes the figures of the default period (the twelve months ending with the
last date of receipt) at every level, in this process (a figure job run here rather than queued for
the worker), so the first page loads are fast.

For a demonstration: ``imsk synth var/demo-data`` then ``imsk_load_dashboard_data var/demo-data``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from imsk.analytics.kpis.inputs import Period
from imsk.core.errors import ImskError
from imsk.web.dashboard import jobs, services
from imsk.web.dashboard.models import DashboardDataset, JobState


class Command(BaseCommand):
    help = "Register a data set folder (CSV or Parquet tables) for the dashboard."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="the data set folder")
        parser.add_argument("--label", help="the name shown in the dashboard (default: folder)")
        parser.add_argument(
            "--health-board", default="", help="scope to this health board (default: national)"
        )
        parser.add_argument(
            "--warm", action="store_true", help="compute the default figures at every level now"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source: Path = options["path"]
        try:
            dataset, left = services.register_folder(
                source,
                label=options["label"] or source.resolve().name,
                health_board=options["health_board"].strip().upper(),
            )
        except ImskError as error:
            raise CommandError(str(error)) from error
        for name in left:
            self.stdout.write(f"not copied (not a table file of the data set): {name}")
        report = dataset.validation
        self.stdout.write(
            f"registered data set {dataset.pk} ({dataset.label}): "
            f"{'VALID' if dataset.is_valid else 'INVALID'}, {report['errors']} error(s), "
            f"{report['warnings']} warning(s)"
        )
        if not dataset.is_valid:
            self.stdout.write(
                "the dashboard shows the findings and no KPI until the errors are fixed"
            )
            return
        if options["warm"]:
            self._warm(dataset)

    def _warm(self, dataset: DashboardDataset) -> None:
        end = dataset.data_to
        if end is None:
            return
        start = date(end.year - 1, end.month + 1, 1) if end.month < 12 else date(end.year, 1, 1)
        self.stdout.write(f"computing the figures for {start} to {end} at every level")
        job = jobs.compute_now(dataset, Period(start, end))
        if job is None:
            self.stdout.write("already computed")
        elif job.state == JobState.FAILED:
            raise CommandError(f"the figures could not be computed: {job.error}")
        elif job.state == JobState.DONE:
            self.stdout.write(f"computed in {job.steps_total} steps (job {job.pk})")
        else:
            self.stdout.write(f"being computed by job {job.pk} ({job.state})")
