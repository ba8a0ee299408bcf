"""Safety properties of the triage engine under the bundled rule set, for any answers."""

from __future__ import annotations

import random
from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from imsk.core.calendar import Nation, calendar_for
from imsk.core.triage import (
    RED_FLAG_FLOOR,
    TRIAGE_WORKING_DAYS,
    Disposition,
    Priority,
    RedFlag,
    TriageFacts,
    group_of,
    parse_ruleset,
    severity,
    triage,
)
from tests.core.triage.builders import bundled_document, bundled_ruleset
from tests.core.triage.strategies import any_facts

RULESET = bundled_ruleset()
WALES = calendar_for(Nation.WALES)
CALENDARS = {nation: calendar_for(nation) for nation in Nation}


@given(facts=any_facts(), flag=st.sampled_from(RedFlag))
def test_a_red_flag_is_never_downgraded_by_any_other_answer(
    facts: TriageFacts, flag: RedFlag
) -> None:
    """instruments.md 8: A -> emergency; B/C/D -> same-day review; E -> rheumatology, whatever else."""
    flagged = replace(facts, red_flags=facts.red_flags | {flag})
    decision = triage(flagged, RULESET, WALES)
    floor = RED_FLAG_FLOOR[group_of(flag)]
    assert severity(decision.disposition) >= severity(floor)
    assert decision.priority is Priority.URGENT


@given(facts=any_facts(), flag=st.sampled_from(RedFlag))
def test_adding_a_red_flag_never_makes_a_decision_less_severe(
    facts: TriageFacts, flag: RedFlag
) -> None:
    before = triage(facts, RULESET, WALES)
    after = triage(replace(facts, red_flags=facts.red_flags | {flag}), RULESET, WALES)
    assert severity(after.disposition) >= severity(before.disposition)
    assert severity(after.priority) >= severity(before.priority)


@given(facts=any_facts(), nation=st.sampled_from(Nation))
def test_no_deadline_falls_on_a_non_working_day(facts: TriageFacts, nation: Nation) -> None:
    """kpis.md: WD(d, n) is the n-th working day strictly after d (2020-2030, all four nations)."""
    calendar = CALENDARS[nation]
    decision = triage(facts, RULESET, calendar)
    received = facts.received_on
    assert calendar.is_working_day(decision.triage_deadline)
    allowed = TRIAGE_WORKING_DAYS[decision.priority]
    assert calendar.working_days_between(received, decision.triage_deadline) == allowed
    if decision.first_contact_deadline is not None:
        assert calendar.is_working_day(decision.first_contact_deadline)
        assert calendar.working_days_between(received, decision.first_contact_deadline) == 10


@given(facts=any_facts())
def test_only_accepted_urgent_requests_have_a_first_contact_deadline(facts: TriageFacts) -> None:
    decision = triage(facts, RULESET, WALES)
    expected = decision.priority is Priority.URGENT and not decision.is_redirected
    assert (decision.first_contact_deadline is not None) is expected


@given(facts=any_facts())
def test_the_same_input_and_version_always_give_the_same_decision(facts: TriageFacts) -> None:
    first = triage(facts, RULESET, WALES)
    again = triage(facts, parse_ruleset(bundled_document()), calendar_for("wales"))
    assert first == again


@given(facts=any_facts(), seed=st.integers(0, 2**32 - 1))
def test_rule_order_never_changes_the_decision(facts: TriageFacts, seed: int) -> None:
    document = bundled_document()
    random.Random(seed).shuffle(document["rules"])
    shuffled = triage(facts, parse_ruleset(document), WALES)
    original = triage(facts, RULESET, WALES)
    assert replace(shuffled, fired_rules=()) == replace(original, fired_rules=())
    assert {r.id for r in shuffled.fired_rules} == {r.id for r in original.fired_rules}


@given(facts=any_facts())
def test_a_same_day_disposition_is_always_urgent(facts: TriageFacts) -> None:
    decision = triage(facts, RULESET, WALES)
    same_day = {Disposition.EMERGENCY_REDIRECT, Disposition.URGENT_MEDICAL_REVIEW}
    assert decision.act_same_day is (decision.disposition in same_day)
    if decision.act_same_day:
        assert decision.priority is Priority.URGENT
