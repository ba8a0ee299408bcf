"""Hypothesis strategies for triage facts: any combination a request form could produce."""

from __future__ import annotations

from datetime import date

from hypothesis import strategies as st

from imsk.core.triage import (
    Activation,
    AxialSpaFeature,
    Category,
    RedFlag,
    RiskGroup,
    Source,
    TriageFacts,
)

CONDITION_CODES = ["INFLAM.SUSPECTED", "KNEE.OA", "BACK.CHRONIC", "REHAB.POSTOP", "WIDESPREAD.CRPS"]


@st.composite
def any_facts(
    draw: st.DrawFn,
    earliest: date = date(2020, 1, 1),
    latest: date = date(2030, 12, 31),
) -> TriageFacts:
    source = draw(st.sampled_from(Source))
    category = draw(st.none() | st.sampled_from(Category))
    if category is None and source is not Source.SELF:
        category = draw(st.sampled_from(Category))
    return TriageFacts(
        received_on=draw(st.dates(earliest, latest)),
        source=source,
        category=category,
        age=draw(st.integers(0, 110)),
        red_flags=draw(st.frozensets(st.sampled_from(RedFlag), max_size=4)),
        recent_surgery_requiring_rehab=draw(st.booleans()),
        recent_injury_requiring_rehab=draw(st.booleans()),
        high_pain=draw(st.booleans()),
        significant_loss_of_function=draw(st.booleans()),
        disturbed_sleep=draw(st.booleans()),
        unable_to_work_or_care=draw(st.booleans()),
        meets_subspecialty_criteria=draw(st.booleans()),
        start_back=draw(st.none() | st.sampled_from(RiskGroup)),
        start_msk=draw(st.none() | st.sampled_from(RiskGroup)),
        orebro_at_risk=draw(st.none() | st.booleans()),
        activation=draw(st.sampled_from(Activation)),
        back_pain_onset_before_45_over_3_months=draw(st.booleans()),
        axial_spa_features=draw(st.frozensets(st.sampled_from(AxialSpaFeature))),
        hla_b27_positive=draw(st.none() | st.booleans()),
        condition_code=draw(st.none() | st.sampled_from(CONDITION_CODES)),
    )
