"""Working days as numpy arrays: WD(d, n) for millions of dates at once.

The one calendar of imsk is :mod:`imsk.core.calendar` (bank holidays of the service's nation). Its
``table(start, end)`` gives every date with a working-day flag and a running ordinal; WD(d, n), the
n-th working day strictly after d, is then the first date whose ordinal is ``ordinal(d) + n``. Because
ordinals never decrease, one ``numpy.searchsorted`` over the ordinal column gives the first date of
every ordinal, and WD(d, n) for a whole array of dates is then two array look-ups: the generator never
re-implements bank holidays.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
from numpy.typing import NDArray

from imsk.core.calendar import WorkingDayCalendar
from imsk.core.errors import SynthError

IntArray = NDArray[np.int64]
_EPOCH = date(1970, 1, 1)


def day_number(day: date) -> int:
    """Days since 1970-01-01 (the integer form the generator computes with)."""
    return (day - _EPOCH).days


@dataclass(frozen=True)
class DayTable:
    """The calendar table of one nation over [first, first + len) as arrays."""

    first: int
    working: NDArray[np.bool_]
    ordinal: IntArray
    position_of_ordinal: IntArray  # index of the first date reaching each ordinal

    @classmethod
    def build(cls, calendar: WorkingDayCalendar, start: date, end: date) -> DayTable:
        rows = calendar.table(start, end)
        working = np.array([row.is_working_day for row in rows], dtype=np.bool_)
        ordinal = np.array([row.ordinal for row in rows], dtype=np.int64)
        positions = np.searchsorted(ordinal, np.arange(int(ordinal[-1]) + 1), side="left")
        return cls(day_number(start), working, ordinal, positions.astype(np.int64))

    @property
    def last(self) -> int:
        return int(self.first + self.working.shape[0] - 1)

    def _index(self, days: IntArray) -> IntArray:
        index = days - self.first
        if index.size and (index.min() < 0 or index.max() >= self.working.shape[0]):
            raise SynthError(
                "a generated date fell outside the working-day table "
                f"(days {int(days.min())}..{int(days.max())}); shorten the period or the waits"
            )
        return index

    def is_working(self, days: IntArray) -> NDArray[np.bool_]:
        return self.working[self._index(days)]

    def ordinals(self, days: IntArray) -> IntArray:
        return self.ordinal[self._index(days)]

    def day_of_ordinal(self, ordinals: IntArray) -> IntArray:
        """The working day whose ordinal is ``ordinals`` (the first date reaching it)."""
        if ordinals.size and ordinals.max() >= self.position_of_ordinal.shape[0]:
            raise SynthError("a working-day deadline fell after the end of the working-day table")
        return self.position_of_ordinal[ordinals] + self.first

    def add_working_days(self, days: IntArray, n: IntArray | int) -> IntArray:
        """WD(d, n) for every d (n >= 1), as :meth:`WorkingDayCalendar.add_working_days`."""
        return self.day_of_ordinal(self.ordinals(days) + n)

    def on_or_after(self, days: IntArray) -> IntArray:
        """The first working day on or after each date (WD(d - 1, 1))."""
        return self.add_working_days(days - 1, 1)
