"""Experience and self-management KPIs: Friends and Family Test, feedback, resource use.

The NHS Friends and Family Test (FFT) asks "Overall, how was your experience of our service?" with
six answers; % positive = (very good + good) / all responses, "don't know" included in the
denominator (NHS England; ``shared/research/instruments.md`` section 6).

The data set stores an FFT response as a measure with ``instrument = fft`` whose item (or, without
items, score) is the response code of :class:`imsk.core.instruments.fft.FftResponse`: 1 very good,
2 good, 3 neither good nor poor, 4 poor, 5 very poor, 6 don't know.
"""

from __future__ import annotations

from imsk.analytics.kpis.base import Facts
from imsk.analytics.kpis.inputs import KpiInputs
from imsk.analytics.schema import closed_list
from imsk.core.instruments.fft import FftResponse

#: The response codes counted as positive (very good, good).
FFT_POSITIVE_CODES = tuple(float(r.value) for r in FftResponse if r.is_positive)


def fft_positive(inputs: KpiInputs) -> Facts:
    """Responses completed in the period, positive or not (each response counts once)."""
    fft = inputs.scored_measures("fft")
    in_period = fft.filter(inputs.period.contains(fft.completed_at.date()))
    placed = inputs.with_service(in_period.select("request_id", "kpi_score"))
    return {
        "cohort": placed.select(
            "service_id", is_numerator=placed.kpi_score.isin(FFT_POSITIVE_CODES)
        )
    }


def feedback(inputs: KpiInputs) -> Facts:
    received = inputs.table("feedback")
    in_period = received.filter(inputs.period.contains(received.received_at.date()))
    return {"rows": in_period.select("service_id", category=in_period.kind)}


def feedback_kinds(inputs: KpiInputs) -> tuple[str, ...]:
    return closed_list("feedback", "kind")


def self_management_hits(inputs: KpiInputs) -> Facts:
    hits = inputs.table("resource_hits")
    in_period = hits.filter(inputs.period.contains(hits.date))
    return {"rows": in_period.select("service_id", amount=in_period.hits.cast("int64"))}
