"""``imsk calendar``: JSON answers, and a one-line error (exit 2) instead of a traceback."""

from __future__ import annotations

import json

import pytest

from imsk.cli.main import main


def test_add_prints_wd_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["calendar", "--nation", "wales", "add", "2026-12-24", "1"]) == 0
    assert json.loads(capsys.readouterr().out)["wd"] == "2026-12-29"


def test_is_working_day_knows_st_andrews_day_in_scotland(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["calendar", "--nation", "scotland", "is-working-day", "2026-11-30"]) == 0
    assert json.loads(capsys.readouterr().out)["working_day"] is False


def test_between_counts_working_days(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["calendar", "between", "2026-04-02", "2026-04-07"]) == 0
    assert json.loads(capsys.readouterr().out)["working_days"] == 1


def test_holidays_lists_the_substitute_day(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["calendar", "holidays", "2026"]) == 0
    names = {h["date"]: h["name"] for h in json.loads(capsys.readouterr().out)["holidays"]}
    assert names["2026-12-28"] == "Boxing Day (observed)"


def test_a_bad_n_is_a_one_line_error_with_exit_two(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["calendar", "add", "2026-12-24", "0"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("imsk: error: ")
    assert err.count("\n") == 1


def test_a_bad_date_is_refused_by_the_parser(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["calendar", "add", "24/12/2026", "1"])
    assert exit_info.value.code == 2
    assert "'24/12/2026' is not a date" in capsys.readouterr().err
