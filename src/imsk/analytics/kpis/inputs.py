"""What every KPI expression is given: the typed tables, the period, the calendar, derived tables.

The derived tables implement the shared rules of ``shared/spec/kpis.md`` once, so each KPI expression
stays a few lines. The main one is the per-request facts table (:mod:`imsk.analytics.kpis.facts`):
a request's first attended contact, its exit, its first condition code, its working-day deadlines
WD(d, n) and more. None of it depends on the period, so it is computed once per data set, stored in
the engine and shared by every period (:meth:`KpiInputs.requests`). What depends on the period is
derived per period: the current condition group (the code as of ``to``; ``UNCODED`` when there is
none) and the contacts of the period counted per service and status. All of it is ibis, so it runs
unchanged on any engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

import ibis

from imsk.analytics.calendar_table import CalendarTables, build_calendar_tables
from imsk.analytics.kpis.facts import (
    UNCODED,
    recoded_groups,
    record_order,
    request_events,
    request_facts,
)
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
    """The typed tables, the period and the lazily built derived tables every KPI reads.

    ``item_scores`` must be the data set's own (:func:`imsk.analytics.report.prepare_inputs` keeps
    one per data set): the per-request facts built from them are shared by every period.
    """

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
        """WD(d, n) for every day a request was received (built once per data set)."""
        calendar: CalendarTables = self.dataset.memo("calendar", lambda: _calendar(self.dataset))
        return calendar

    def requests(self) -> Table:
        """One row per request with its derived facts (computed once per data set, stored in the
        engine, shared by every period).

        Columns: see :func:`imsk.analytics.kpis.facts.request_facts`. Rows of an unknown request
        (one that only other tables mention) have ``is_request`` false and no service.
        """
        facts: Table = self.dataset.memo("requests", self._request_facts)
        return facts

    def _request_facts(self) -> Table:
        events = self.dataset.store(request_events(self), "request_events")
        facts = self.dataset.store(request_facts(self, events), "requests")
        self.dataset.discard(events)
        return facts

    def with_condition_group(self, facts: Table) -> Table:
        """``facts`` (rows of :meth:`requests`) with ``condition_group``: the request's current
        condition group, as of the period end (``UNCODED`` when it has no code by then)."""
        if "recoded_groups" not in self._cache:
            self._cache["recoded_groups"] = self.dataset.store(
                recoded_groups(self, self.requests()), "recoded_groups"
            )
        recoded = self._cache["recoded_groups"].rename(
            recoded_request_id="request_id", recoded_group="condition_group"
        )
        joined = facts.left_join(recoded, facts.request_id == recoded.recoded_request_id)
        as_of_end = ibis.ifelse(
            joined.last_coded_on <= self.period.end, joined.latest_group, joined.recoded_group
        )
        return joined.select(*facts.columns, condition_group=as_of_end.fill_null(UNCODED)).view()

    def contacts_of_period(self) -> Table:
        """The contacts scheduled in the period counted per service, kind and status: columns
        ``service_id`` (null for an unknown request), ``kind``, ``status``, ``contacts``."""
        if "contacts_of_period" not in self._cache:
            contacts = self.table("contacts")
            chosen = contacts.filter(self.period.contains(contacts.scheduled_at.date()))
            placed = self.with_service(chosen.select("request_id", "kind", "status"))
            counted = placed.group_by(["service_id", "kind", "status"]).aggregate(
                contacts=placed.count()
            )
            self._cache["contacts_of_period"] = self.dataset.store(counted, "contacts_of_period")
        return self._cache["contacts_of_period"]

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


def _calendar(dataset: Dataset) -> CalendarTables:
    """WD(d, n) for every day from the first to the last date of receipt, for every nation."""
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
    if span["first"] is None:  # no request was received: no deadline to compute
        return build_calendar_tables([], date.min, date.min)
    return build_calendar_tables(nations, span["first"], span["last"])


__all__ = ["UNCODED", "KpiInputs", "Level", "Period", "record_order"]
