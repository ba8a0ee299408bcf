"""``imsk triage``: a request file in, the explained decision out as JSON; bad input is one line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from imsk.cli.main import main
from tests.conftest import REPO_ROOT
from tests.core.triage.builders import bundled_document, rule_in

EXAMPLES = REPO_ROOT / "examples" / "requests"


def write(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def run_ok(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    assert main(["triage", *argv]) == 0
    result: dict[str, Any] = json.loads(capsys.readouterr().out)
    return result


def run_failing(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(["triage", *argv]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1
    return lines[0]


def test_a_cauda_equina_request_prints_an_emergency_redirect_with_reasons(
    capsys: pytest.CaptureFixture[str],
) -> None:
    decision = run_ok(capsys, str(EXAMPLES / "cauda-equina.json"))
    assert decision["disposition"] == "emergency_redirect"
    assert decision["priority"] == "urgent"
    assert decision["pathway"] == "redirected"
    assert decision["triage_deadline"] == "2026-12-29"
    assert decision["act_same_day"] is True
    assert decision["ruleset_version"] == "wales-2026-v1"
    reasons = {reason["id"]: reason for reason in decision["reasons"]}
    assert "GIRFT" in reasons["red_flag_cauda_equina"]["source"]
    assert reasons["high_risk_of_chronicity"]["overridden"] == ["pathway", "band"]


def test_an_urgent_request_gets_both_deadlines(capsys: pytest.CaptureFixture[str]) -> None:
    decision = run_ok(capsys, str(EXAMPLES / "post-operative-rehab.json"))
    assert decision["priority"] == "urgent"
    assert decision["received_on"] == "2026-04-02"
    assert decision["triage_deadline"] == "2026-04-07"  # Good Friday and Easter Monday skipped
    assert decision["first_contact_deadline"] == "2026-04-20"
    assert decision["band"] == 6


def test_the_nation_changes_which_bank_holidays_the_deadlines_skip(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    request = write(tmp_path / "r.json", {"received_at": "2026-08-28", "source": "self", "age": 30})
    assert run_ok(capsys, str(request))["triage_deadline"] == "2026-09-03"
    scotland = run_ok(capsys, str(request), "--nation", "scotland")
    assert scotland["triage_deadline"] == "2026-09-02"
    assert scotland["nation"] == "scotland"


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.json")), ids=lambda p: p.stem)
def test_every_example_request_triages(capsys: pytest.CaptureFixture[str], example: Path) -> None:
    decision = run_ok(capsys, str(example))
    assert decision["request_id"] == json.loads(example.read_text(encoding="utf-8"))["request_id"]
    assert decision["reasons"]


def test_a_missing_field_is_one_line_naming_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    request = write(tmp_path / "r.json", {"received_at": "2026-06-10", "source": "gp", "age": 50})
    assert run_failing(capsys, str(request)) == (
        "imsk: error: category is required for a request from 'gp' "
        "(only a self-referral may have no category)"
    )


def test_a_misspelt_field_is_refused_not_ignored(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    request = write(
        tmp_path / "r.json",
        {"received_at": "2026-06-10", "source": "self", "age": 50, "redflags": ["fever"]},
    )
    assert run_failing(capsys, str(request)) == "imsk: error: unknown field(s) in request: redflags"


def test_bad_json_is_one_line_naming_the_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    request = tmp_path / "broken.json"
    request.write_text('{"age": 4', encoding="utf-8")
    line = run_failing(capsys, str(request))
    assert line.startswith("imsk: error: request ")
    assert "broken.json is not valid JSON" in line


def test_a_request_that_is_not_an_object_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    request = write(tmp_path / "list.json", [1, 2])
    assert "must be a JSON object of facts" in run_failing(capsys, str(request))


def test_an_unknown_condition_code_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    request = write(
        tmp_path / "r.json",
        {"received_at": "2026-06-10", "source": "self", "age": 50, "condition_code": "KNEE.NOPE"},
    )
    assert "'KNEE.NOPE' is not in condition codes version 1" in run_failing(capsys, str(request))


def test_a_custom_rule_set_file_changes_the_decision(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    document = bundled_document()
    document["version"] = "local-2027-v1"
    rule_in(document, "under_18")["when"] = {"age_below": 16}
    ruleset = write(tmp_path / "local.json", document)
    request = write(tmp_path / "r.json", {"received_at": "2026-06-10", "source": "self", "age": 17})
    assert run_ok(capsys, str(request))["disposition"] == "redirect_paediatrics"
    custom = run_ok(capsys, str(request), "--ruleset", str(ruleset))
    assert custom["disposition"] == "accept"
    assert custom["ruleset_version"] == "local-2027-v1"


def test_a_malformed_rule_set_file_is_one_line_naming_rule_and_field(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    document = bundled_document()
    rule_in(document, "urgent_recent_injury")["then"] = {"priority": "soon"}
    ruleset = write(tmp_path / "bad.json", document)
    request = write(tmp_path / "r.json", {"received_at": "2026-06-10", "source": "self", "age": 17})
    line = run_failing(capsys, str(request), "--ruleset", str(ruleset))
    assert "rule 'urgent_recent_injury', field then.priority: 'soon' is not one of" in line


def test_a_missing_request_file_is_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    line = run_failing(capsys, str(tmp_path / "nowhere.json"))
    assert line.startswith("imsk: error: no such file or folder")
