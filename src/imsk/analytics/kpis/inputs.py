"""What every KPI expression is given: the typed tables, the period, the calendar, derived tables.

The derived tables implement the shared rules of ``shared/spec/kpis.md`` once, so each KPI expression
stays a few lines. The main one is the per-request facts table (:mod:`imsk.analytics.kpis.facts`):
a request's current condition group (its code as of ``to``; ``UNCODED`` when it has none), its first
attended contact, its exit, its working-day deadlines WD(d, n) and more, computed once per period and
stored in the engine. All of it is ibis, so it runs unchanged on any engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from imsk.analytics.calendar_table import CalendarTables, build_calendar_tables
from imsk.analytics.kpis.facts import UNCODED, record_order, request_facts
from imsk.analytics.loading import Dataset
from imsk.core.errors import KpiError

Table = Any  # ibis tables are untyped
Column = Any


class Level(StrEnum):
    """The grouping level of a KPI report."""

    NATIONAL = "national"
    HEALTH_BOARD = "health_board"
    SERVICE = "service"


@dataclass(frozen=True)
class Period:
    """A reporting period [start, end], both dates inclusive."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise KpiError(f"the period ends ({self.end}) before it starts ({self.start})")

    def contains(self, day: Column) -> Column:
        """Whether the date column ``day`` lies in the period."""
        return day.between(self.start, self.end)


@dataclass
class KpiInputs:
    """The typed tables, the period and the lazily built derived tables every KPI reads."""

    dataset: Dataset
    period: Period
    item_scores: Table
    activity_groups: Table
    investigation_groups: tuple[str, ...]
    _cache: dict[str, Table] = field(default_factory=dict)

    def table(self, name: str) -> Table:
        return self.dataset.table(name)

    @property
    def calendar(self) -> CalendarTables:
        if "calendar" not in self._cache:
            self._cache["calendar"] = _calendar(self.dataset, self.period)
        calendar: CalendarTables = self._cache["calendar"]
        return calendar

    def requests(self) -> Table:
        """One row per request with its derived facts (computed once, stored in the engine).

        Columns: see :func:`imsk.analytics.kpis.facts.request_facts`. Rows of an unknown request
        (one that only other tables mention) have ``is_request`` false and no service.
        """
        if "requests" not in self._cache:
            self._cache["requests"] = self.dataset.store(request_facts(self), "requests")
        return self._cache["requests"]

    def exits(self) -> Table:
        """The requests that have an exit, with its ``code`` (an exit of an unknown request has no
        service: it counts at national level only)."""
        r = self.requests()
        return r.filter(r.exited_on.notnull()).mutate(code=r.exit_code)

    def scored_measures(self, instrument: str) -> Table:
        """Measures of ``instrument`` with ``kpi_score``: the score computed from the items when
        they can be scored (``shared/spec/dataset.md``: "KPIs use the score computed from the
        items"), else the recorded score; measures with neither are not responses and are left out.
        """
        measures = self.table("measures")
        chosen = measures.filter(measures.instrument == instrument)
        scores = self.item_scores.filter(self.item_scores.score_instrument == instrument)
        joined = chosen.left_join(scores, chosen["items"] == scores.scored_items).select(
            *chosen.columns, kpi_score=scores.computed_score.coalesce(chosen.score)
        )
        return joined.filter(joined.kpi_score.notnull())

    def with_service(self, table: Table) -> Table:
        """``table`` (which has ``request_id``) with its request's ``service_id`` (null if unknown)."""
        requests = self.table("requests").select("request_id", "service_id")
        return table.left_join(requests, "request_id").select(*table.columns, "service_id")


def _calendar(dataset: Dataset, period: Period) -> CalendarTables:
    services = dataset.table("services")
    nations = [n for n in services.nation.to_pyarrow().to_pylist() if n is not None]
    requests = dataset.table("requests")
    span = (
        requests.aggregate(
            first=requests.received_at.min().date(), last=requests.received_at.max().date()
        )
        .to_pyarrow()
        .to_pylist()[0]
    )
    start = min(d for d in (span["first"], period.start) if d is not None)
    end = max(d for d in (span["last"], period.end) if d is not None)
    return build_calendar_tables(nations, start, end)


__all__ = ["UNCODED", "KpiInputs", "Level", "Period", "record_order"]
