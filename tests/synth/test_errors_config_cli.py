"""Error injection for validator testing, strict configuration files, and the ``imsk synth`` command."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from imsk.cli.main import main
from imsk.core.errors import SynthError
from imsk.dataio.dataset import validate_dataset
from imsk.synth.config import config_from_mapping, load_config
from imsk.synth.inject import INJECTED_ERRORS_FILE
from tests.synth.conftest import make_dataset, read

EXPECTED_KINDS = {
    "bad_date",
    "unknown_enum_value",
    "duplicate_key",
    "dangling_reference",
    "exit_before_receipt",
    "score_disagrees_with_items",
    "unknown_code",
}


@pytest.fixture(scope="module")
def corrupted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("synth_errors")
    make_dataset(folder, seed=21, requests=4_000, error_rate=0.02)
    return folder


def test_error_injection_produces_every_kind_and_lists_them(corrupted: Path) -> None:
    injected = read(corrupted, INJECTED_ERRORS_FILE.removesuffix(".csv")).to_pylist()
    assert {row["kind"] for row in injected} == EXPECTED_KINDS
    requests = read(corrupted, "requests").num_rows
    per_table = Counter(row["table"] for row in injected)
    assert per_table["requests"] == pytest.approx(0.02 * requests, rel=0.35)


def test_the_listed_cells_hold_the_injected_values(corrupted: Path) -> None:
    injected = read(corrupted, INJECTED_ERRORS_FILE.removesuffix(".csv")).to_pylist()
    for table in ("requests", "contacts", "exits"):
        rows = read(corrupted, table).to_pylist()
        for entry in (e for e in injected if e["table"] == table):
            assert rows[int(entry["row"]) - 1][entry["field"]] == entry["injected"]


def test_the_validator_finds_the_injected_errors_at_the_listed_rows(corrupted: Path) -> None:
    report = validate_dataset(corrupted, max_findings=100_000)
    found = {(f.table, f.row) for f in report.findings}
    injected = read(corrupted, INJECTED_ERRORS_FILE.removesuffix(".csv")).to_pylist()
    for entry in injected:
        if (
            entry["table"] in {"requests", "contacts", "measures"}
            and entry["kind"] != "duplicate_key"
        ):
            assert (entry["table"], int(entry["row"])) in found, entry


def test_parquet_with_injected_errors_keeps_the_bad_dates_as_text(tmp_path: Path) -> None:
    """A bad date such as ``2025-02-30T10:00`` has no native timestamp: such files are text."""
    make_dataset(tmp_path, seed=21, requests=2_000, error_rate=0.02, file_format="parquet")
    requests = pq.read_table(tmp_path / "requests.parquet")
    assert requests.schema.field("received_at").type == pa.string()
    report = validate_dataset(tmp_path, max_findings=100_000)
    assert "bad_timestamp" in {f.code.value for f in report.findings}


def test_a_clean_run_writes_no_injection_list(tmp_path: Path) -> None:
    make_dataset(tmp_path, seed=1, requests=500)
    assert not (tmp_path / INJECTED_ERRORS_FILE).exists()


def test_a_config_file_changes_the_rates_it_names(tmp_path: Path) -> None:
    path = tmp_path / "rates.json"
    path.write_text(json.dumps({"late_triage_share_urgent": 0.3, "msk_hq_baseline_mean": 30}))
    config = load_config(path)
    assert (config.late_triage_share_urgent, config.msk_hq_baseline_mean) == (0.3, 30.0)


def test_a_toml_config_file_is_read_too(tmp_path: Path) -> None:
    path = tmp_path / "rates.toml"
    path.write_text("[start_back_mix]\nlow = 0.3\nmedium = 0.5\nhigh = 0.2\n")
    assert load_config(path).start_back_mix == {"low": 0.3, "medium": 0.5, "high": 0.2}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"late_triage_share": 0.1}, "unknown config field"),
        ({"start_back_mix": {"low": 0.5, "medium": 0.4, "high": 0.2}}, "add up to"),
        ({"source_mix": {"self": 1.0}}, "must give exactly"),
        (
            {
                "first_status_mix": {
                    "attended": 1.2,
                    "did_not_attend": -0.2,
                    "patient_cancelled": 0,
                    "service_cancelled": 0,
                }
            },
            "non-negative",
        ),
        ({"onward_referral_share": 1.5}, "between 0 and 1"),
        ({"month_weight": [1, 2]}, "12 non-negative"),
    ],
)
def test_a_bad_config_is_refused_with_the_field_named(
    data: dict[str, object], message: str
) -> None:
    with pytest.raises(SynthError, match=message):
        config_from_mapping(data)


def test_a_condition_group_mix_must_match_the_loaded_code_list(tmp_path: Path) -> None:
    config = config_from_mapping({"condition_group_mix": {"BACK": 0.5, "KNEE": 0.5}})
    with pytest.raises(SynthError, match="condition_group_mix must name exactly"):
        make_dataset(tmp_path, requests=100, config=config)


def test_the_command_writes_a_data_set_and_says_the_geography_is_synthetic(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["synth", str(tmp_path), "--requests", "800", "--years", "2025", "--quiet"])
    assert code == 0
    out = capsys.readouterr().out
    assert "SYNTHETIC" in out
    received = read(tmp_path, "requests").column("received_at").to_pylist()
    assert min(received) >= "2025-01-01"
    assert max(received) < "2026-01-01"
    manifest = json.loads((tmp_path / "synth_manifest.json").read_text())
    assert manifest["geography"] == "synthetic"


def test_population_sets_the_volume_at_about_the_configured_consultation_rate(
    tmp_path: Path,
) -> None:
    """About one person in five consults for an MSK problem each year (Jordan et al. 2010); half of
    them reaching the integrated service (an assumption) gives about 0.1 requests per person."""
    make_dataset(tmp_path, population=200_000)
    requests = read(tmp_path, "requests").num_rows
    assert 0.07 * 200_000 < requests < 0.13 * 200_000
    population = sum(int(p) for p in read(tmp_path, "population").column("population").to_pylist())
    assert population == pytest.approx(200_000, abs=35)


@pytest.mark.parametrize(
    "arguments",
    [
        ["--requests", "0"],
        ["--years", "2024,2026"],
        ["--health-boards", "7A1,7A9", "--reference-dir", "."],
        ["--error-rate", "0.9"],
        ["--services-per-board", "0"],
    ],
)
def test_bad_options_fail_with_a_one_line_error(
    tmp_path: Path, arguments: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["synth", str(tmp_path / "out"), "--quiet", *arguments])
    assert code == 2
    error = capsys.readouterr().err
    assert error.startswith("imsk: error:")
    assert error.count("\n") == 1


def test_an_unknown_format_is_refused_by_the_argument_parser(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["synth", str(tmp_path), "--format", "xml"])
    assert stopped.value.code == 2


def test_the_reference_folder_can_come_from_the_environment(
    tmp_path: Path, research_data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IMSK_REFERENCE_DIR", str(research_data_dir / "geo"))
    assert main(["synth", str(tmp_path), "--requests", "300", "--quiet"]) == 0
    manifest = json.loads((tmp_path / "synth_manifest.json").read_text())
    assert manifest["geography"] == "reference"
    assert all(
        lsoa.startswith("W01") for lsoa in read(tmp_path, "requests").column("lsoa").to_pylist()
    )
