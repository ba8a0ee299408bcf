"""``imsk validate``: exit status 0 valid, 1 error findings, 2 unreadable input; text and JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from imsk.cli.main import main
from tests.dataio.dataset_builder import DatasetBuilder


def test_a_valid_data_set_exits_0_with_a_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = DatasetBuilder().write_csv(tmp_path / "d")
    assert main(["validate", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "VALID: 0 error(s), 0 warning(s)" in out
    assert "requests" in out


def test_error_findings_exit_1_and_are_listed_with_their_location(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = (
        DatasetBuilder()
        .set("requests", 2, "received_at", "2025-02-30T09:00")
        .write_csv(tmp_path / "d")
    )
    assert main(["validate", str(folder)]) == 1
    out = capsys.readouterr().out
    assert "error: requests row 2 received_at: bad_timestamp" in out
    assert "INVALID: 1 error(s)" in out


def test_json_output_holds_counts_and_findings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    builder = DatasetBuilder()
    for n in range(5):
        builder.copy_row("requests", 1, request_id=f"X{n}", sex="f")
    folder = builder.write_csv(tmp_path / "d")
    assert main(["validate", str(folder), "--format", "json", "--max-findings", "2"]) == 1
    document = json.loads(capsys.readouterr().out)
    assert document["valid"] is False
    assert document["counts"] == [
        {"table": "requests", "code": "unknown_enum", "severity": "error", "count": 5}
    ]
    assert [f["row"] for f in document["findings"]] == [4, 5]
    assert document["tables"]["requests"]["rows"] == 8


def test_strict_mode_prints_the_first_error_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = DatasetBuilder().set("exits", 2, "code", "gone").write_csv(tmp_path / "d")
    assert main(["validate", str(folder), "--strict"]) == 1
    out = capsys.readouterr().out
    assert "exits row 2 code: unknown_enum" in out
    assert "strict mode stopped" in out


def test_an_unreadable_folder_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(tmp_path / "missing")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("imsk: error: data set folder")
    assert "Traceback" not in err


def test_a_custom_activity_code_list_is_loaded_from_a_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = DatasetBuilder().write_csv(tmp_path / "d")
    codes = tmp_path / "activity-codes-v9.csv"
    codes.write_text("code,label,kind,kpi_group\nINV.XRAY,X-ray,investigation,radiology\n", "utf-8")
    assert main(["validate", str(folder), "--activity-codes", str(codes)]) == 1
    out = capsys.readouterr().out
    assert "activities row 2 code: unknown_activity_code" in out
    assert "version 9" in out


def test_the_example_data_set_validates(capsys: pytest.CaptureFixture[str]) -> None:
    example = Path(__file__).resolve().parents[2] / "examples" / "dataset"
    assert main(["validate", str(example)]) == 0
