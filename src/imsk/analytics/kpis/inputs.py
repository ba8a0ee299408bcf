"""What every KPI expression is given: the typed tables, the period, the calendar, derived tables.

The derived tables implement the shared rules of ``shared/spec/kpis.md`` once, so each KPI expression
stays a few lines:

* a request's **current condition group**: the part before the dot of its code as of ``to`` (the
  code with the latest ``recorded_at`` on or before ``to``; ties: the last row in file order);
  ``UNCODED`` when it has none;
* a request's **first attended contact**: the date of its earliest ``kind = first``,
  ``status = attended`` contact;
* **WD(d, n)** by joining the calendar tables (see :mod:`imsk.analytics.calendar_table`).

All of it is ibis, so it runs unchanged on any engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

import ibis

from imsk.analytics.calendar_table import CalendarTables, build_calendar_tables
from imsk.analytics.loading import Dataset
from imsk.analytics.schema import ROW_NUMBER
from imsk.core.errors import KpiError

UNCODED = "UNCODED"

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
        """Requests with their service's health board and nation and the derived request facts.

        Columns added: ``health_board``, ``nation`` (null when the service is unknown),
        ``received_on``, ``triaged_on``, ``exited_on``, ``exit_code``, ``first_attended_on``,
        ``condition_group`` (current, ``UNCODED`` when none) and ``wd1``, ``wd3``, ``wd10``
        (WD(received_on, n)).
        """
        if "requests" not in self._cache:
            self._cache["requests"] = self.dataset.store(_requests(self), "requests")
        return self._cache["requests"]

    def exits(self) -> Table:
        """Exits with ``exited_on``, the request's ``service_id`` (null when the request is unknown)
        and ``first_attended_on``."""
        if "exits" not in self._cache:
            exits = self.table("exits")
            requests = self.table("requests").select("request_id", "service_id")
            joined = exits.left_join(requests, "request_id").select(
                "request_id", "service_id", "code", exited_on=exits.exited_at.date()
            )
            self._cache["exits"] = joined.left_join(first_attended(self), "request_id").select(
                "request_id", "service_id", "code", "exited_on", "first_attended_on"
            )
        return self._cache["exits"]

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


def first_attended(inputs: KpiInputs) -> Table:
    """(request_id, first_attended_on): the date of each request's earliest attended first contact."""
    contacts = inputs.table("contacts")
    attended = contacts.filter((contacts.kind == "first") & (contacts.status == "attended"))
    return attended.group_by("request_id").aggregate(
        first_attended_on=attended.scheduled_at.min().date()
    )


def condition_groups_as_of(inputs: KpiInputs) -> Table:
    """(request_id, condition_group) of the code each request has as of the end of the period."""
    codes = inputs.table("condition_codes")
    known = codes.filter(codes.recorded_at.date() <= inputs.period.end)
    latest_first = ibis.row_number().over(
        group_by=known.request_id,
        order_by=[known.recorded_at.desc(), known[ROW_NUMBER].desc()],
    )
    ranked = known.mutate(position=latest_first)
    current = ranked.filter(ranked.position == 0)
    return current.select("request_id", condition_group=current.code.split(".")[0])


def add_working_days(inputs: KpiInputs, table: Table, day: str, offsets: dict[str, int]) -> Table:
    """``table`` (with ``nation`` and date column ``day``) plus a column WD(day, n) per offset."""
    calendar = inputs.calendar
    days = calendar.days.select(
        cal_nation=calendar.days.nation,
        cal_day=calendar.days.day,
        base_ordinal=calendar.days.day_ordinal,
    )
    result = table.left_join(days, [("nation", "cal_nation"), (day, "cal_day")]).select(
        *table.columns, "base_ordinal"
    )
    for name, n in offsets.items():
        working = calendar.working_days.select(
            wd_nation=calendar.working_days.nation,
            wd_ordinal=calendar.working_days.wd_ordinal,
            **{name: calendar.working_days.working_day},
        )
        result = result.mutate(target_ordinal=result.base_ordinal + n)
        result = result.left_join(
            working, [("nation", "wd_nation"), ("target_ordinal", "wd_ordinal")]
        ).select(*table.columns, *(c for c in result.columns if c not in table.columns), name)
        result = result.drop("target_ordinal")
    return result.drop("base_ordinal")


def _requests(inputs: KpiInputs) -> Table:
    requests = inputs.table("requests")
    services = inputs.table("services").select("service_id", "health_board", "nation")
    exits = inputs.table("exits")
    exits = exits.select("request_id", exited_on=exits.exited_at.date(), exit_code=exits.code)
    base = requests.left_join(services, "service_id").select(
        *requests.columns,
        "health_board",
        "nation",
        received_on=requests.received_at.date(),
        triaged_on=requests.triaged_at.date(),
    )
    base = base.left_join(exits, "request_id").select(*base.columns, "exited_on", "exit_code")
    base = base.left_join(first_attended(inputs), "request_id").select(
        *base.columns, "first_attended_on"
    )
    groups = condition_groups_as_of(inputs)
    base = base.left_join(groups, "request_id").select(
        *base.columns, condition_group=groups.condition_group.fill_null(UNCODED)
    )
    return add_working_days(inputs, base.view(), "received_on", {"wd1": 1, "wd3": 3, "wd10": 10})


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
    return build_calendar_tables(dataset.backend, nations, start, end)
