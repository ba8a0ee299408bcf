"""Weeks waited and the waiting-list bands of the MSK data set's KPI catalogue.

Wales publishes waits for therapy services against a **14-week maximum** (the Welsh referral to
treatment rules for therapies); Scotland reports against a 4-week standard. The KPI catalogue
(``shared/spec/kpis.md``, ``waiting_first_contact``) fixes one definition every part of imsk uses:

* **weeks waited** = floor((today - the date the wait started) / 7 days): a request received on a
  Monday has waited 0 weeks until the Sunday and 1 week from the next Monday;
* the bands of whole weeks ``0-3``, ``4-7``, ``8-11``, ``12-13``, ``14-17``, ``18-25``, ``26-35``,
  ``36-51`` and ``52+`` (:data:`WAITING_BANDS`).

The KPI engine (``imsk.analytics.kpis.access``) evaluates the same bands as a data-engine expression;
the clinics' waiting list (``imsk.web.clinics``) evaluates them row by row with
:func:`waiting_band`. Both read :data:`WAITING_BANDS`, so the two can never disagree on a boundary.

Pure: the caller passes ``today``.
"""

from __future__ import annotations

from datetime import date

from imsk.core.errors import ImskError

__all__ = [
    "MAXIMUM_WAIT_WEEKS",
    "WAITING_BANDS",
    "WaitingError",
    "waiting_band",
    "weeks_waited",
]

WAITING_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("0-3", 0, 3),
    ("4-7", 4, 7),
    ("8-11", 8, 11),
    ("12-13", 12, 13),
    ("14-17", 14, 17),
    ("18-25", 18, 25),
    ("26-35", 26, 35),
    ("36-51", 36, 51),
    ("52+", 52, None),
)
"""Bands of whole weeks waited (label, lower and upper bound inclusive; ``None`` = open)."""

MAXIMUM_WAIT_WEEKS = 14
"""The Welsh maximum wait for therapy services: a wait of this many weeks or more is a breach."""


class WaitingError(ImskError):
    """A wait was asked about that has not started yet (its start is after ``today``)."""


def weeks_waited(started_on: date, today: date) -> int:
    """Whole weeks from ``started_on`` to ``today``: floor((today - started_on) / 7 days)."""
    days = (today - started_on).days
    if days < 0:
        raise WaitingError(f"the wait starts on {started_on}, after today ({today})")
    return days // 7


def waiting_band(weeks: int) -> str:
    """The label of the band of :data:`WAITING_BANDS` holding ``weeks`` (a whole number ≥ 0)."""
    if weeks < 0:
        raise WaitingError(f"weeks waited cannot be negative (got {weeks})")
    for label, _lower, upper in WAITING_BANDS:
        if upper is None or weeks <= upper:
            return label
    raise AssertionError("the last band is open")  # pragma: no cover - WAITING_BANDS ends open
