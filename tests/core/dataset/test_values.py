"""Single-value parsing follows the text forms of dataset.md strictly: nothing trimmed or repaired."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from imsk.core.dataset import Finding, FindingCode, Severity, table_named, value_problem
from imsk.core.dataset.values import (
    is_well_formed_items,
    parse_boolean,
    parse_date,
    parse_integer,
    parse_month,
    parse_number,
    parse_timestamp,
)


def test_dates_are_yyyy_mm_dd_real_calendar_days() -> None:
    assert parse_date("2024-02-29") == date(2024, 2, 29)
    assert [parse_date(t) for t in ("2025-02-29", "2025-2-01", "0000-01-01", "2025-01-01 ")] == [
        None
    ] * 4


def test_timestamps_take_minutes_or_seconds_without_offset() -> None:
    assert parse_timestamp("2025-04-01T09:30") == datetime(2025, 4, 1, 9, 30)
    assert parse_timestamp("2025-04-01T09:30:59") == datetime(2025, 4, 1, 9, 30, 59)
    bad = ("2025-04-01 09:30", "2025-04-01T09:30Z", "2025-04-01T24:00", "2025-04-01T09:30:60")
    assert [parse_timestamp(t) for t in bad] == [None] * 4


def test_integers_numbers_booleans_and_months_are_strict() -> None:
    assert (parse_integer("0012"), parse_integer("-3"), parse_integer("4.0")) == (12, -3, None)
    assert (parse_number("1e3"), parse_number("1,000"), parse_number("inf")) == (1000.0, None, None)
    assert (parse_boolean("true"), parse_boolean("True")) == (True, None)
    assert (parse_month("2025-04"), parse_month("2025-4")) == (date(2025, 4, 1), None)


def test_items_are_single_space_separated() -> None:
    assert is_well_formed_items("1 2 3")
    assert not any(is_well_formed_items(t) for t in ("1  2", " 1", "1 ", "1\t2"))


def test_value_problem_names_the_finding_of_one_cell() -> None:
    requests = table_named("requests")
    assert value_problem(requests.column("person_id"), None) is FindingCode.MISSING_REQUIRED
    assert value_problem(requests.column("age"), None) is None
    assert value_problem(requests.column("band"), "9") is FindingCode.UNUSUAL_VALUE
    assert value_problem(requests.column("band"), "0") is FindingCode.OUT_OF_RANGE
    assert value_problem(requests.column("sex"), "F") is FindingCode.UNKNOWN_ENUM


@pytest.mark.parametrize("code", list(FindingCode))
def test_every_finding_code_has_one_severity(code: FindingCode) -> None:
    finding = Finding.of(code, "requests", 3, "age", "x")
    assert finding.severity in (Severity.ERROR, Severity.WARNING)
    assert str(finding).startswith(f"{finding.severity}: requests row 3 age: {code}")
