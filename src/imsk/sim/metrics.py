"""What one replication says about the reported period: waits, breaches, waiting list, utilisation.

The measures follow the KPI catalogue (``../shared/spec/kpis.md``) so that a simulated future reads
like a real one:

* ``triage_urgent_1wd`` / ``triage_routine_3wd``: % of requests received in the period (and triaged)
  whose pathway was allocated by WD(d, 1) / WD(d, 3) (Wales specification 2.3);
* ``urgent_seen_10wd``: % of urgent, accepted requests whose deadline WD(d, 10) falls in the period
  that had a first attended contact by then (requests that left unseen before the deadline are out of
  the cohort, as in ``urgent_not_seen_10wd``; this is 100 minus that KPI's breach rate);
* ``routine_seen_within_target``: the same for routine requests and a deadline of exactly
  ``routine_weeks`` x 7 days after receipt (14 weeks, the Welsh maximum wait for therapy services,
  unless asked; exact time, so a planning target may be a fraction of a week);
  both also per band group (``urgent_seen_10wd_5-6``...), which the workforce planner reads;
* ``waiting_list`` at the end of each week (``waiting_first_contact``'s total: received, not
  redirected, not exited, no first attended contact) and ``waiting_over_14_weeks``;
* ``mean_wait_days`` from receipt to first attended contact, over requests received in the period and
  seen before its end; ``utilisation_<pool>``: clinician minutes used / offered in the period.

Where the catalogue compares calendar dates, so do these; waits in weeks use exact minutes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
from numpy.typing import NDArray

from imsk.sim.clock import MINUTES_PER_DAY
from imsk.sim.demand import REDIRECTED
from imsk.sim.records import ATTENDED, DID_NOT_ATTEND, FIRST, FOLLOW_UP, RunResult
from imsk.sim.scenario import BAND_GROUPS

FloatArray = NDArray[np.float64]
WEEK_MINUTES = 7 * MINUTES_PER_DAY
DEFAULT_ROUTINE_WEEKS = 14.0


@dataclass(frozen=True)
class RunMetrics:
    """Scalar measures and weekly series of one replication."""

    scalars: dict[str, float]
    series: dict[str, list[float]] = field(default_factory=dict)
    week_ending: list[date] = field(default_factory=list)


def _percent(numerator: NDArray[np.bool_], cohort: NDArray[np.bool_]) -> float:
    total = int(cohort.sum())
    return 100.0 * int((numerator & cohort).sum()) / total if total else math.nan


def measure(result: RunResult, routine_weeks: float = DEFAULT_ROUTINE_WEEKS) -> RunMetrics:
    """Every measure of ``result`` over its reported period."""
    req = result.requests
    jour = result.journeys
    received = np.asarray(req.received)
    first = np.nan_to_num(np.asarray(jour.first_seen), nan=math.inf)
    exited = np.nan_to_num(np.asarray(jour.exited), nan=math.inf)
    triaged = np.nan_to_num(np.asarray(jour.triaged), nan=math.inf)
    urgent = np.asarray(req.urgent, dtype=np.bool_)
    accepted = np.asarray(req.pathway) != REDIRECTED
    start, end = result.report_start, result.report_end
    in_period = (received >= start) & (received < end)
    scalars = {
        **_triage_measures(result, received, triaged, urgent, in_period),
        **_deadline_measures(result, received, first, exited, urgent, accepted, routine_weeks),
        **_activity(result, in_period),
    }
    seen = in_period & (first < end)
    waits = (first[seen] - received[seen]) / MINUTES_PER_DAY
    scalars["mean_wait_days"] = float(waits.mean()) if waits.size else math.nan
    for name, use in result.use.items():
        scalars[f"utilisation_{name}"] = 100.0 * use.utilisation
    weeks = np.arange(1, round((end - start) / WEEK_MINUTES) + 1, dtype=np.float64)
    snapshots = start + WEEK_MINUTES * weeks
    total, over = _waiting(received[accepted], np.minimum(first, exited)[accepted], snapshots)
    first_day = result.clock.first_day
    week_ending = [
        first_day + timedelta(days=int(t // MINUTES_PER_DAY) - 1) for t in snapshots.tolist()
    ]
    return RunMetrics(scalars, {"waiting_list": total, "waiting_over_14_weeks": over}, week_ending)


def _days(minutes: FloatArray) -> NDArray[np.int64]:
    return np.floor(np.minimum(minutes, 1e15) / MINUTES_PER_DAY).astype(np.int64)


def _triage_measures(
    result: RunResult,
    received: FloatArray,
    triaged: FloatArray,
    urgent: NDArray[np.bool_],
    in_period: NDArray[np.bool_],
) -> dict[str, float]:
    day = _days(received)
    done = in_period & (triaged < result.report_end)
    on_time_1 = _days(triaged) <= result.clock.wd_after(day, 1)
    on_time_3 = _days(triaged) <= result.clock.wd_after(day, 3)
    return {
        "triage_urgent_1wd": _percent(on_time_1, done & urgent),
        "triage_routine_3wd": _percent(on_time_3, done & ~urgent),
    }


def _deadline_measures(
    result: RunResult,
    received: FloatArray,
    first: FloatArray,
    exited: FloatArray,
    urgent: NDArray[np.bool_],
    accepted: NDArray[np.bool_],
    routine_weeks: float,
) -> dict[str, float]:
    """Shares seen by a deadline; urgent on calendar dates (WD(d, 10)), routine in exact time."""
    day = _days(received)
    deadlines = {
        "urgent_seen_10wd": (
            urgent,
            (result.clock.wd_after(day, 10) + 1) * float(MINUTES_PER_DAY),  # end of that day
        ),
        "routine_seen_within_target": (~urgent, received + routine_weeks * WEEK_MINUTES),
    }
    band = np.asarray(result.requests.band_group)
    out: dict[str, float] = {}
    for name, (chosen, deadline) in deadlines.items():
        due = (deadline > result.report_start) & (deadline <= result.report_end)
        left_unseen = (exited < deadline) & (first >= deadline)
        cohort = chosen & accepted & due & ~left_unseen
        on_time = first < deadline
        out[name] = _percent(on_time, cohort)
        for g, group in enumerate(BAND_GROUPS):
            out[f"{name}_{group}"] = _percent(on_time, cohort & (band == g))
    return out


def _activity(result: RunResult, in_period: NDArray[np.bool_]) -> dict[str, float]:
    contacts = result.contacts
    minute = np.asarray(contacts.minute)
    kind = np.asarray(contacts.kind)
    status = np.asarray(contacts.status)
    inside = (minute >= result.report_start) & (minute < result.report_end)
    first_booked = inside & (kind == FIRST) & ((status == ATTENDED) | (status == DID_NOT_ATTEND))
    return {
        "requests": float(in_period.sum()),
        "first_contacts_attended": float((inside & (kind == FIRST) & (status == ATTENDED)).sum()),
        "follow_ups_attended": float((inside & (kind == FOLLOW_UP) & (status == ATTENDED)).sum()),
        "new_patient_dna_rate": _percent(status == DID_NOT_ATTEND, first_booked),
    }


def _waiting(
    received: FloatArray, left: FloatArray, snapshots: FloatArray
) -> tuple[list[float], list[float]]:
    """People waiting (received, not yet seen or exited) and those waiting 14+ weeks, at each time."""
    arrived = np.searchsorted(np.sort(received), snapshots, side="right")
    gone = np.searchsorted(np.sort(left), snapshots, side="right")
    total = (arrived - gone).astype(np.float64)
    over = [
        float(((received <= t - 14 * WEEK_MINUTES) & (left > t)).sum()) for t in snapshots.tolist()
    ]
    return total.tolist(), over
