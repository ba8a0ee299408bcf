"""The working-day calendar as engine tables, built from the one calendar of the core.

The triage and urgent-care KPIs need WD(d, n), the n-th working day strictly after date d, per the
service's nation (``shared/spec/kpis.md``, "Shared rules"). Bank holidays are never re-implemented
here: :func:`imsk.core.calendar.calendar_for` produces the rows (day, is_working_day, ordinal) and the
engine joins them. ``ordinal`` counts working days up to and including a day, so

    WD(d, n) = the working day whose ordinal is ordinal(d) + n   (same nation).

Two tables are registered: ``calendar_days`` (nation, day, day_ordinal), one row per calendar day, and
``working_days`` (nation, wd_ordinal, working_day), one row per working day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import ibis
import pyarrow as pa

from imsk.analytics.engine import Backend
from imsk.core.calendar import calendar_for

#: Days added after the last date a KPI can ask about, so WD(d, 10) of the last receipt (10 working
#: days plus the Christmas and Easter closures) always falls inside the table.
MARGIN_DAYS = 60


@dataclass(frozen=True)
class CalendarTables:
    """The two calendar tables registered in the engine."""

    days: Any
    working_days: Any


def build_calendar_tables(
    backend: Backend, nations: list[str], start: date, end: date
) -> CalendarTables:
    """Register the calendar of every nation in ``nations`` over [start, end + margin]."""
    rows_nation: list[str] = []
    rows_day: list[date] = []
    rows_ordinal: list[int] = []
    rows_working: list[bool] = []
    for nation in sorted(set(nations)):
        for row in calendar_for(nation).table(start, end + timedelta(days=MARGIN_DAYS)):
            rows_nation.append(nation)
            rows_day.append(row.day)
            rows_ordinal.append(row.ordinal)
            rows_working.append(row.is_working_day)
    table = pa.table(
        {
            "nation": pa.array(rows_nation, pa.string()),
            "day": pa.array(rows_day, pa.date32()),
            "day_ordinal": pa.array(rows_ordinal, pa.int64()),
            "is_working_day": pa.array(rows_working, pa.bool_()),
        }
    )
    days = ibis.memtable(table)
    working = days.filter(days.is_working_day).select(
        "nation", wd_ordinal=days.day_ordinal, working_day=days.day
    )
    return CalendarTables(days.select("nation", "day", "day_ordinal"), working)
