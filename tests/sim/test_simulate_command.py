"""``imsk simulate``: outputs, parallel replications that match sequential ones, clear errors."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from imsk.cli import simulate
from imsk.core.errors import ScenarioError
from imsk.dataio.dataset import validate_dataset

SCENARIO = {
    "name": "tiny",
    "service": {"service_id": "T9", "health_board": "7A6"},
    "period": {"start": "2025-09-01", "weeks": 6, "warmup_weeks": 2},
    "demand": {"requests_per_year": 1500},
    "triage": {"clinician_hours_per_working_day": 1.0},
    "clinics": {"bands": {"5-6": {"fte": 1.5}, "7+": {"fte": 1.0}}},
    "variants": {"plus-one": {"added_fte": {"5-6": 1}}},
}


def _run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    simulate.register(parser.add_subparsers())
    args = parser.parse_args(["simulate", *argv])
    result: int = args.handler(args)
    return result


@pytest.fixture
def scenario_file(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.json"
    path.write_text(json.dumps(SCENARIO), encoding="utf-8")
    return path


def test_simulate_writes_summary_chart_and_a_valid_data_set_per_variant(
    scenario_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert _run([str(scenario_file), "--out", str(out), "--replications", "3"]) == 0
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert set(summary["variants"]) == {"baseline", "plus-one"}
    wait = summary["variants"]["baseline"]["measures"]["mean_wait_days"]
    assert len(wait["values"]) == 3
    assert wait["ci95"][0] <= wait["mean"] <= wait["ci95"][1]
    weekly = summary["variants"]["baseline"]["weekly"]
    assert len(weekly["week_ending"]) == 6 == len(weekly["waiting_list"]["mean"])
    assert (out / "summary.csv").read_text(encoding="utf-8").startswith("variant,measure,")
    assert (out / "waiting-list.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")
    for variant in ("baseline", "plus-one"):
        assert validate_dataset(out / "dataset" / variant).error_count == 0


def test_two_workers_give_the_same_summary_as_one(scenario_file: Path, tmp_path: Path) -> None:
    for workers in ("1", "2"):
        _run(
            [
                str(scenario_file),
                "--out",
                str(tmp_path / workers),
                "--replications",
                "2",
                "--workers",
                workers,
                "--no-dataset",
            ]
        )
    one = (tmp_path / "1" / "summary.json").read_text(encoding="utf-8")
    assert one == (tmp_path / "2" / "summary.json").read_text(encoding="utf-8")
    assert not (tmp_path / "1" / "dataset").exists()


def test_a_bad_scenario_file_is_a_scenario_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"clinics": {"service_time": "gamma"}}), encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"clinics\.service_time"):
        _run([str(path), "--out", str(tmp_path / "o")])


def test_zero_replications_are_refused(scenario_file: Path, tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="--replications"):
        _run([str(scenario_file), "--out", str(tmp_path / "o"), "--replications", "0"])
