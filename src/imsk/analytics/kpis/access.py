"""Access KPIs: triage within the deadline, untriaged requests, urgent care, the waiting list.

The Wales specification (section 2.3) asks for pathway allocation within 24 hours of an urgent
request and 3 working days of a routine one, and for urgent care within 10 working days of accepting
the request; it publishes waits against the Welsh 14-week maximum for therapy services.
``shared/spec/kpis.md`` fixes these as WD(date received, 1), WD(..., 3) and WD(..., 10).

A request whose service is unknown has no nation, hence no working days: it cannot enter the
working-day cohorts (the data set validator reports the dangling service as an error first).
"""

from __future__ import annotations

import ibis

from imsk.analytics.kpis.base import Facts
from imsk.analytics.kpis.inputs import Column, KpiInputs

# The bands are defined once, in core; re-exported here for the KPI modules that read them.
from imsk.core.waiting import MAXIMUM_WAIT_WEEKS as MAXIMUM_WAIT_WEEKS
from imsk.core.waiting import WAITING_BANDS as WAITING_BANDS


def on_or_before(day: Column, limit: Column) -> Column:
    """``day`` is known and not after ``limit`` (never null, so it can be negated safely)."""
    return day.notnull() & (day <= limit).fill_null(False)


def is_not_redirected(pathway: Column) -> Column:
    return pathway.isnull() | (pathway != "redirected")


def _triage_within(inputs: KpiInputs, priority: str, deadline: str) -> Facts:
    r = inputs.requests()
    cohort = r.filter(
        (r.priority == priority)
        & inputs.period.contains(r.received_on)
        & r.triaged_at.notnull()
        & r[deadline].notnull()
    )
    return {
        "cohort": cohort.select("service_id", is_numerator=cohort.triaged_on <= cohort[deadline])
    }


def triage_urgent_1wd(inputs: KpiInputs) -> Facts:
    return _triage_within(inputs, "urgent", "wd1")


def triage_routine_3wd(inputs: KpiInputs) -> Facts:
    return _triage_within(inputs, "routine", "wd3")


def untriaged_overdue(inputs: KpiInputs) -> Facts:
    end = inputs.period.end
    r = inputs.requests()
    overdue = r.filter(
        (r.received_on <= end)
        & ~on_or_before(r.triaged_on, ibis.literal(end))
        & ~on_or_before(r.exited_on, ibis.literal(end))
        & (r.wd3 < end)
    )
    return {"rows": overdue.select("service_id", amount=ibis.literal(1, "int64"))}


def urgent_not_seen_10wd(inputs: KpiInputs) -> Facts:
    r = inputs.requests()
    due = r.filter(
        (r.priority == "urgent") & inputs.period.contains(r.wd10) & is_not_redirected(r.pathway)
    )
    seen_by_deadline = on_or_before(due.first_attended_on, due.wd10)
    left_unseen = on_or_before(due.exited_on, due.wd10) & ~seen_by_deadline
    cohort = due.filter(~left_unseen)
    return {
        "cohort": cohort.select(
            "service_id", is_numerator=~on_or_before(cohort.first_attended_on, cohort.wd10)
        )
    }


def waiting_first_contact(inputs: KpiInputs) -> Facts:
    end = ibis.literal(inputs.period.end)
    r = inputs.requests()
    waiting = r.filter(
        (r.received_on <= end)
        & is_not_redirected(r.pathway)
        & ~on_or_before(r.exited_on, end)
        & ~on_or_before(r.first_attended_on, end)
    )
    weeks = end.delta(waiting.received_on, unit="day") // 7
    return {"rows": waiting.select("service_id", band=waiting_band(weeks))}


def waiting_band(weeks: Column) -> Column:
    """The label of the band of :data:`WAITING_BANDS` holding ``weeks``."""
    branches = [(weeks <= upper, label) for label, _, upper in WAITING_BANDS if upper is not None]
    return ibis.cases(*branches, else_=WAITING_BANDS[-1][0])


def coded_at_triage(inputs: KpiInputs) -> Facts:
    r = inputs.requests()
    cohort = r.filter(inputs.period.contains(r.triaged_on))
    return {
        "cohort": cohort.select(
            "service_id", is_numerator=on_or_before(cohort.first_coded_at, cohort.triaged_at)
        )
    }
