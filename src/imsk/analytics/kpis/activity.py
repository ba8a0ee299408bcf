"""Activity KPIs: appointments held, missed and cancelled, and investigations requested.

The Wales specification (section 5) asks for first and follow-up contacts, the new-patient
did-not-attend (DNA) and cancellation rates, and the investigations requested (radiology, blood tests,
neurophysiology). Contact KPIs count contacts, not people (``shared/spec/kpis.md``). A contact or an
activity whose request is unknown counts at national level only.
"""

from __future__ import annotations

import ibis

from imsk.analytics.kpis.base import Facts
from imsk.analytics.kpis.inputs import KpiInputs

_CANCELLATION_COHORT = ("attended", "did_not_attend", "patient_cancelled", "service_cancelled")


def _attended(inputs: KpiInputs, kind: str) -> Facts:
    """Contacts of ``kind``, attended, scheduled in the period (counted per service)."""
    c = inputs.contacts_of_period()
    chosen = c.filter((c.kind == kind) & (c.status == "attended"))
    return {"rows": chosen.select("service_id", amount=chosen.contacts)}


def first_contacts_attended(inputs: KpiInputs) -> Facts:
    return _attended(inputs, "first")


def follow_ups_attended(inputs: KpiInputs) -> Facts:
    return _attended(inputs, "follow_up")


def _first_contact_rate(inputs: KpiInputs, numerator: str, cohort: tuple[str, ...]) -> Facts:
    """First contacts of the period with a status in ``cohort``, of which ``numerator`` (counted per
    service and status)."""
    c = inputs.contacts_of_period()
    chosen = c.filter((c.kind == "first") & c.status.isin(cohort))
    return {
        "cohort": chosen.select(
            "service_id",
            numerator=ibis.ifelse(chosen.status == numerator, chosen.contacts, 0),
            denominator=chosen.contacts,
        )
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
