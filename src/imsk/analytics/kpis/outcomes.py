"""Outcome KPIs: how requests leave the service, onward referral, cost per case, MSK-HQ change.

The Wales specification (section 5) asks for exits by code (discharge, See On Symptom, Patient
Initiated Follow-Up...), the share discharged at the first contact, the subspecialty referral and
conversion rates (a referral that led to surgery, a procedure or treatment "converted"), the cost per
case, and the share of people whose MSK-HQ improved by at least the minimal important change
(5.5 points, Price AJ et al. BMJ Open 2019;9:e025357; 6 on the whole-number scale; target > 75 %).
"""

from __future__ import annotations

import ibis

from imsk.analytics.kpis.access import on_or_before
from imsk.analytics.kpis.base import Facts
from imsk.analytics.kpis.inputs import KpiInputs, Table
from imsk.core.codes import ExitCode
from imsk.core.instruments.msk_hq import MSK_HQ_MCID


def _exits_in_period(inputs: KpiInputs) -> Table:
    exits = inputs.exits()
    return exits.filter(inputs.period.contains(exits.exited_on))


def exits_by_code(inputs: KpiInputs) -> Facts:
    exits = _exits_in_period(inputs)
    return {"rows": exits.select("service_id", category=exits.code)}


def exit_codes(inputs: KpiInputs) -> tuple[str, ...]:
    return tuple(code.value for code in ExitCode)


def discharged_at_first_contact(inputs: KpiInputs) -> Facts:
    exits = _exits_in_period(inputs)
    cohort = exits.filter(on_or_before(exits.first_attended_on, exits.exited_on))
    return {
        "cohort": cohort.select(
            "service_id", is_numerator=cohort.exited_on == cohort.first_attended_on
        )
    }


def subspecialty_referral_rate(inputs: KpiInputs) -> Facts:
    cohort = _exits_in_period(inputs)
    return {
        "cohort": cohort.select(
            "service_id", is_numerator=on_or_before(cohort.first_referred_on, cohort.exited_on)
        )
    }


def subspecialty_conversion_rate(inputs: KpiInputs) -> Facts:
    referrals = inputs.with_service(inputs.table("onward_referrals"))
    cohort = referrals.filter(
        inputs.period.contains(referrals.referred_at.date()) & referrals.converted.notnull()
    )
    return {"cohort": cohort.select("service_id", is_numerator=cohort.converted)}


def cost_per_case(inputs: KpiInputs) -> Facts:
    costs = inputs.table("costs")
    first_day = (costs.month + "-01").cast("date")
    months = costs.filter(inputs.period.contains(first_day))
    cost_rows = months.select(
        "service_id",
        cost=months.staffing.fill_null(0.0) + months.consumables.fill_null(0.0),
        cases=ibis.literal(0, "int64"),
    )
    exits = _exits_in_period(inputs)
    case_rows = exits.select(
        "service_id", cost=ibis.literal(0.0, "float64"), cases=ibis.literal(1, "int64")
    )
    return {"rows": cost_rows.union(case_rows)}


def msk_hq_mcid_achieved(inputs: KpiInputs) -> Facts:
    """Baseline: the earliest MSK-HQ at ``baseline`` (ties: first in file); discharge: the latest at
    ``discharge`` (ties: last in file); both found per request in the facts table."""
    exits = _exits_in_period(inputs)
    paired = exits.filter(exits.msk_hq_baseline.notnull() & exits.msk_hq_discharge.notnull())
    change = paired.msk_hq_discharge - paired.msk_hq_baseline
    return {"cohort": paired.select("service_id", is_numerator=change >= MSK_HQ_MCID)}
