"""The simulation clock: minutes since the start, and which of those minutes clinicians work.

The simulated service keeps time in minutes from 00:00 on its first day (local time, Europe/London, no
offset, like the data set's timestamps). Triage and clinics work only on **working days** of the
service's nation (``imsk.core.calendar``: Monday to Friday, not a bank holiday), in one session a day
per clinician; WD(d, n), the n-th working day strictly after d (``../shared/spec/kpis.md``), is read
from the core calendar's ordinal table, so the simulator and the KPI engine count alike.

A clinician who works a fraction f of a whole-time week (0.4 FTE) works whole sessions on that share of
working days, spread evenly, rather than short sessions every day: an appointment never has to fit in
a part-session, and capacity is exactly proportional to FTE.

The ``continuous`` calendar switches all of this off (every minute is open): the set-up of textbook
queueing models such as M/M/c, used to check the simulator against Erlang C.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from numpy.typing import NDArray

from imsk.core.calendar import WorkingDayCalendar

MINUTES_PER_DAY = 1440
INFINITY = float("inf")
IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class ServiceClock:
    """Days from ``first_day`` with their working-day flag and ordinal (working days so far)."""

    first_day: date
    working: NDArray[np.bool_]
    ordinal: IntArray
    continuous: bool

    @classmethod
    def build(
        cls, calendar: WorkingDayCalendar, first_day: date, days: int, *, continuous: bool = False
    ) -> ServiceClock:
        rows = calendar.table(first_day, first_day + timedelta(days=days - 1))
        working = np.array([row.is_working_day or continuous for row in rows], dtype=np.bool_)
        return cls(first_day, working, np.cumsum(working).astype(np.int64), continuous)

    @property
    def days(self) -> int:
        return int(self.working.shape[0])

    def date_of(self, day: int) -> date:
        return self.first_day + timedelta(days=day)

    def working_days(self) -> IntArray:
        """Day indices of every working day, in order."""
        return np.flatnonzero(self.working).astype(np.int64)

    def wd_after(self, days: IntArray, n: int) -> IntArray:
        """WD(d, n) for each day index d: the day whose working-day ordinal is ordinal(d) + n.

        Beyond the clock's last working day the answer is ``self.days`` (later than any event).
        """
        by_ordinal = np.append(self.working_days(), self.days)  # ordinal k -> index (k = 1.. )
        wanted = self.ordinal[np.clip(days, 0, self.days - 1)] + n
        return by_ordinal[np.minimum(wanted - 1, by_ordinal.shape[0] - 1)]


@dataclass(frozen=True)
class Sessions:
    """When one clinician works: session start minutes (sorted) and the session length."""

    starts: tuple[float, ...]
    length: float

    def window(self, now: float) -> tuple[float, float]:
        """The session holding ``now``, else the next one: (start, end); (inf, inf) when none."""
        i = bisect_right(self.starts, now) - 1
        if i >= 0 and now < self.starts[i] + self.length:
            return self.starts[i], self.starts[i] + self.length
        if i + 1 < len(self.starts):
            start = self.starts[i + 1]
            return start, start + self.length
        return INFINITY, INFINITY

    def minutes_between(self, begin: float, end: float) -> float:
        """Session minutes inside [begin, end)."""
        total = 0.0
        for start in self.starts[bisect_right(self.starts, begin - self.length) :]:
            if start >= end:
                break
            total += max(0.0, min(end, start + self.length) - max(begin, start))
        return total


ALWAYS = Sessions((0.0,), INFINITY)
"""An always-open clinician (the continuous calendar)."""


def staff_sessions(
    clock: ServiceClock, fte: float, start_hour: float, session_minutes: float
) -> list[Sessions]:
    """One :class:`Sessions` per clinician of ``fte`` whole-time equivalents.

    ``floor(fte)`` clinicians work every working day; the remainder f works on the working days where
    ``floor(k * f)`` steps up (k counts working days), i.e. on a share f of them, evenly spread. On the
    continuous calendar a clinician is always open and ``fte`` is rounded down to whole servers.
    """
    whole = int(fte + 1e-9)
    if clock.continuous:
        return [ALWAYS] * whole
    days = clock.working_days()
    offset = start_hour * 60.0
    every_day = tuple(float(d) * MINUTES_PER_DAY + offset for d in days)
    staff = [Sessions(every_day, session_minutes) for _ in range(whole)]
    part = fte - whole
    if part > 1e-9:
        k = np.arange(1, days.shape[0] + 1)
        works = np.floor(k * part + 1e-9) > np.floor((k - 1) * part + 1e-9)
        chosen = tuple(float(d) * MINUTES_PER_DAY + offset for d in days[works])
        staff.append(Sessions(chosen, session_minutes))
    return staff
