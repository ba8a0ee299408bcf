"""The dashboard's adapter to the KPI engine (:mod:`imsk.analytics`), with computed figures kept.

A page needs the KPI report of its period and level (``imsk.analytics.report.compute_kpis``) and,
for the trend charts, a report per calendar month for the twelve months ending with the period's
last month (only the KPIs the charts draw). The last month ends on the period's last day, so every
month's waiting-list snapshot is taken at that month's end, or at ``to`` for the last one. Both are
computed by this module, which touches no database; :mod:`.services` keeps them per (data set,
kind, period, level, :data:`VERSION`) so each is computed once. :data:`VERSION` changes with imsk
and the KPI catalogue so that figures of an older engine are not reused.

Figures are computed and kept raw; disclosure control is applied when they are shown, because the
same figures are shown raw to some users and suppressed to others.

A computation on a national data set takes a minute or more, so it runs in a background job
(:class:`~.models.FigureJob`), told where it is through a :class:`Progress`: a report is
:data:`REPORT_STEPS` steps (``load``, ``prepare``, then ``level:<level>`` for each level), a trend
:data:`TREND_STEPS` (``load``, ``prepare_months``, then ``month:<YYYY-MM>`` for each month); within
a step the engine reports each KPI it has worked through (``compute_kpis(progress=...)``).
"""

from __future__ import annotations

import calendar
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Final, Protocol

import imsk
from imsk.analytics.kpis.inputs import KpiInputs, Level, Period
from imsk.analytics.kpis.registry import KPIS
from imsk.analytics.loading import Dataset, load_dataset
from imsk.analytics.report import compute_kpis, prepare_inputs

Report = dict[str, Any]

#: The KPIs the monthly charts draw.
TREND_KPIS: Final = (
    "requests_by_source",
    "first_contacts_attended",
    "waiting_first_contact",
    "triage_urgent_1wd",
    "triage_routine_3wd",
    "new_patient_dna_rate",
    "new_patient_cancellation_rate",
    "msk_hq_mcid_achieved",
    "cost_per_case",
)
TREND_MONTHS: Final = 12

#: The steps of :func:`compute_reports` and of :func:`compute_trends`.
REPORT_STEPS: Final = 2 + len(Level)
TREND_STEPS: Final = 2 + TREND_MONTHS


class Progress(Protocol):
    """Where a computation is: ``step`` when a step starts (its name, see the module docstring),
    ``kpi`` as the engine finishes each KPI of the step (``position`` of ``total``)."""

    def step(self, name: str) -> None: ...

    def kpi(self, position: int, total: int, kpi_id: str) -> None: ...


class _Silent:
    def step(self, name: str) -> None:
        pass

    def kpi(self, position: int, total: int, kpi_id: str) -> None:
        pass


VERSION: Final = hashlib.sha256(
    f"{imsk.__version__}|{','.join(KPIS)}|{','.join(TREND_KPIS)}".encode()
).hexdigest()[:16]


_SHARED: ContextVar[dict[Path, Dataset] | None] = ContextVar("imsk_dashboard_loads", default=None)


@contextmanager
def one_load(folder: Path) -> Iterator[None]:
    """Within this block, :func:`compute_reports` and :func:`compute_trends` of ``folder`` share one
    loaded data set, so the engine's per-request facts (which do not depend on the period) are
    computed once for the period's report and its twelve trend months together."""
    loads: dict[Path, Dataset] = {}
    token = _SHARED.set(loads)
    try:
        yield
    finally:
        _SHARED.reset(token)
        for engine_data in loads.values():
            engine_data.close()


@contextmanager
def _loaded(folder: Path) -> Iterator[Dataset]:
    shared = _SHARED.get()
    if shared is not None:
        if folder not in shared:
            shared[folder] = load_dataset(folder)
        yield shared[folder]
        return
    engine_data = load_dataset(folder)
    try:
        yield engine_data
    finally:
        engine_data.release()


def compute_reports(
    folder: Path, period: Period, progress: Progress | None = None
) -> dict[Level, Report]:
    """The KPI report of the data set folder (every KPI, every group) at every level; the engine's
    work is shared between the levels."""
    told = progress or _Silent()
    told.step("load")
    with _loaded(folder) as engine_data:
        told.step("prepare")
        inputs = prepare_inputs(engine_data, period)
        reports: dict[Level, Report] = {}
        for level in Level:
            told.step(f"level:{level.value}")
            reports[level] = compute_kpis(
                engine_data, period, level, inputs=inputs, progress=told.kpi
            )
        return reports


def trend_months(end: date) -> list[Period]:
    """The twelve calendar months ending with the month of ``end``, the last one ending on it."""
    months: list[Period] = []
    year, month = end.year, end.month
    for _ in range(TREND_MONTHS):
        last = date(year, month, calendar.monthrange(year, month)[1])
        months.append(Period(date(year, month, 1), min(last, end)))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def trend_span(end: date) -> Period:
    months = trend_months(end)
    return Period(months[0].start, months[-1].end)


def compute_trends(
    folder: Path, end: date, progress: Progress | None = None
) -> dict[Level, list[Report]]:
    """One report per month of :func:`trend_months` (the :data:`TREND_KPIS` only) for every
    level, the engine's work per month shared between the levels."""
    told = progress or _Silent()
    months = trend_months(end)
    told.step("load")
    with _loaded(folder) as engine_data:
        told.step("prepare_months")
        shared = prepare_inputs(engine_data, trend_span(end))
        result: dict[Level, list[Report]] = {level: [] for level in Level}
        for month in months:
            told.step(f"month:{month.start:%Y-%m}")
            inputs = _month_inputs(engine_data, shared, month)
            for level in Level:
                result[level].append(
                    compute_kpis(
                        engine_data,
                        month,
                        level,
                        kpi_ids=TREND_KPIS,
                        inputs=inputs,
                        progress=told.kpi,
                    )
                )
        return result


def _month_inputs(engine_data: Dataset, shared: KpiInputs, month: Period) -> KpiInputs:
    # The scored items and activity groups do not depend on the period: computed once, reused.
    return KpiInputs(
        dataset=engine_data,
        period=month,
        item_scores=shared.item_scores,
        activity_groups=shared.activity_groups,
        investigation_groups=shared.investigation_groups,
    )


@dataclass(frozen=True)
class DatasetFacts:
    """What the dashboard keeps about a valid data set: its services and dates of receipt."""

    services: list[dict[str, str]]
    first_received: date | None
    last_received: date | None


def facts_of(folder: Path) -> DatasetFacts:
    """Read the services and the span of receipt of a (valid) data set folder."""
    engine_data = load_dataset(folder)
    try:
        rows = (
            engine_data.table("services")
            .select("service_id", "name", "health_board", "nation")
            .order_by("service_id")
            .to_pyarrow()
            .to_pylist()
        )
        received = engine_data.table("requests").received_at
        first, last = received.min().execute(), received.max().execute()
    finally:
        engine_data.release()
    return DatasetFacts(
        services=[{key: str(value) for key, value in row.items()} for row in rows],
        first_received=None if first is None or first != first else first.date(),
        last_received=None if last is None or last != last else last.date(),
    )
