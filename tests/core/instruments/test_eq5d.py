"""EQ-5D index values under the additive value sets, the VAS, profile errors and properties.

Vectors from ``../shared/research/instruments.md`` section 5e. Value sets: Rowen et al. Value Health
2026 (UK 5L), Devlin et al. Health Econ 2018 (England 5L), Dolan Med Care 1997 (UK 3L). Values asserted
in the ``fragla/eq5d`` package tests are marked there; the rest were computed from the published
coefficients in the research notes.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from imsk.core.errors import ResponseOutOfRangeError, ScoringError, UnknownInstrumentError
from imsk.core.instruments.eq5d import (
    ADDITIVE_VALUE_SETS,
    DIMENSIONS,
    ValueSet,
    eq5d_index,
    score_eq5d,
    value_set_named,
)

UK_2026 = ValueSet.UK_5L_ROWEN_2026
ENGLAND_2018 = ValueSet.ENGLAND_5L_DEVLIN_2018
DOLAN = ValueSet.UK_3L_DOLAN_1997

SECTION_5E = [
    ("11111", 1.000, 1.000),
    ("11112", 0.922, 0.959),
    ("21111", 0.942, 0.968),
    ("11221", 0.887, 0.895),
    ("21232", 0.730, 0.812),
    ("22222", 0.701, 0.784),
    ("23245", 0.247, 0.097),
    ("12345", 0.322, 0.114),
    ("33333", 0.593, 0.604),
    ("44444", -0.094, -0.209),
    ("44525", 0.093, 0.000),
    ("55555", -0.285, -0.567),
]


@pytest.mark.parametrize(("state", "england", "uk"), SECTION_5E)
def test_section_5e_vectors_match_to_three_places(state: str, england: float, uk: float) -> None:
    """Research notes 5e table (England 2018 and UK 2026 columns)."""
    assert eq5d_index(state, ENGLAND_2018) == england
    assert eq5d_index(state, UK_2026) == uk


def test_worst_state_is_minus_0_567_uk_2026_and_minus_0_285_england_2018() -> None:
    """Rowen 2026 range to -0.567 (fragla/eq5d tests); Devlin 2018 abstract: -0.285 to 0.950."""
    assert score_eq5d("55555").score == -0.567
    assert score_eq5d("55555", ENGLAND_2018).score == -0.285


def test_index_arithmetic_has_no_float_noise() -> None:
    """1 - 0.058 - 0.050 - ... would print 0.7010000000000001 in naive float arithmetic."""
    for state, england, uk in SECTION_5E:
        assert repr(eq5d_index(state, ENGLAND_2018)) == repr(england)
        assert repr(eq5d_index(state, UK_2026)) == repr(uk)


@pytest.mark.parametrize(
    ("state", "value"),
    [
        ("11111", 1.0),
        ("11112", 0.848),
        ("11221", 0.760),
        ("12321", 0.329),
        ("33221", -0.037),
        ("22222", 0.516),
        ("33333", -0.594),
    ],
)
def test_dolan_1997_vectors(state: str, value: float) -> None:
    """Research notes 5e, UK 3L TTO (Dolan 1997); 0.760/-0.037/0.329/-0.594 in fragla/eq5d tests."""
    result = score_eq5d(state, DOLAN)
    assert result.score == value
    assert result.instrument == "eq5d3l"
    assert result.value_set == "uk_3l_dolan_1997"


def test_the_result_records_instrument_and_value_set_versions() -> None:
    result = score_eq5d("21232", vas=70)
    assert result.instrument == "eq5d5l"
    assert result.value_set == "uk_5l_rowen_2026"
    assert result.subscores["vas"] == 70
    assert result.details["profile"] == "21232"


def test_a_vas_above_100_is_rejected() -> None:
    with pytest.raises(ResponseOutOfRangeError, match="EQ VAS"):
        score_eq5d("11111", vas=101)


def test_a_bad_digit_names_the_dimension() -> None:
    with pytest.raises(ResponseOutOfRangeError, match=r"dimension PD \(pain/discomfort\)"):
        eq5d_index("11161")


def test_a_5l_level_in_a_3l_profile_names_the_dimension() -> None:
    with pytest.raises(ResponseOutOfRangeError, match=r"dimension SC .* level 1-3"):
        eq5d_index("14111", DOLAN)


def test_a_four_digit_profile_is_rejected() -> None:
    with pytest.raises(ResponseOutOfRangeError, match="expected 5 digits"):
        eq5d_index("1111")


def test_table_based_value_sets_without_their_table_are_an_error() -> None:
    with pytest.raises(ScoringError, match="no crosswalk table"):
        eq5d_index("11111", ValueSet.UK_3L_VANHOUT_CROSSWALK)
    with pytest.raises(ScoringError, match="no NICE DSU mapping table"):
        eq5d_index("11111", ValueSet.UK_3L_NICE_DSU_MAPPING)


def test_an_unknown_value_set_lists_the_known_ones() -> None:
    with pytest.raises(UnknownInstrumentError, match="uk_5l_rowen_2026"):
        value_set_named("uk_5l_2099")


@pytest.mark.parametrize(("value_set", "column"), [(UK_2026, "UK"), (ENGLAND_2018, "England")])
def test_5l_constants_equal_the_published_coefficient_table(
    research_data_dir: Path, value_set: ValueSet, column: str
) -> None:
    """The constants are the fragla/eq5d VT.csv decrements (Rowen 2026 / Devlin 2018), x -1000."""
    published = _coefficients(
        research_data_dir / "eq5d5l_value_set_coefficients_all_countries.csv", column
    )
    ours = ADDITIVE_VALUE_SETS[value_set]
    for dimension in DIMENSIONS:
        for level in range(2, 6):
            assert ours.decrements[dimension][level - 2] == round(
                -1000 * published[f"{dimension}{level}"]
            )


def test_dolan_constants_equal_the_published_coefficient_table(research_data_dir: Path) -> None:
    """Dolan 1997 from fragla/eq5d TTO.csv: AtLeastOne2Or3 = constant, AtLeastOne3 = N3."""
    published = _coefficients(
        research_data_dir / "eq5d3l_tto_value_set_coefficients_all_countries.csv", "UK"
    )
    ours = ADDITIVE_VALUE_SETS[DOLAN]
    assert ours.any_problem == round(-1000 * published["AtLeastOne2Or3"])
    assert ours.any_level_3 == round(-1000 * published["AtLeastOne3"])
    for dimension in DIMENSIONS:
        for level in (2, 3):
            assert ours.decrements[dimension][level - 2] == round(
                -1000 * published[f"{dimension}{level}"]
            )


def _coefficients(path: Path, column: str) -> dict[str, float]:
    with path.open(encoding="utf-8") as handle:
        return {
            row[""]: float(row[column])
            for row in csv.DictReader(handle)
            if row[column] not in ("NA", "")
        }


profiles_5l = st.lists(st.integers(1, 5), min_size=5, max_size=5)
profiles_3l = st.lists(st.integers(1, 3), min_size=5, max_size=5)


def _text(levels: list[int]) -> str:
    return "".join(map(str, levels))


@given(profiles_5l, st.sampled_from([UK_2026, ENGLAND_2018]))
def test_a_5l_index_is_never_above_1_or_below_the_worst_state(
    levels: list[int], value_set: ValueSet
) -> None:
    index = eq5d_index(_text(levels), value_set)
    assert eq5d_index("55555", value_set) <= index <= 1


@given(profiles_5l, st.integers(0, 4), st.sampled_from([UK_2026, ENGLAND_2018]))
def test_worsening_one_5l_dimension_never_raises_the_index(
    levels: list[int], dimension: int, value_set: ValueSet
) -> None:
    worse = list(levels)
    worse[dimension] = min(5, levels[dimension] + 1)
    assert eq5d_index(_text(worse), value_set) <= eq5d_index(_text(levels), value_set)


@given(profiles_3l, st.integers(0, 4))
def test_worsening_one_3l_dimension_never_raises_the_dolan_index(
    levels: list[int], dimension: int
) -> None:
    worse = list(levels)
    worse[dimension] = min(3, levels[dimension] + 1)
    assert eq5d_index(_text(worse), DOLAN) <= eq5d_index(_text(levels), DOLAN) <= 1
