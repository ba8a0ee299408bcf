"""The working-day calendar as an engine table, built from the one calendar of the core.

The triage and urgent-care KPIs need WD(d, n), the n-th working day strictly after date d, per the
service's nation (``shared/spec/kpis.md``, "Shared rules"). Bank holidays are never re-implemented
here: :meth:`imsk.core.calendar.WorkingDayCalendar.add_working_days` computes WD(d, n) for every
day of the span and every offset the KPIs use, and the engine joins the result: one row per nation
and calendar day, ``(nation, day, wd1, wd3, wd10)``. A single join then gives every deadline of a
request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import ibis
import pyarrow as pa

from imsk.core.calendar import calendar_for

#: The deadlines the KPIs use: column name -> n in WD(d, n).
DEADLINE_OFFSETS: dict[str, int] = {"wd1": 1, "wd3": 3, "wd10": 10}


@dataclass(frozen=True)
class CalendarTables:
    """The calendar table registered in the engine: ``deadlines`` (nation, day, wd1, wd3, wd10)."""

    deadlines: Any


def build_calendar_tables(nations: list[str], start: date, end: date) -> CalendarTables:
    """WD(d, n) of every day d in [start, end] for every nation in ``nations``."""
    columns: dict[str, list[Any]] = {"nation": [], "day": []}
    columns.update({name: [] for name in DEADLINE_OFFSETS})
    for nation in sorted(set(nations)):
        calendar = calendar_for(nation)
        day = start
        while day <= end:
            columns["nation"].append(nation)
            columns["day"].append(day)
            for name, n in DEADLINE_OFFSETS.items():
                columns[name].append(calendar.add_working_days(day, n))
            day += timedelta(days=1)
    table = pa.table(
        {
            "nation": pa.array(columns["nation"], pa.string()),
            **{
                name: pa.array(values, pa.date32())
                for name, values in columns.items()
                if name != "nation"
            },
        }
    )
    return CalendarTables(ibis.memtable(table))
