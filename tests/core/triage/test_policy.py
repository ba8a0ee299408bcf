"""The clinical-safety rules of a triage decision (``imsk.core.triage.policy``).

The service records a clinician's choice as accepted only when it is the engine's suggestion, and
as a red-flag downgrade when it is less urgent than the engine for a red-flag case. The oracle of
"less urgent" below is the engine's severity order (``docs/triage-rules.md``), written out.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from imsk.core.calendar import Nation, calendar_for
from imsk.core.triage import (
    BandRequirement,
    Disposition,
    Pathway,
    Priority,
    TriageFacts,
    triage,
)
from imsk.core.triage.policy import (
    allocation_disposition,
    band_meets,
    is_accepted,
    is_less_urgent,
    is_red_flag_case,
)
from tests.core.triage.builders import bundled_ruleset
from tests.core.triage.strategies import any_facts

RULESET = bundled_ruleset()
WALES = calendar_for(Nation.WALES)

#: Least to most severe, as docs/triage-rules.md orders the engine's dispositions.
DISPOSITION_ORDER = [
    Disposition.ACCEPT,
    Disposition.REDIRECT_RHEUMATOLOGY,
    Disposition.REDIRECT_PAEDIATRICS,
    Disposition.URGENT_MEDICAL_REVIEW,
    Disposition.EMERGENCY_REDIRECT,
]


def test_bands_5_and_6_meet_the_junior_requirement_and_7_to_9_the_senior_one() -> None:
    assert [b for b in range(1, 10) if band_meets(BandRequirement.JUNIOR, b)] == [5, 6]
    assert [b for b in range(1, 10) if band_meets(BandRequirement.SENIOR, b)] == [7, 8, 9]
    assert not band_meets(BandRequirement.SENIOR, None)
    assert band_meets(None, None)  # a redirect has neither requirement nor band
    assert not band_meets(None, 6)


def test_the_disposition_order_is_the_engines() -> None:
    assert sorted(Disposition, key=DISPOSITION_ORDER.index) == sorted(
        Disposition, key=lambda d: list(Disposition).index(d)
    )


@given(facts=any_facts())
def test_the_engines_own_suggestion_is_accepted_and_never_less_urgent(facts: TriageFacts) -> None:
    engine = triage(facts, RULESET, WALES)
    band = {BandRequirement.JUNIOR: 6, BandRequirement.SENIOR: 7, None: None}[
        engine.band_requirement
    ]
    assert is_accepted(engine, engine.disposition, engine.priority, engine.pathway, band)
    assert not is_less_urgent(engine, engine.disposition, engine.priority)


@given(
    facts=any_facts(),
    disposition=st.none() | st.sampled_from(Disposition),
    priority=st.sampled_from(Priority),
    pathway=st.sampled_from(Pathway),
    band=st.none() | st.integers(1, 9),
)
def test_less_urgent_means_a_lower_disposition_or_priority_than_the_engine(
    facts: TriageFacts,
    disposition: Disposition | None,
    priority: Priority,
    pathway: Pathway,
    band: int | None,
) -> None:
    engine = triage(facts, RULESET, WALES)
    chosen = -1 if disposition is None else DISPOSITION_ORDER.index(disposition)
    lower = chosen < DISPOSITION_ORDER.index(engine.disposition) or (
        engine.priority is Priority.URGENT and priority is Priority.ROUTINE
    )
    assert is_less_urgent(engine, disposition, priority) == lower
    if lower:  # a less urgent choice is never the engine's suggestion
        assert not is_accepted(engine, disposition, priority, pathway, band)


@given(facts=any_facts())
def test_a_red_flag_makes_a_red_flag_case_and_allocation_keeps_a_same_day_review(
    facts: TriageFacts,
) -> None:
    engine = triage(facts, RULESET, WALES)
    flags = facts.red_flags
    assert is_red_flag_case(engine, flags) == (bool(flags) or engine.act_same_day)
    kept = allocation_disposition(engine)
    if engine.disposition is Disposition.URGENT_MEDICAL_REVIEW:
        assert kept is Disposition.URGENT_MEDICAL_REVIEW
    else:
        assert kept is Disposition.ACCEPT
