"""Friends and Family Test: single responses and the summary over many.

Vectors from ``../shared/research/instruments.md`` section 6 (Watton Medical Practice, February 2025,
S36: 87.7 % positive with "don't know" in the denominator, as in the CUH formula S38).
"""

from __future__ import annotations

import pytest

from imsk.core.errors import ResponseOutOfRangeError
from imsk.core.instruments.fft import FftResponse, score_fft, summarise_fft

WATTON_FEB_2025 = [1] * 171 + [2] * 43 + [3] * 10 + [4] * 9 + [5] * 9 + [6] * 2


def test_watton_practice_february_2025_is_87_7_percent_positive() -> None:
    """S36: VG 171, G 43, neither 10, poor 9, very poor 9, don't know 2 -> 214/244 = 87.7 %."""
    summary = summarise_fft(WATTON_FEB_2025)
    assert summary.n == 244
    assert summary.positive == 214
    assert summary.negative == 18
    assert summary.to_dict()["positive_percent"] == 87.7
    assert summary.to_dict()["negative_percent"] == 7.4
    assert summary.counts["dont_know"] == 2


def test_only_dont_know_answers_give_zero_percent_positive_not_undefined() -> None:
    """Research notes vector 2: VG 0, G 0, DK 5 -> 0 %."""
    summary = summarise_fft([6] * 5)
    assert summary.positive_percent == 0
    assert summary.negative_percent == 0


def test_no_responses_leave_the_percentages_undefined() -> None:
    summary = summarise_fft([])
    assert summary.n == 0
    assert summary.positive_percent is None
    assert summary.to_dict()["negative_percent"] is None


@pytest.mark.parametrize(
    ("code", "label", "positive", "negative"),
    [
        (1, "very_good", True, False),
        (2, "good", True, False),
        (3, "neither", False, False),
        (4, "poor", False, True),
        (5, "very_poor", False, True),
        (6, "dont_know", False, False),
    ],
)
def test_each_response_has_its_category_and_flags(
    code: int, label: str, positive: bool, negative: bool
) -> None:
    result = score_fft(code)
    assert result.score == code
    assert result.band == label
    assert result.details == {"positive": positive, "negative": negative}


def test_a_code_7_is_rejected() -> None:
    with pytest.raises(ResponseOutOfRangeError, match="FFT response: response 7"):
        summarise_fft([1, 7])


def test_response_codes_are_stable() -> None:
    assert [int(r) for r in FftResponse] == [1, 2, 3, 4, 5, 6]
