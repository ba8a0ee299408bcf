"""The instrument registry and the data set's item-string scorer (its contract with the validator)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from imsk.core.errors import (
    IncompleteResponseError,
    ResponseOutOfRangeError,
    UnknownInstrumentError,
)
from imsk.core.instruments import (
    INSTRUMENTS,
    InstrumentResult,
    dataset_score_agrees,
    instrument_named,
    score_dataset_items,
)
from imsk.core.instruments.prem import prem_definition_from_dict


def test_registry_names_are_exactly_the_data_set_instrument_enum(shared_dir: Path) -> None:
    """``../shared/spec/dataset.md``, table measures, column instrument."""
    spec = (shared_dir / "spec" / "dataset.md").read_text("utf-8")
    line = next(row for row in spec.splitlines() if row.startswith("| instrument | enum |"))
    assert set(INSTRUMENTS) == set(re.findall(r"`([a-z0-9_]+)`", line))


@pytest.mark.parametrize(
    ("instrument", "items", "score"),
    [
        ("msk_hq", "2 3 2 3 1 2 2 3 1 2 2 3 2 2", 30),
        ("eq5d5l", "55555", -0.567),
        ("eq5d5l", "21232", 0.812),
        ("start_back", "1 0 1 0 1 1 1 0 4", 6),
        ("start_msk", "7", 7),
        ("orebro_sf", "1 0 3 4 1 5 0 2 6 9", 21),
        ("fft", "2", 2),
        ("prem", "1 2 - 9 3", 75.0),
    ],
)
def test_dataset_items_score_as_documented(instrument: str, items: str, score: float) -> None:
    """Vectors from ``../shared/research/instruments.md`` (MSK-HQ 2, EQ-5D 5e UK 2026, STarT Back 3,
    Örebro 4); PREM: (4 + 3 + 2) / 12 under the local example definition."""
    assert score_dataset_items(instrument, items) == score


@pytest.mark.parametrize("items", [None, "", "   "])
def test_no_items_means_nothing_to_check(items: str | None) -> None:
    assert score_dataset_items("msk_hq", items) is None


def test_a_dash_marks_an_unanswered_msk_hq_item_which_is_named() -> None:
    with pytest.raises(IncompleteResponseError, match="MSK-HQ item 2: no response"):
        score_dataset_items("msk_hq", "4 - 4 4 4 4 4 4 4 4 4 4 4 4")


def test_a_non_numeric_item_is_named() -> None:
    with pytest.raises(ResponseOutOfRangeError, match="STarT Back item 3: response 'x'"):
        score_dataset_items("start_back", "0 0 x 0 0 0 0 0 0")


def test_a_spaced_eq5d_profile_is_rejected_not_repaired() -> None:
    with pytest.raises(IncompleteResponseError, match="expected 1 response, got 5"):
        score_dataset_items("eq5d5l", "2 1 2 3 2")


def test_an_unknown_instrument_lists_the_known_ones() -> None:
    with pytest.raises(UnknownInstrumentError, match="msk_hq"):
        score_dataset_items("oks", "1 2 3")


def test_a_prem_definition_can_be_passed() -> None:
    definition = prem_definition_from_dict(
        {"id": "p", "version": "1", "items": [{"id": "a", "responses": {"y": 1, "n": 0}}]}
    )
    assert score_dataset_items("prem", "n", prem_definition=definition) == 0.0


@pytest.mark.parametrize(
    ("instrument", "recorded", "computed", "agrees"),
    [
        ("eq5d5l", 0.8124, 0.812, True),
        ("eq5d5l", 0.81, 0.812, False),
        ("msk_hq", 30, 30, True),
        ("msk_hq", 31, 30, False),
        ("prem", 75.04, 75.0, True),
        ("prem", 75.1, 75.0, False),
        ("msk_hq", 12, None, True),
    ],
)
def test_recorded_scores_agree_within_half_a_unit_in_the_last_place(
    instrument: str, recorded: float, computed: float | None, agrees: bool
) -> None:
    assert dataset_score_agrees(instrument, recorded, computed) is agrees


def test_every_registered_scorer_returns_a_result_naming_its_instrument() -> None:
    samples = {
        "msk_hq": ["4"] * 14,
        "eq5d5l": ["11111"],
        "start_back": ["0"] * 9,
        "start_msk": ["0"],
        "orebro_sf": ["1"] + ["0"] * 9,
        "fft": ["1"],
        "prem": ["1"] * 5,
    }
    for name, tokens in samples.items():
        result = instrument_named(name).score(tokens)
        assert isinstance(result, InstrumentResult)
        assert result.instrument == name


def test_a_result_cannot_be_edited() -> None:
    result = instrument_named("start_back").score(["0"] * 9)
    with pytest.raises(TypeError):
        result.subscores["distress"] = 5  # type: ignore[index]
