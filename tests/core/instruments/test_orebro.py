"""Örebro short form (OMPSQ-SF): vectors, reversed items by content, at-risk threshold.

Vectors from ``../shared/research/instruments.md`` section 4 (awell-score test data, S19; Linton et
al. Spine 2011 for the cut-off of 50).
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from imsk.core.errors import IncompleteResponseError, ResponseOutOfRangeError
from imsk.core.instruments.orebro import (
    ITEM_ORDER,
    REVERSED_ITEMS,
    OrebroItem,
    score_orebro,
    score_orebro_in_order,
)

Item = OrebroItem


def _lowest_risk() -> dict[OrebroItem, int | None]:
    return {item: (10 if item in REVERSED_ITEMS else 0) for item in Item} | {Item.DURATION: 1}


def test_lowest_risk_answers_total_1() -> None:
    """awell vector 1: duration 1, low-risk ends (reversed items answered 10) -> 1."""
    result = score_orebro(_lowest_risk())
    assert result.score == 1
    assert result.band == "not_at_risk"


def test_all_fives_total_50_and_are_at_risk_under_the_default() -> None:
    """awell vector 2: duration 5, others 5 -> 50; at risk under >= 50 (awell "> 49")."""
    result = score_orebro_in_order([5] * 10)
    assert result.score == 50
    assert result.band == "at_risk"


def test_fifty_is_not_at_risk_when_the_threshold_is_strictly_above_50() -> None:
    """Linton 2011 does not say >= or >; a service reading it as "> 50" sets 51."""
    assert score_orebro_in_order([5] * 10, at_risk_min=51).band == "not_at_risk"


def test_highest_risk_answers_total_100() -> None:
    """awell vector 3: duration 10, non-reversed 10, reversed 0 -> 100."""
    answers = {item: (0 if item in REVERSED_ITEMS else 10) for item in Item}
    assert score_orebro(answers).score == 100


def test_a_mixed_questionnaire_totals_21() -> None:
    """awell vector 4: work-chance 5 -> 5, light work 6 -> 4, sleep 9 -> 1; total 21."""
    answers: dict[OrebroItem, int | None] = {
        Item.DURATION: 1,
        Item.PAIN: 0,
        Item.DEPRESSED: 4,
        Item.TENSE_ANXIOUS: 3,
        Item.PERSISTENT_RISK: 1,
        Item.WORK_CHANCE: 5,
        Item.STOP_ACTIVITY: 0,
        Item.NORMAL_WORK: 2,
        Item.LIGHT_WORK: 6,
        Item.SLEEP: 9,
    }
    result = score_orebro(answers)
    assert result.score == 21
    assert result.details["light_work"] == 4
    assert result.details["sleep"] == 1


def test_positional_order_follows_the_research_table() -> None:
    assert [item.value for item in ITEM_ORDER][:4] == [
        "duration",
        "pain",
        "tense_anxious",
        "depressed",
    ]
    assert score_orebro_in_order([1, 0, 3, 4, 1, 5, 0, 2, 6, 9]).score == 21


def test_the_reversed_items_are_work_chance_light_work_and_sleep() -> None:
    assert {Item.WORK_CHANCE, Item.LIGHT_WORK, Item.SLEEP} == REVERSED_ITEMS


def test_duration_has_no_zero_category() -> None:
    answers = _lowest_risk() | {Item.DURATION: 0}
    with pytest.raises(ResponseOutOfRangeError, match="item duration"):
        score_orebro(answers)


def test_a_missing_item_is_named() -> None:
    answers = _lowest_risk()
    del answers[Item.SLEEP]
    with pytest.raises(IncompleteResponseError, match="item sleep"):
        score_orebro(answers)


def test_an_eleven_on_a_0_to_10_item_is_named() -> None:
    with pytest.raises(ResponseOutOfRangeError, match="item pain: response 11"):
        score_orebro(_lowest_risk() | {Item.PAIN: 11})


@given(st.integers(1, 10), st.lists(st.integers(0, 10), min_size=9, max_size=9))
def test_the_total_is_always_between_1_and_100(duration: int, rest: list[int]) -> None:
    total = score_orebro_in_order([duration, *rest]).score
    assert isinstance(total, int)
    assert 1 <= total <= 100
