"""MSK-HQ scoring: published vectors, option positions, missing items, change and MCID, properties.

Vectors from ``../shared/research/instruments.md`` section 1 (sources: Hill et al. BMJ Open 2016;
Te Whatu Ora FHIR Questionnaire ordinalValue 4..0; CSP/UHDB implementation; Price et al. BMJ Open 2019
for the 5.5-point MIC).
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from imsk.core.errors import IncompleteResponseError, ResponseOutOfRangeError
from imsk.core.instruments.msk_hq import (
    MissingItemRule,
    ResponseCoding,
    item_score,
    msk_hq_change,
    score_msk_hq,
)

item_scores = st.lists(st.integers(0, 4), min_size=14, max_size=14)


def test_all_best_answers_total_56_and_all_worst_total_0() -> None:
    """Research notes vector 1 (total = sum of 14 items scored 0-4, Hill 2016)."""
    assert score_msk_hq([4] * 14).score == 56
    assert score_msk_hq([0] * 14).score == 0


def test_a_mixed_questionnaire_totals_30() -> None:
    """Research notes vector 2: [2,3,2,3,1,2,2,3,1,2,2,3,2,2] -> 30."""
    result = score_msk_hq([2, 3, 2, 3, 1, 2, 2, 3, 1, 2, 2, 3, 2, 2])
    assert result.score == 30
    assert result.instrument == "msk_hq"
    assert result.instrument_version == "msk_hq-2016"
    assert result.details["item_4"] == 3


def test_first_printed_option_everywhere_scores_48_not_56() -> None:
    """Research notes vector 3: "Not at all" on every item = 48, because items 12 and 13 are
    positively worded and their first option scores 0 (S6 Fysiobasen "reverse-scored")."""
    result = score_msk_hq([0] * 14, coding=ResponseCoding.POSITIONS)
    assert result.score == 48
    assert result.details["item_12"] == 0
    assert result.details["item_13"] == 0
    assert result.details["item_1"] == 4


def test_positions_map_per_item_and_position() -> None:
    assert item_score(1, 4, ResponseCoding.POSITIONS) == 0
    assert item_score(12, 4, ResponseCoding.POSITIONS) == 4
    assert item_score(13, 1, ResponseCoding.POSITIONS) == 1
    assert item_score(14, 1, ResponseCoding.POSITIONS) == 3


def test_a_missing_item_is_an_error_naming_that_item() -> None:
    responses: list[int | None] = [4] * 14
    responses[6] = None
    with pytest.raises(IncompleteResponseError, match="MSK-HQ item 7"):
        score_msk_hq(responses)


def test_the_no_score_rule_returns_no_total_and_lists_the_missing_items() -> None:
    responses: list[int | None] = [4] * 14
    responses[2] = None
    responses[13] = None
    result = score_msk_hq(responses, missing=MissingItemRule.NO_SCORE)
    assert result.score is None
    assert result.details["missing_items"] == "3 14"


def test_an_out_of_range_response_names_the_item() -> None:
    responses = [4] * 14
    responses[11] = 5
    with pytest.raises(ResponseOutOfRangeError, match="item 12: response 5"):
        score_msk_hq(responses)


def test_thirteen_responses_are_rejected() -> None:
    with pytest.raises(IncompleteResponseError, match="expected 14"):
        score_msk_hq([4] * 13)


def test_a_six_point_improvement_achieves_the_mcid_and_five_does_not() -> None:
    """Research notes vector 4: MIC 5.5 (Price 2019) on whole numbers means change >= 6."""
    assert msk_hq_change(30, 36).is_mcid_achieved
    assert msk_hq_change(30, 36).change == 6
    assert not msk_hq_change(30, 35).is_mcid_achieved


def test_the_mcid_is_configurable() -> None:
    """Christiansen 2020 reports MCIC 6-8 in UK physiotherapy; a service may choose 8."""
    assert not msk_hq_change(30, 36, mcid=8).is_mcid_achieved
    assert msk_hq_change(30, 38, mcid=8).is_mcid_achieved


def test_a_deterioration_never_achieves_the_mcid() -> None:
    change = msk_hq_change(40, 20)
    assert change.change == -20
    assert not change.is_mcid_achieved


def test_a_change_from_an_impossible_total_is_rejected() -> None:
    with pytest.raises(ResponseOutOfRangeError, match="baseline"):
        msk_hq_change(57, 30)


@given(item_scores)
def test_the_total_is_always_between_0_and_56(scores: list[int]) -> None:
    total = score_msk_hq(scores).score
    assert isinstance(total, int)
    assert 0 <= total <= 56


@given(item_scores, st.integers(0, 13))
def test_raising_any_item_never_lowers_the_total(scores: list[int], index: int) -> None:
    better = list(scores)
    better[index] = min(4, scores[index] + 1)
    before = score_msk_hq(scores).score
    after = score_msk_hq(better).score
    assert isinstance(before, int)
    assert isinstance(after, int)
    assert after - before == better[index] - scores[index]


@given(item_scores)
def test_positions_and_scores_agree_once_translated(scores: list[int]) -> None:
    positions = [s if item in (12, 13) else 4 - s for item, s in enumerate(scores, start=1)]
    coded = score_msk_hq(positions, coding=ResponseCoding.POSITIONS).score
    assert coded == score_msk_hq(scores).score
