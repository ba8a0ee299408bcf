"""Demand and equity KPIs: requests by condition group and source, re-presentation, deprivation.

The Wales specification (section 5) asks services to report demand by condition and by source of
request, re-presentation within 6 months (fixed at 182 days by ``shared/spec/kpis.md``) and access by
deprivation quintile (WIMD in Wales, IMD in England) against the local population, so that a service
can see whether the most deprived fifth reaches it in proportion to its size.
"""

from __future__ import annotations

from imsk.analytics.kpis.base import Facts
from imsk.analytics.kpis.inputs import UNCODED, KpiInputs, Table
from imsk.analytics.schema import closed_list

RE_PRESENTATION_DAYS = 182


def _received(inputs: KpiInputs) -> Table:
    r = inputs.requests()
    return r.filter(inputs.period.contains(r.received_on))


def requests_by_condition_group(inputs: KpiInputs) -> Facts:
    received = inputs.with_condition_group(_received(inputs))
    return {"rows": received.select("service_id", category=received.condition_group)}


def requests_by_source(inputs: KpiInputs) -> Facts:
    received = _received(inputs)
    return {"rows": received.select("service_id", category=received.source)}


def sources(inputs: KpiInputs) -> tuple[str, ...]:
    return closed_list("requests", "source")


def re_presentation_6m(inputs: KpiInputs) -> Facts:
    r = inputs.requests()
    cohort = inputs.with_condition_group(_received(inputs))
    exited = inputs.with_condition_group(r.filter(r.exited_on.notnull()))
    coded = exited.filter(exited.condition_group != UNCODED)
    earlier = coded.select(
        earlier_person=coded.person_id,
        earlier_request=coded.request_id,
        earlier_group=coded.condition_group,
        earlier_exit_day=coded.exited_on.epoch_days(),
    ).view()
    received_day = cohort.received_on.epoch_days()
    matched = (
        cohort.inner_join(
            earlier,
            [
                cohort.person_id == earlier.earlier_person,
                cohort.request_id != earlier.earlier_request,
                cohort.condition_group == earlier.earlier_group,
                earlier.earlier_exit_day >= received_day - RE_PRESENTATION_DAYS,
                earlier.earlier_exit_day < received_day,
            ],
        )
        .select(matched_request=cohort.request_id)
        .distinct()
    )
    flagged = cohort.left_join(matched, cohort.request_id == matched.matched_request)
    return {"cohort": flagged.select("service_id", is_numerator=flagged.matched_request.notnull())}


def access_by_deprivation(inputs: KpiInputs) -> Facts:
    received = _received(inputs)
    population = inputs.table("population")
    return {
        "requests": received.select("service_id", quintile=received.deprivation_quintile),
        "population": population.select(
            "health_board", "population", quintile=population.deprivation_quintile
        ),
    }
