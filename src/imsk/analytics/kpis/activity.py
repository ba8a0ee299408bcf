"""Activity KPIs: appointments held, missed and cancelled, and investigations requested.

The Wales specification (section 5) asks for first and follow-up contacts, the new-patient
did-not-attend (DNA) and cancellation rates, and the investigations requested (radiology, blood tests,
neurophysiology). Contact KPIs count contacts, not people (``shared/spec/kpis.md``). A contact or an
activity whose request is unknown counts at national level only.
"""

from __future__ import annotations

import ibis

from imsk.analytics.kpis.base import Facts
from imsk.analytics.kpis.inputs import KpiInputs, Table

_CANCELLATION_COHORT = ("attended", "did_not_attend", "patient_cancelled", "service_cancelled")


def _contacts_in_period(inputs: KpiInputs, kind: str) -> Table:
    contacts = inputs.with_service(inputs.table("contacts"))
    return contacts.filter(
        (contacts.kind == kind) & inputs.period.contains(contacts.scheduled_at.date())
    )


def _attended(inputs: KpiInputs, kind: str) -> Facts:
    contacts = _contacts_in_period(inputs, kind)
    attended = contacts.filter(contacts.status == "attended")
    return {"rows": attended.select("service_id", amount=ibis.literal(1, "int64"))}


def first_contacts_attended(inputs: KpiInputs) -> Facts:
    return _attended(inputs, "first")


def follow_ups_attended(inputs: KpiInputs) -> Facts:
    return _attended(inputs, "follow_up")


def new_patient_dna_rate(inputs: KpiInputs) -> Facts:
    contacts = _contacts_in_period(inputs, "first")
    cohort = contacts.filter(contacts.status.isin(("attended", "did_not_attend")))
    return {"cohort": cohort.select("service_id", is_numerator=cohort.status == "did_not_attend")}


def new_patient_cancellation_rate(inputs: KpiInputs) -> Facts:
    contacts = _contacts_in_period(inputs, "first")
    cohort = contacts.filter(contacts.status.isin(_CANCELLATION_COHORT))
    return {
        "cohort": cohort.select("service_id", is_numerator=cohort.status == "patient_cancelled")
    }


def investigations_requested(inputs: KpiInputs) -> Facts:
    activities = inputs.with_service(inputs.table("activities"))
    recorded = activities.filter(inputs.period.contains(activities.recorded_at.date()))
    groups = inputs.activity_groups
    grouped = recorded.inner_join(groups, recorded.code == groups.activity_code)
    return {"rows": grouped.select("service_id", category=grouped.kpi_group)}


def investigation_groups(inputs: KpiInputs) -> tuple[str, ...]:
    return inputs.investigation_groups
