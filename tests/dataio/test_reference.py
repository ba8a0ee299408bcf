"""Code lists as files: the bundled version 1, and a new version an administrator supplies."""

from __future__ import annotations

from pathlib import Path

import pytest

from imsk.core.errors import UnknownCodeError
from imsk.dataio.reference import load_activity_codes, load_condition_codes


def test_the_bundled_lists_are_version_one_of_the_spec(shared_dir: Path) -> None:
    bundled = load_condition_codes()
    spec = load_condition_codes(shared_dir / "spec" / "condition-codes.csv", version="1")
    assert bundled.version == "1"
    assert bundled.entries == spec.entries
    assert (
        load_activity_codes().entries
        == load_activity_codes(shared_dir / "spec" / "activity-codes.csv").entries
    )


def test_an_administrator_loads_a_new_version_without_a_code_change(tmp_path: Path) -> None:
    new = tmp_path / "condition-codes-v2.csv"
    new.write_text(
        "code,label,group,snomed_ct,snomed_term\n"
        "KNEE.ACL,Anterior cruciate ligament injury,KNEE,,\n",
        encoding="utf-8",
    )
    codes = load_condition_codes(new)
    assert codes.version == "2"
    assert codes.get("KNEE.ACL").label == "Anterior cruciate ligament injury"
    with pytest.raises(UnknownCodeError, match=r"'KNEE\.OA'.*version 2"):
        codes.get("KNEE.OA")


def test_the_environment_can_point_at_a_new_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    new = tmp_path / "activity-codes-v3.csv"
    new.write_text("code,label,kind,kpi_group\nINV.DEXA,DEXA scan,investigation,radiology\n")
    monkeypatch.setenv("IMSK_ACTIVITY_CODES", str(new))
    codes = load_activity_codes()
    assert codes.version == "3"
    assert "INV.DEXA" in codes
