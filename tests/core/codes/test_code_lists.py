"""Condition and activity code lists: version 1 as ``shared/spec`` publishes it, strict parsing, and
lookups that name the unknown code."""

from __future__ import annotations

from pathlib import Path

import pytest

from imsk.core.codes import ActivityKind, ExitCode, parse_activity_codes, parse_condition_codes
from imsk.core.errors import CodeListError, UnknownCodeError

HEADER = "code,label,group,snomed_ct,snomed_term\n"


def test_version_one_condition_codes_parse_with_every_row_of_the_spec(shared_dir: Path) -> None:
    text = (shared_dir / "spec" / "condition-codes.csv").read_text(encoding="utf-8")
    codes = parse_condition_codes(text, "1")
    assert len(codes) == text.count("\n") - 1
    assert codes.get("BACK.RADICULAR").snomed_ct == "23056005"
    assert codes.get("REHAB.POSTOP").snomed_ct is None
    assert "BACK" in codes.groups()


def test_version_one_activity_codes_keep_the_kpi_groups_of_investigations(shared_dir: Path) -> None:
    text = (shared_dir / "spec" / "activity-codes.csv").read_text(encoding="utf-8")
    codes = parse_activity_codes(text, "1")
    assert codes.get("INV.MRI").kpi_group == "radiology"
    assert codes.get("INT.INJECTION").kind is ActivityKind.INTERVENTION
    assert codes.groups() == ["biochemistry_haematology", "neurophysiology", "radiology"]


def test_an_unknown_code_is_rejected_with_its_name_and_the_list_version() -> None:
    codes = parse_condition_codes(HEADER + "KNEE.OA,Knee OA,KNEE,239873007,OA knee\n", "2")
    with pytest.raises(UnknownCodeError, match=r"'KNEE\.ACL'.*version 2"):
        codes.get("KNEE.ACL")


def test_a_code_whose_group_disagrees_with_its_prefix_is_refused_with_its_line() -> None:
    with pytest.raises(CodeListError, match="line 2: group 'HIP'"):
        parse_condition_codes(HEADER + "KNEE.OA,Knee OA,HIP,,\n", "2")


def test_a_duplicated_code_is_refused() -> None:
    text = HEADER + "KNEE.OA,Knee OA,KNEE,,\nKNEE.OA,Again,KNEE,,\n"
    with pytest.raises(CodeListError, match=r"line 3: code 'KNEE\.OA' appears twice"):
        parse_condition_codes(text, "2")


def test_a_snomed_id_with_a_wrong_check_digit_is_refused() -> None:
    with pytest.raises(CodeListError, match="'239873008' is not a valid SNOMED CT"):
        parse_condition_codes(HEADER + "KNEE.OA,Knee OA,KNEE,239873008,OA knee\n", "2")


def test_a_missing_column_is_named() -> None:
    with pytest.raises(CodeListError, match=r"missing column.*snomed_term"):
        parse_condition_codes("code,label,group,snomed_ct\nKNEE.OA,Knee OA,KNEE,\n", "2")


def test_a_code_not_written_group_dot_specific_is_refused() -> None:
    with pytest.raises(CodeListError, match=r"'kneeoa' is not GROUP\.SPECIFIC"):
        parse_condition_codes(HEADER + "kneeoa,Knee OA,KNEE,,\n", "2")


def test_an_activity_of_an_unknown_kind_is_refused_with_the_allowed_kinds() -> None:
    text = "code,label,kind,kpi_group\nINV.PET,PET scan,imaging,radiology\n"
    with pytest.raises(CodeListError, match="kind 'imaging' is not one of investigation"):
        parse_activity_codes(text, "2")


def test_exit_codes_are_the_exits_table_enum_of_the_data_set() -> None:
    assert {code.value for code in ExitCode} == {
        "discharged",
        "see_on_symptom",
        "patient_initiated_follow_up",
        "transferred",
        "other",
    }
