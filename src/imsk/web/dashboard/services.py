"""The one writer of the dashboard: registering data sets, keeping computed figures, audited exports.

Registering a data set: its files are copied into a new folder of the dashboard folder (a zip is
checked and unpacked by :mod:`.uploads`), validated with ``imsk.dataio.dataset.validate_dataset``,
and, when valid, read for its services and dates of receipt. The :class:`DashboardDataset` row and
its audit event are written in one transaction; if anything fails, the copied files are removed.

Computed figures are read back here once kept (:class:`ComputedFigures`); they are computed and
kept by a background job (:mod:`.jobs`, the writer of jobs and figures), never inside a page
request. Exports are audited (``export``) with the period, level and groups.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any

from django.db import transaction

from imsk.analytics.disclosure import GroupSum, suppress_related
from imsk.analytics.kpis.inputs import Level, Period
from imsk.core.errors import DatasetError
from imsk.dataio.dataset import validate_dataset
from imsk.web.accounts.models import User
from imsk.web.audit.models import Action
from imsk.web.audit.services import Subject, record
from imsk.web.dashboard import figures, uploads
from imsk.web.dashboard.access import NATIONAL_KEY
from imsk.web.dashboard.errors import FiguresNotKept, UploadError
from imsk.web.dashboard.models import ComputedFigures, DashboardDataset, Kind, Source


def upload_dataset(
    *, actor: User, stream: IO[bytes], size: int, file_name: str, label: str
) -> DashboardDataset:
    """Register an analyst's zip upload (scoped to the analyst's health board, or national)."""
    folder = uuid.uuid4().hex
    target = uploads.dashboard_dir() / folder
    uploads.extract_zip(stream, size, target, uploads.limits())
    return _register(
        target,
        label=label,
        original_name=file_name,
        source=Source.UPLOAD,
        actor=actor,
        health_board=actor.health_board,
    )


def register_folder(
    source: Path, *, label: str, health_board: str = ""
) -> tuple[DashboardDataset, list[str]]:
    """Register a data set folder on the server (the system is the actor); returns the data set
    and the names of the entries that were not table files and so were not copied."""
    target = uploads.dashboard_dir() / uuid.uuid4().hex
    _copied, left = uploads.copy_folder(source, target)
    dataset = _register(
        target,
        label=label,
        original_name=source.name,
        source=Source.COMMAND,
        actor=None,
        health_board=health_board,
    )
    return dataset, left


def _register(
    target: Path,
    *,
    label: str,
    original_name: str,
    source: Source,
    actor: User | None,
    health_board: str,
) -> DashboardDataset:
    try:
        report = validate_dataset(target)
        facts = figures.facts_of(target) if report.is_valid else None
        with transaction.atomic():
            dataset = DashboardDataset.objects.create(
                label=label,
                folder=target.name,
                original_name=original_name[:255],
                source=source,
                health_board=health_board,
                uploaded_by=actor,
                is_valid=report.is_valid,
                validation=report.to_json(),
                services=facts.services if facts else [],
                data_from=facts.first_received if facts else None,
                data_to=facts.last_received if facts else None,
            )
            record(
                Action.CREATE,
                actor=actor,
                subject=Subject.of(dataset, health_board=health_board),
                details={
                    "label": label,
                    "file": original_name,
                    "source": source.value,
                    "valid": report.is_valid,
                    "errors": report.error_count,
                    "warnings": report.warning_count,
                    "rows": report.row_counts,
                },
            )
    except DatasetError as error:
        shutil.rmtree(target, ignore_errors=True)
        raise UploadError(f"the data set cannot be read: {error}") from error
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise
    return dataset


def report_for(dataset: DashboardDataset, period: Period, level: Level) -> dict[str, Any]:
    """The raw KPI report of the data set for the period and level, as its job kept it.

    Raises :class:`FiguresNotKept` when it is not kept: ask :func:`.jobs.request_figures` first.
    """
    result: dict[str, Any] = _kept(dataset, Kind.REPORT, period, level)
    return result


def trend_for(dataset: DashboardDataset, end: date, level: Level) -> list[dict[str, Any]]:
    """The raw monthly reports of the twelve months ending at ``end``, as a job kept them."""
    result: list[dict[str, Any]] = _kept(dataset, Kind.TREND, figures.trend_span(end), level)
    return result


@dataclass(frozen=True)
class Masked:
    """The suppressed figures of a period, protected together (see :func:`masked_figures`)."""

    reports: dict[Level, dict[str, Any]]
    months: dict[Level, list[dict[str, Any]]]


def masked_figures(dataset: DashboardDataset, period: Period) -> Masked:
    """Suppressed reports of ``period`` at every level and of the trend months, protected together.

    A user without access to patient records moves between levels (the nation, a board, its
    services) and sees a period's figures beside its monthly trend, so a suppressed value could be
    recovered across pages: a service's count from its board's minus its siblings', a month's from
    the period's minus the other months'. Every level of the period and of each trend month is
    therefore suppressed in one :func:`imsk.analytics.disclosure.suppress_related` call, with a
    :class:`GroupSum` for each board (its services), the nation (its boards) and, when the trend's
    last months exactly make up the period, each group over those months.
    """
    named: dict[str, dict[str, Any]] = {}
    sums: list[GroupSum] = []
    boards: dict[str, list[str]] = {}
    for row in dataset.service_rows:
        boards.setdefault(row["health_board"], []).append(row["service_id"])
    months = figures.trend_months(period.end)

    def add_slice(name: str, reports: dict[Level, dict[str, Any]]) -> None:
        for level, report in reports.items():
            named[f"{name}/{level.value}"] = report
        sums.extend(
            GroupSum(
                (f"{name}/{Level.HEALTH_BOARD.value}", board),
                tuple((f"{name}/{Level.SERVICE.value}", s) for s in services),
            )
            for board, services in boards.items()
        )
        sums.append(
            GroupSum(
                (f"{name}/{Level.NATIONAL.value}", NATIONAL_KEY),
                tuple((f"{name}/{Level.HEALTH_BOARD.value}", board) for board in boards),
            )
        )

    add_slice("period", {level: report_for(dataset, period, level) for level in Level})
    trends = {level: trend_for(dataset, period.end, level) for level in Level}
    for i in range(len(months)):
        add_slice(f"month{i}", {level: trends[level][i] for level in Level})
    first = next((i for i, month in enumerate(months) if month.start == period.start), None)
    if first is not None:
        for level in Level:
            for group in named[f"period/{level.value}"]["groups"]:
                sums.append(
                    GroupSum(
                        (f"period/{level.value}", group["key"]),
                        tuple(
                            (f"month{i}/{level.value}", group["key"])
                            for i in range(first, len(months))
                        ),
                        over_time=True,
                    )
                )
    masked = suppress_related(named, sums)
    return Masked(
        reports={level: masked[f"period/{level.value}"] for level in Level},
        months={
            level: [masked[f"month{i}/{level.value}"] for i in range(len(months))]
            for level in Level
        },
    )


def _kept(dataset: DashboardDataset, kind: Kind, period: Period, level: Level) -> Any:
    found = ComputedFigures.objects.filter(
        dataset=dataset,
        kind=kind,
        period_from=period.start,
        period_to=period.end,
        version=figures.VERSION,
        level=level.value,
    ).first()
    if found is None:
        raise FiguresNotKept(f"{kind} {level.value} {period.start}..{period.end} is not computed")
    return found.payload


def record_export(
    dataset: DashboardDataset,
    *,
    actor: User,
    period: Period,
    level: Level,
    groups: Sequence[str],
    form: str,
    suppressed: Sequence[str],
) -> None:
    """Audit one export of dashboard figures (which groups, raw or suppressed, in which form)."""
    with transaction.atomic():
        record(
            Action.EXPORT,
            actor=actor,
            subject=Subject.of(dataset, health_board=dataset.health_board),
            details={
                "format": form,
                "from": period.start.isoformat(),
                "to": period.end.isoformat(),
                "level": level.value,
                "groups": list(groups),
                "suppressed_groups": list(suppressed),
            },
        )
