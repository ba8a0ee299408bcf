"""STarT Back scoring: Keele vectors, cut-off boundaries and group consistency.

Vectors from ``../shared/research/instruments.md`` section 2 (Keele "Using and scoring the SBST" and
the Keele online calculator; Hill et al. Arthritis Rheum 2008). Item 9 codes: 0 not at all,
1 slightly, 2 moderately, 3 very much, 4 extremely.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from imsk.core.errors import IncompleteResponseError, ResponseOutOfRangeError
from imsk.core.instruments.start_back import score_start_back, start_back_group

NOT_AT_ALL, SLIGHTLY, MODERATELY, VERY_MUCH, EXTREMELY = range(5)


@pytest.mark.parametrize(
    ("items", "total", "distress", "group"),
    [
        ([0, 0, 0, 0, 0, 0, 0, 0, NOT_AT_ALL], 0, 0, "low"),
        ([1, 1, 1, 1, 0, 0, 0, 0, MODERATELY], 4, 0, "medium"),
        ([1, 0, 1, 0, 1, 1, 1, 0, EXTREMELY], 6, 4, "high"),
        ([0, 0, 0, 0, 1, 1, 1, 0, MODERATELY], 3, 3, "low"),
        ([0, 0, 0, 0, 1, 1, 1, 1, SLIGHTLY], 4, 4, "high"),
    ],
    ids=["vector-1", "vector-2", "vector-3", "vector-4", "vector-5"],
)
def test_keele_vectors_give_the_published_group(
    items: list[int], total: int, distress: int, group: str
) -> None:
    """Research notes section 2 vectors 1-5 (Keele scoring rules S11, S12)."""
    result = score_start_back(items)
    assert result.score == total
    assert result.subscores["distress"] == distress
    assert result.band == group


def test_bothersomeness_counts_only_for_very_much_or_extremely() -> None:
    """Keele: item 9 is positive only for "very much" or "extremely"."""
    base = [0, 0, 0, 0, 0, 0, 0, 0]
    assert [score_start_back([*base, code]).score for code in range(5)] == [0, 0, 0, 1, 1]


def test_total_three_is_low_and_four_is_not() -> None:
    assert start_back_group(3, 3).value == "low"
    assert start_back_group(4, 3).value == "medium"
    assert start_back_group(4, 4).value == "high"


def test_item_nine_outside_0_to_4_names_the_item() -> None:
    with pytest.raises(ResponseOutOfRangeError, match="STarT Back item 9"):
        score_start_back([0] * 8 + [5])


def test_an_agree_disagree_item_coded_2_names_the_item() -> None:
    with pytest.raises(ResponseOutOfRangeError, match="STarT Back item 3"):
        score_start_back([0, 0, 2, 0, 0, 0, 0, 0, 0])


def test_a_missing_item_names_it() -> None:
    with pytest.raises(IncompleteResponseError, match="STarT Back item 6"):
        score_start_back([0, 0, 0, 0, 0, None, 0, 0, 0])


@given(st.lists(st.integers(0, 1), min_size=8, max_size=8), st.integers(0, 4))
def test_groups_follow_the_keele_rules_for_every_answer_pattern(
    binary: list[int], bother: int
) -> None:
    result = score_start_back([*binary, bother])
    total, distress = result.score, result.subscores["distress"]
    assert isinstance(total, int)
    assert 0 <= distress <= total <= 9
    assert distress <= 5
    if total <= 3:
        assert result.band == "low"
    elif distress >= 4:
        assert result.band == "high"
    else:
        assert result.band == "medium"
