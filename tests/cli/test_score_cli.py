"""``imsk score``: JSON output, value sets and tables, options, and one-line errors (exit 2).

Scoring vectors from ``../shared/research/instruments.md`` (sections 1-6).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from imsk.cli.main import main


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, object]:
    assert main(["score", *argv]) == 0
    output: dict[str, object] = json.loads(capsys.readouterr().out)
    return output


def _fail(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(["score", *argv]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1
    return lines[0]


def test_msk_hq_prints_the_total_and_instrument_version(capsys: pytest.CaptureFixture[str]) -> None:
    """Research notes section 1, vector 2 -> 30."""
    output = _run(
        capsys, "msk_hq", *["2", "3", "2", "3", "1", "2", "2", "3", "1", "2", "2", "3", "2", "2"]
    )
    assert output["score"] == 30
    assert output["instrument_version"] == "msk_hq-2016"


def test_msk_hq_positions_flag_maps_items_12_and_13(capsys: pytest.CaptureFixture[str]) -> None:
    """Research notes section 1, vector 3: first option everywhere -> 48."""
    assert _run(capsys, "msk_hq", *["0"] * 14, "--positions")["score"] == 48


def test_msk_hq_with_a_baseline_reports_change_and_mcid(capsys: pytest.CaptureFixture[str]) -> None:
    """Research notes section 1, vector 4: 30 -> 36 achieves the MCID of 6."""
    items = ["4"] * 9 + ["0"] * 5  # total 36
    output = _run(capsys, "msk_hq", *items, "--baseline", "30")
    assert output["change"] == {"baseline": 30, "change": 6, "mcid": 6, "mcid_achieved": True}
    output = _run(capsys, "msk_hq", *items, "--baseline", "30", "--mcid", "7")
    assert output["change"]["mcid_achieved"] is False  # type: ignore[index]


def test_eq5d_defaults_to_the_uk_2026_value_set(capsys: pytest.CaptureFixture[str]) -> None:
    """Research notes 5e: 55555 = -0.567 (UK 2026)."""
    output = _run(capsys, "eq5d5l", "55555", "--vas", "40")
    assert output["score"] == -0.567
    assert output["value_set"] == "uk_5l_rowen_2026"
    assert output["subscores"] == {"vas": 40}


def test_eq5d_england_2018_value_set(capsys: pytest.CaptureFixture[str]) -> None:
    """Research notes 5e: 55555 = -0.285 (Devlin 2018)."""
    output = _run(capsys, "eq5d5l", "55555", "--value-set", "england_5l_devlin_2018")
    assert output["score"] == -0.285


def test_eq5d_crosswalk_reads_the_users_table(
    capsys: pytest.CaptureFixture[str], research_data_dir: Path
) -> None:
    """Research notes 5e: crosswalk 11221 -> 0.795 (van Hout 2012, fragla/eq5d tests)."""
    table = research_data_dir / "eq5d5l_crosswalk_vanhout2012_all_countries.csv"
    output = _run(
        capsys,
        "eq5d5l",
        "11221",
        "--value-set",
        "uk_3l_vanhout_crosswalk",
        "--crosswalk",
        str(table),
    )
    assert output["score"] == 0.795
    assert output["value_set"] == "uk_3l_vanhout_crosswalk"


def test_eq5d_dsu_mapping_uses_age_and_sex(
    capsys: pytest.CaptureFixture[str], research_data_dir: Path
) -> None:
    """Research notes 5e: DSU 12345, 18-34, female = 0.06718718 (fragla/eq5d tests)."""
    table = research_data_dir / "eq5d5l_to_3l_nice_dsu_eepru_uk.csv"
    output = _run(
        capsys,
        "eq5d5l",
        "12345",
        "--value-set",
        "uk_3l_nice_dsu_mapping",
        "--mapping",
        str(table),
        "--age",
        "30",
        "--sex",
        "female",
    )
    assert output["score"] == 0.06718718
    assert output["details"] == {"profile": "12345", "age_band": "18-34", "sex": "female"}


def test_start_back_prints_group_and_distress_subscale(capsys: pytest.CaptureFixture[str]) -> None:
    """Research notes section 2, vector 3 -> total 6, distress 4, high."""
    output = _run(capsys, "start_back", *["1", "0", "1", "0", "1", "1", "1", "0", "4"])
    assert (output["score"], output["band"], output["subscores"]) == (6, "high", {"distress": 4})


def test_start_msk_cutoffs_are_configurable(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(capsys, "start_msk", "5")["band"] == "medium"
    assert _run(capsys, "start_msk", "5", "--cutoffs", "5", "8")["band"] == "low"


def test_orebro_threshold_is_configurable(capsys: pytest.CaptureFixture[str]) -> None:
    """Research notes section 4, vector 2: all fives = 50, at risk under >= 50 only."""
    assert _run(capsys, "orebro_sf", *["5"] * 10)["band"] == "at_risk"
    assert _run(capsys, "orebro_sf", *["5"] * 10, "--cutoffs", "51")["band"] == "not_at_risk"


def test_fft_with_several_responses_prints_the_summary(capsys: pytest.CaptureFixture[str]) -> None:
    output = _run(capsys, "fft", "1", "2", "3", "4", "6", "1", "5", "2")
    assert output["n"] == 8
    assert output["positive_percent"] == 50.0
    assert output["negative_percent"] == 25.0


def test_fft_with_one_response_prints_its_category(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(capsys, "fft", "4")["band"] == "poor"
    assert _run(capsys, "fft", "4", "--summary")["n"] == 1


def test_prem_reads_a_definition_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    definition = {
        "id": "ward_prem",
        "version": "2",
        "items": [
            {"id": "a", "responses": {"y": 1, "n": 0}},
            {"id": "b", "responses": {"y": 3, "n": 0}},
        ],
    }
    path = tmp_path / "prem.json"
    path.write_text(json.dumps(definition), encoding="utf-8")
    output = _run(capsys, "prem", "y", "n", "--prem-definition", str(path))
    assert output["score"] == 25.0
    assert output["instrument_version"] == "ward_prem@2"


def test_the_default_prem_is_the_local_example(capsys: pytest.CaptureFixture[str]) -> None:
    output = _run(capsys, "prem", "1", "2", "-", "9", "3")
    assert output["score"] == 75.0
    assert output["instrument_version"] == "imsk_local_example_prem@1"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["msk_hq", *["4"] * 13], "expected 14 item responses"),
        (["msk_hq", *["4"] * 6, "-", *["4"] * 7], "MSK-HQ item 7: no response"),
        (["start_back", *["0"] * 8, "7"], "STarT Back item 9: response 7 is outside 0-4"),
        (["eq5d5l", "12a45"], "dimension UA (usual activities)"),
        (["eq5d5l", "11111", "--value-set", "us_5l"], "unknown EQ-5D value set 'us_5l'"),
        (["eq5d5l", "11111", "--value-set", "uk_3l_vanhout_crosswalk"], "no crosswalk table"),
        (["eq5d5l", "11111", "--age", "40"], "--age is not used by the EQ-5D value set"),
        (["start_msk", "13"], "STarT MSK total score: response 13 is outside 0-12"),
        (["start_msk", "5", "--cutoffs", "4"], "takes two numbers"),
        (["orebro_sf", "0", *["0"] * 9], "Örebro item duration: response 0 is outside 1-10"),
        (["fft", "1", "8"], "FFT response: response 8"),
        (["prem", "1", "2", "3"], "expected 5 item responses"),
        (["fft", "1", "--positions"], "--positions applies to msk_hq only, not fft"),
    ],
)
def test_bad_input_is_one_error_line_naming_the_item(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    line = _fail(capsys, *argv)
    assert line.startswith("imsk: error: ")
    assert message in line


def test_a_missing_table_file_is_reported_without_a_traceback(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    missing = tmp_path / "nowhere.csv"
    line = _fail(
        capsys,
        "eq5d5l",
        "11111",
        "--value-set",
        "uk_3l_vanhout_crosswalk",
        "--crosswalk",
        str(missing),
    )
    assert "no such file" in line
