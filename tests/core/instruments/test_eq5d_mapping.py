"""The van Hout crosswalk and the NICE DSU 5L -> 3L mapping, parsed from the user's tables.

Tables are read from ``../shared/research/data`` (the ``research_data_dir`` fixture; never copied into
the repository). Vectors from ``../shared/research/instruments.md`` section 5e: crosswalk column of
the table (van Hout et al. Value Health 2012; 11221/44525/55555 asserted in fragla/eq5d tests) and the
DSU values (Hernandez Alava, Pudney & Wailoo PharmacoEconomics 2023; the first two asserted in
fragla/eq5d tests).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from imsk.core.errors import ScoringError
from imsk.core.instruments.eq5d import Eq5dMappingInputs, ValueSet, eq5d_index, score_eq5d
from imsk.core.instruments.eq5d_mapping import (
    AgeBand,
    CrosswalkTable,
    DsuMappingTable,
    Eq5dTableError,
    Sex,
    age_band_for,
    parse_crosswalk,
    parse_dsu_mapping,
)

CROSSWALK = ValueSet.UK_3L_VANHOUT_CROSSWALK
DSU = ValueSet.UK_3L_NICE_DSU_MAPPING


@pytest.fixture(scope="module")
def crosswalk_text(research_data_dir: Path) -> str:
    return (research_data_dir / "eq5d5l_crosswalk_vanhout2012_all_countries.csv").read_text("utf-8")


@pytest.fixture(scope="module")
def crosswalk(crosswalk_text: str) -> CrosswalkTable:
    return parse_crosswalk(crosswalk_text)


@pytest.fixture(scope="module")
def dsu(research_data_dir: Path) -> DsuMappingTable:
    text = (research_data_dir / "eq5d5l_to_3l_nice_dsu_eepru_uk.csv").read_text("utf-8")
    return parse_dsu_mapping(text)


@pytest.mark.parametrize(
    ("state", "value"),
    [
        ("11111", 1.0),
        ("11112", 0.879),
        ("21111", 0.877),
        ("11221", 0.795),
        ("21232", 0.654),
        ("22222", 0.592),
        ("23245", -0.004),
        ("12345", 0.063),
        ("33333", 0.516),
        ("44444", 0.036),
        ("44525", 0.004),
        ("55555", -0.594),
    ],
)
def test_crosswalk_vectors_match_section_5e(
    crosswalk: CrosswalkTable, state: str, value: float
) -> None:
    """Research notes 5e, van Hout CW (UK 3L) column."""
    inputs = Eq5dMappingInputs(crosswalk=crosswalk)
    result = score_eq5d(state, CROSSWALK, mapping=inputs)
    assert result.score == value
    assert result.value_set == "uk_3l_vanhout_crosswalk"


@pytest.mark.parametrize(
    ("state", "age", "sex", "value"),
    [
        ("12345", 25, Sex.FEMALE, 0.06718718),
        ("11112", 18, Sex.MALE, 0.89307115),
        ("11111", 34, Sex.MALE, 0.987),
        ("55555", 80, Sex.FEMALE, -0.529),
        ("22222", 60, Sex.FEMALE, 0.641),
    ],
)
def test_dsu_mapping_vectors_match_section_5e(
    dsu: DsuMappingTable, state: str, age: int, sex: Sex, value: float
) -> None:
    """Research notes 5e DSU vectors; the first two are kept exactly as given (8 d.p.)."""
    index = eq5d_index(state, DSU, Eq5dMappingInputs(dsu_mapping=dsu, age=age, sex=sex))
    if value in (0.06718718, 0.89307115):
        assert index == value
    else:
        assert round(index, 3) == value


def test_full_health_does_not_map_to_1_under_the_dsu_mapping(dsu: DsuMappingTable) -> None:
    """The DSU mapping predicts an expected utility (Hernandez Alava 2023): 11111 is about 0.987."""
    index = eq5d_index("11111", DSU, Eq5dMappingInputs(dsu_mapping=dsu, age=40, sex=Sex.MALE))
    assert index < 1


def test_the_dsu_result_records_age_band_and_sex(dsu: DsuMappingTable) -> None:
    inputs = Eq5dMappingInputs(dsu_mapping=dsu, age=44, sex=Sex.FEMALE)
    result = score_eq5d("21232", DSU, mapping=inputs)
    assert result.details["age_band"] == "35-44"
    assert result.details["sex"] == "female"


def test_the_dsu_mapping_needs_age_and_sex(dsu: DsuMappingTable) -> None:
    with pytest.raises(ScoringError, match="age and sex"):
        eq5d_index("11111", DSU, Eq5dMappingInputs(dsu_mapping=dsu, sex=Sex.MALE))


@pytest.mark.parametrize(
    ("age", "band"),
    [
        (18, "18-34"),
        (34, "18-34"),
        (35, "35-44"),
        (44, "35-44"),
        (45, "45-54"),
        (54, "45-54"),
        (55, "55-64"),
        (64, "55-64"),
        (65, "65+"),
        (101, "65+"),
    ],
)
def test_age_band_boundaries(age: int, band: str) -> None:
    assert age_band_for(age) == AgeBand(band)


def test_an_age_under_18_is_outside_the_dsu_bands() -> None:
    with pytest.raises(ScoringError, match="age 17"):
        age_band_for(17)


def test_another_country_column_can_be_chosen(crosswalk_text: str) -> None:
    """Same file, Denmark column: 11112 -> 0.856 (first data row of the CW table)."""
    assert parse_crosswalk(crosswalk_text, "Denmark").index_for("11112") == 0.856


def test_a_truncated_crosswalk_names_the_first_missing_state(crosswalk_text: str) -> None:
    truncated = "\n".join(crosswalk_text.splitlines()[:-1])
    with pytest.raises(Eq5dTableError, match="state 55555 is missing"):
        parse_crosswalk(truncated)


def test_a_crosswalk_without_the_country_column_is_rejected() -> None:
    with pytest.raises(Eq5dTableError, match="no column 'UK'"):
        parse_crosswalk(",Denmark\n11111,1\n")


def test_a_bad_state_in_a_crosswalk_names_the_line() -> None:
    with pytest.raises(Eq5dTableError, match="line 3: '11161'"):
        parse_crosswalk(",UK\n11111,1\n11161,0.5\n")


def test_a_non_numeric_value_names_the_line() -> None:
    with pytest.raises(Eq5dTableError, match="line 2: 'n/a'"):
        parse_crosswalk(",UK\n11111,n/a\n")


def test_a_dsu_table_without_the_utility_column_is_rejected() -> None:
    with pytest.raises(Eq5dTableError, match="missing column 'mapped_eq5d3l_uk_utility'"):
        parse_dsu_mapping("State,Age,Sex\n11111,18-34,male\n")


def test_a_dsu_row_with_an_unknown_age_band_names_the_line() -> None:
    text = "State,Age,Sex,mapped_eq5d3l_uk_utility\n11111,16-34,male,0.98\n"
    with pytest.raises(Eq5dTableError, match="line 2: unknown age band '16-34'"):
        parse_dsu_mapping(text)


def test_an_incomplete_dsu_table_is_rejected() -> None:
    text = "State,Age,Sex,mapped_eq5d3l_uk_utility\n11111,18-34,male,0.98\n"
    with pytest.raises(Eq5dTableError, match="missing"):
        parse_dsu_mapping(text)
