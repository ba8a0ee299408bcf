"""STarT MSK grouping of the licensed tool's total (0-12).

The range 0-12 is confirmed (van den Broek et al. 2021, research notes section 3); the default
cut-points 0-4 / 5-8 / 9-12 are widely quoted but UNCONFIRMED [U]: these tests pin the defaults and
the boundaries so a change is deliberate.
"""

from __future__ import annotations

import pytest

from imsk.core.errors import ResponseOutOfRangeError, ScoringError
from imsk.core.instruments.start_msk import StartMskCutoffs, score_start_msk


@pytest.mark.parametrize(
    ("total", "group"),
    [(0, "low"), (4, "low"), (5, "medium"), (8, "medium"), (9, "high"), (12, "high")],
)
def test_default_cutoffs_place_the_boundaries_at_4_5_and_8_9(total: int, group: str) -> None:
    result = score_start_msk(total)
    assert result.band == group
    assert result.score == total
    assert result.details["cutoffs_confirmed"] is False


def test_a_service_can_set_its_own_cutoffs() -> None:
    cutoffs = StartMskCutoffs(low_max=3, medium_max=7)
    assert score_start_msk(4, cutoffs).band == "medium"
    assert score_start_msk(8, cutoffs).band == "high"
    assert score_start_msk(4, cutoffs).details["low_max"] == 3


@pytest.mark.parametrize("total", [-1, 13])
def test_a_total_outside_0_to_12_is_rejected(total: int) -> None:
    with pytest.raises(ResponseOutOfRangeError, match="STarT MSK total score"):
        score_start_msk(total)


@pytest.mark.parametrize(("low", "medium"), [(8, 4), (5, 5), (-1, 4), (4, 12)])
def test_cutoffs_out_of_order_are_rejected(low: int, medium: int) -> None:
    with pytest.raises(ScoringError, match="cut-offs"):
        StartMskCutoffs(low_max=low, medium_max=medium)
