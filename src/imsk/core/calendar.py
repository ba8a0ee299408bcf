"""Working days: the clock every triage and waiting-time deadline runs on.

The Wales specification (section 2.3) sets pathway allocation "within 24 hours for urgent requests and
3 working days for routine requests" and urgent care "within 10 working days of accepting the request".
The KPI catalogue (``shared/spec/kpis.md``, "Shared rules") fixes these as:

* a **working day** is Monday to Friday and not a bank holiday of the service's nation;
* **WD(d, n)** is the n-th working day strictly after date d. Received Friday, n = 1 gives Monday (or
  Tuesday when that Monday is a bank holiday); received Saturday, n = 1 gives Monday.

Bank holidays come from the maintained ``holidays`` package (``country_holidays("GB", subdiv=...)``),
substitute ("observed") days included; a service may add its own closure dates (for example a local
closure or a one-off national holiday announced after the package release).

This module is pure: it never reads the clock. Callers pass the dates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from functools import cache

import holidays

from imsk.core.errors import CalendarError

__all__ = [
    "CalendarDay",
    "Nation",
    "WorkingDayCalendar",
    "calendar_for",
]

_SATURDAY = 5


class Nation(StrEnum):
    """The UK nation whose bank holidays apply to a service (data set ``services.nation``)."""

    WALES = "wales"
    ENGLAND = "england"
    SCOTLAND = "scotland"
    NORTHERN_IRELAND = "northern_ireland"


_SUBDIVISION: dict[Nation, str] = {
    Nation.WALES: "WLS",
    Nation.ENGLAND: "ENG",
    Nation.SCOTLAND: "SCT",
    Nation.NORTHERN_IRELAND: "NIR",
}


@cache
def _bank_holidays(nation: Nation, year: int) -> dict[date, str]:
    """Bank holidays (substitute days included) of one nation in one year, from ``holidays``."""
    found = holidays.country_holidays("GB", subdiv=_SUBDIVISION[nation], years=year)
    return {day: str(name) for day, name in found.items()}


@dataclass(frozen=True)
class CalendarDay:
    """One row of a calendar table, the form a data engine joins to count working days.

    ``ordinal`` is the number of working days from the table's start up to and including ``day``, so
    for any dates a < b in the table the working days in (a, b] are ``ordinal(b) - ordinal(a)`` and
    WD(d, n) is the first working day whose ordinal is ``ordinal(d) + n``.
    """

    day: date
    is_working_day: bool
    ordinal: int


@dataclass(frozen=True)
class WorkingDayCalendar:
    """Working days of one nation, optionally with extra local closure dates."""

    nation: Nation
    extra_closures: frozenset[date] = field(default_factory=frozenset)

    def bank_holidays(self, year: int) -> dict[date, str]:
        """The nation's bank holidays in ``year`` (date to name), substitute days included."""
        return dict(_bank_holidays(self.nation, year))

    def is_bank_holiday(self, day: date) -> bool:
        return day in _bank_holidays(self.nation, day.year)

    def is_working_day(self, day: date) -> bool:
        """Monday to Friday, not a bank holiday of the nation, not an extra closure."""
        return (
            day.weekday() < _SATURDAY
            and not self.is_bank_holiday(day)
            and day not in self.extra_closures
        )

    def add_working_days(self, day: date, n: int) -> date:
        """WD(day, n): the n-th working day strictly after ``day`` (n >= 1).

        ``day`` itself never counts, whether or not it is a working day.
        """
        if n < 1:
            raise CalendarError(f"WD(d, n) needs n >= 1 working days; got n = {n}")
        current = day
        remaining = n
        while remaining:
            current += timedelta(days=1)
            if self.is_working_day(current):
                remaining -= 1
        return current

    def next_working_day_on_or_after(self, day: date) -> date:
        """``day`` when it is a working day, else the first working day after it."""
        current = day
        while not self.is_working_day(current):
            current += timedelta(days=1)
        return current

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in the half-open interval (start, end]; negative when end < start.

        This is the inverse of :meth:`add_working_days`: for a working day ``end`` after ``start``,
        ``add_working_days(start, working_days_between(start, end)) == end``.
        """
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        current = start
        while current < end:
            current += timedelta(days=1)
            if self.is_working_day(current):
                count += 1
        return count

    def table(self, start: date, end: date) -> list[CalendarDay]:
        """Every date in [start, end] with its working-day flag and running ordinal.

        Data engines join this table instead of re-implementing bank holidays (one calendar, one
        truth). The first row's ordinal is 1 if ``start`` is a working day, else 0.
        """
        if end < start:
            raise CalendarError(f"calendar table end {end} is before its start {start}")
        rows: list[CalendarDay] = []
        ordinal = 0
        current = start
        while current <= end:
            working = self.is_working_day(current)
            ordinal += int(working)
            rows.append(CalendarDay(current, working, ordinal))
            current += timedelta(days=1)
        return rows


def calendar_for(
    nation: str | Nation, extra_closures: frozenset[date] = frozenset()
) -> WorkingDayCalendar:
    """The calendar of a nation given by its data set code (``wales``, ``england``...).

    An unknown nation raises :class:`CalendarError` naming the value and the allowed ones.
    """
    try:
        chosen = Nation(nation)
    except ValueError:
        allowed = ", ".join(n.value for n in Nation)
        raise CalendarError(f"unknown nation {nation!r}; expected one of: {allowed}") from None
    return WorkingDayCalendar(chosen, extra_closures)
