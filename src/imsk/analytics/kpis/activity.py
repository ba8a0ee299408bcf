"""Activity KPIs: appointments held, missed and cancelled, and investigations requested.

The Wales specification (section 5) asks for first and follow-up contacts, the new-patient
did-not-attend (DNA) and cancellation rates, and the investigations requested (radiology, blood tests,
neurophysiology). Contact KPIs count contacts, not people (``shared/spec/kpis.md``). A contact or an
activity whose request is unknown counts at national level only.
"""

from __future__ import annotations

from imsk.analytics.kpis.base import Facts
from imsk.analytics.kpis.inputs import KpiInputs

_CANCELLATION_COHORT = ("attended", "did_not_attend", "patient_cancelled", "service_cancelled")
_FIRST = "contacts_first_"


def _attended(inputs: KpiInputs, column: str) -> Facts:
    r = inputs.requests()
    return {"rows": r.select("service_id", amount=r[column])}


def first_contacts_attended(inputs: KpiInputs) -> Facts:
    return _attended(inputs, "contacts_first_attended")


def follow_ups_attended(inputs: KpiInputs) -> Facts:
    return _attended(inputs, "contacts_follow_up_attended")


def _first_contact_rate(inputs: KpiInputs, numerator: str, cohort: tuple[str, ...]) -> Facts:
    """Counted per request (``facts.COUNTED_CONTACTS``): first contacts of the period with a
    status in ``cohort``, of which ``numerator``."""
    r = inputs.requests()
    denominator = sum((r[_FIRST + status] for status in cohort[1:]), r[_FIRST + cohort[0]])
    return {
        "cohort": r.select("service_id", numerator=r[_FIRST + numerator], denominator=denominator)
    }


def new_patient_dna_rate(inputs: KpiInputs) -> Facts:
    return _first_contact_rate(inputs, "did_not_attend", ("attended", "did_not_attend"))


def new_patient_cancellation_rate(inputs: KpiInputs) -> Facts:
    return _first_contact_rate(inputs, "patient_cancelled", _CANCELLATION_COHORT)


def investigations_requested(inputs: KpiInputs) -> Facts:
    activities = inputs.with_service(inputs.table("activities"))
    recorded = activities.filter(inputs.period.contains(activities.recorded_at.date()))
    groups = inputs.activity_groups
    grouped = recorded.inner_join(groups, recorded.code == groups.activity_code)
    return {"rows": grouped.select("service_id", category=grouped.kpi_group)}


def investigation_groups(inputs: KpiInputs) -> tuple[str, ...]:
    return inputs.investigation_groups
