"""One test per class of finding: a valid data set, one change, the finding it must produce."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from imsk.core.dataset import FindingCode, Severity
from imsk.dataio.dataset import validate_dataset
from tests.dataio.dataset_builder import DatasetBuilder

F = FindingCode
Change = Callable[[DatasetBuilder], object]


def _copy_request(b: DatasetBuilder) -> object:
    return b.copy_row("requests", 1)


CASES: list[tuple[str, Change, FindingCode, str, int | None, str | None]] = [
    ("an empty required cell is missing_required",
     lambda b: b.set("requests", 2, "person_id", None), F.MISSING_REQUIRED, "requests", 2, "person_id"),
    ("a value outside a closed list is unknown_enum",
     lambda b: b.set("requests", 1, "source", "GP"), F.UNKNOWN_ENUM, "requests", 1, "source"),
    ("the 30th of February is bad_date",
     lambda b: b.set("exits", 1, "window_ends", "2025-02-30"), F.BAD_DATE, "exits", 1, "window_ends"),
    ("a timestamp with an offset is bad_timestamp",
     lambda b: b.set("requests", 3, "received_at", "2025-04-03T11:00+01:00"),
     F.BAD_TIMESTAMP, "requests", 3, "received_at"),
    ("a leap second is bad_timestamp",
     lambda b: b.set("contacts", 2, "scheduled_at", "2025-04-24T10:00:60"),
     F.BAD_TIMESTAMP, "contacts", 2, "scheduled_at"),
    ("an age written 54.0 is bad_integer",
     lambda b: b.set("requests", 1, "age", "54.0"), F.BAD_INTEGER, "requests", 1, "age"),
    ("a band written 8a is bad_integer",
     lambda b: b.set("contacts", 1, "band", "8a"), F.BAD_INTEGER, "contacts", 1, "band"),
    ("a cost with a thousands separator is bad_number",
     lambda b: b.set("costs", 1, "staffing", "182,500"), F.BAD_NUMBER, "costs", 1, "staffing"),
    ("an overflowing cost is bad_number",
     lambda b: b.set("costs", 2, "staffing", "1e999"), F.BAD_NUMBER, "costs", 2, "staffing"),
    ("a boolean written TRUE is bad_boolean",
     lambda b: b.set("onward_referrals", 1, "converted", "TRUE"),
     F.BAD_BOOLEAN, "onward_referrals", 1, "converted"),
    ("month 13 is bad_month",
     lambda b: b.set("costs", 1, "month", "2025-13"), F.BAD_MONTH, "costs", 1, "month"),
    ("an age of 131 is out_of_range",
     lambda b: b.set("requests", 2, "age", "131"), F.OUT_OF_RANGE, "requests", 2, "age"),
    ("quintile 0 is out_of_range",
     lambda b: b.set("requests", 1, "deprivation_quintile", "0"),
     F.OUT_OF_RANGE, "requests", 1, "deprivation_quintile"),
    ("band 10 is out_of_range",
     lambda b: b.set("requests", 1, "band", "10"), F.OUT_OF_RANGE, "requests", 1, "band"),
    ("negative hits are out_of_range",
     lambda b: b.set("resource_hits", 1, "hits", "-1"), F.OUT_OF_RANGE, "resource_hits", 1, "hits"),
    ("a negative population is out_of_range",
     lambda b: b.set("population", 3, "population", "-5"),
     F.OUT_OF_RANGE, "population", 3, "population"),
    ("band 9 is an unusual_value",
     lambda b: b.set("contacts", 3, "band", "9"), F.UNUSUAL_VALUE, "contacts", 3, "band"),
    ("an identifier with a trailing space is surrounding_whitespace",
     lambda b: b.set("requests", 1, "person_id", "P1 "),
     F.SURROUNDING_WHITESPACE, "requests", 1, "person_id"),
    ("a practice code that is not an ODS code is unexpected_format",
     lambda b: b.set("requests", 1, "referrer_practice", "Dr Jones"),
     F.UNEXPECTED_FORMAT, "requests", 1, "referrer_practice"),
    ("a condition code not in the list is unknown_condition_code",
     lambda b: b.set("condition_codes", 2, "code", "BACK.NOPE"),
     F.UNKNOWN_CONDITION_CODE, "condition_codes", 2, "code"),
    ("an activity code not in the list is unknown_activity_code",
     lambda b: b.set("activities", 1, "code", "INV.PET"),
     F.UNKNOWN_ACTIVITY_CODE, "activities", 1, "code"),
    ("a repeated request_id is duplicate_key",
     _copy_request, F.DUPLICATE_KEY, "requests", 4, "request_id"),
    ("a second exit for a request is duplicate_key",
     lambda b: b.copy_row("exits", 2), F.DUPLICATE_KEY, "exits", 3, "request_id"),
    ("two cost rows for one service and month are duplicate_key",
     lambda b: b.copy_row("costs", 1, staffing="1"), F.DUPLICATE_KEY, "costs", 3, "month"),
    ("a contact of an unknown request is dangling_reference",
     lambda b: b.set("contacts", 3, "request_id", "R9"),
     F.DANGLING_REFERENCE, "contacts", 3, "request_id"),
    ("identifiers are text: 0012 is not 12",
     lambda b: (b.set("requests", 3, "request_id", "0012"), b.set("contacts", 3, "request_id", "12")),
     F.DANGLING_REFERENCE, "contacts", 3, "request_id"),
    ("a request of an unknown service is dangling_reference",
     lambda b: b.set("requests", 2, "service_id", "S9"),
     F.DANGLING_REFERENCE, "requests", 2, "service_id"),
    ("an activity at another request's contact is contact_request_mismatch",
     lambda b: b.set("activities", 1, "contact_id", "C3"),
     F.CONTACT_REQUEST_MISMATCH, "activities", 1, "contact_id"),
    ("a triage before receipt is triaged_before_receipt",
     lambda b: b.set("requests", 1, "triaged_at", "2025-03-31T09:00"),
     F.TRIAGED_BEFORE_RECEIPT, "requests", 1, "triaged_at"),
    ("a priority without a triage time is priority_without_triage",
     lambda b: b.set("requests", 3, "priority", "urgent"),
     F.PRIORITY_WITHOUT_TRIAGE, "requests", 3, "priority"),
    ("a triage without a priority is triage_without_priority",
     lambda b: b.set("requests", 1, "priority", None),
     F.TRIAGE_WITHOUT_PRIORITY, "requests", 1, "priority"),
    ("a pathway without a triage time is pathway_without_triage",
     lambda b: b.set("requests", 3, "pathway", "self_management"),
     F.PATHWAY_WITHOUT_TRIAGE, "requests", 3, "pathway"),
    ("a triage without a pathway is triage_without_pathway",
     lambda b: b.set("requests", 2, "pathway", None),
     F.TRIAGE_WITHOUT_PATHWAY, "requests", 2, "pathway"),
    ("a GP referral without a category is missing_category",
     lambda b: b.set("requests", 1, "category", None),
     F.MISSING_CATEGORY, "requests", 1, "category"),
    ("a window on a discharge is window_without_sos_pifu",
     lambda b: b.set("exits", 2, "window_ends", "2025-10-01"),
     F.WINDOW_WITHOUT_SOS_PIFU, "exits", 2, "window_ends"),
    ("an SOS exit without a window is sos_pifu_without_window",
     lambda b: b.set("exits", 1, "window_ends", None),
     F.SOS_PIFU_WITHOUT_WINDOW, "exits", 1, "window_ends"),
    ("a window ending before the exit is window_before_exit",
     lambda b: b.set("exits", 1, "window_ends", "2025-04-23"),
     F.WINDOW_BEFORE_EXIT, "exits", 1, "window_ends"),
    ("an exit before the request's receipt is exit_before_receipt",
     lambda b: b.set("exits", 2, "exited_at", "2025-04-02T10:30:14"),
     F.EXIT_BEFORE_RECEIPT, "exits", 2, "exited_at"),
    ("a contact before the request's receipt is contact_before_receipt",
     lambda b: b.set("contacts", 1, "scheduled_at", "2025-03-30T10:00"),
     F.CONTACT_BEFORE_RECEIPT, "contacts", 1, "scheduled_at"),
    ("a condition code recorded before receipt is event_before_receipt",
     lambda b: b.set("condition_codes", 1, "recorded_at", "2025-03-01T10:00"),
     F.EVENT_BEFORE_RECEIPT, "condition_codes", 1, "recorded_at"),
    ("a second attended first contact is multiple_first_attended",
     lambda b: b.copy_row("contacts", 1, contact_id="C9"),
     F.MULTIPLE_FIRST_ATTENDED, "contacts", 4, "kind"),
    ("MSK-HQ items with a response of 5 are bad_items",
     lambda b: b.set("measures", 1, "items", "2 2 3 2 3 2 2 3 1 2 2 2 2 5"),
     F.BAD_ITEMS, "measures", 1, "items"),
    ("items separated by two spaces are bad_items",
     lambda b: b.set("measures", 1, "items", "2  2 3 2 3 2 2 3 1 2 2 2 2 2"),
     F.BAD_ITEMS, "measures", 1, "items"),
    ("an MSK-HQ total that is not the sum of its items is score_disagrees_with_items",
     lambda b: b.set("measures", 1, "score", "31"),
     F.SCORE_DISAGREES_WITH_ITEMS, "measures", 1, "score"),
    ("an EQ-5D index off by more than rounding is score_disagrees_with_items",
     lambda b: b.set("measures", 2, "score", "0.827"),
     F.SCORE_DISAGREES_WITH_ITEMS, "measures", 2, "score"),
    ("a measure with neither items nor score is missing_score_and_items",
     lambda b: b.set("measures", 3, "items", None),
     F.MISSING_SCORE_AND_ITEMS, "measures", 3, "items"),
    ("a table without a required column is missing_column",
     lambda b: b.drop_column("exits", "code"), F.MISSING_COLUMN, "exits", None, "code"),
    ("a table without an optional column is missing_optional_column",
     lambda b: b.drop_column("contacts", "mode"),
     F.MISSING_OPTIONAL_COLUMN, "contacts", None, "mode"),
    ("a column the table lacks is unknown_column",
     lambda b: b.add_column("requests", "nhs_number", "x"),
     F.UNKNOWN_COLUMN, "requests", None, "nhs_number"),
    ("an absent requests table is missing_table",
     lambda b: b.drop_table("requests"), F.MISSING_TABLE, "requests", None, None),
]  # fmt: skip


@pytest.mark.parametrize(
    ("change", "code", "table", "row", "field"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_each_kind_of_bad_input_gives_its_finding(
    tmp_path: Path,
    change: Change,
    code: FindingCode,
    table: str,
    row: int | None,
    field: str | None,
) -> None:
    builder = DatasetBuilder()
    change(builder)
    report = validate_dataset(builder.write_csv(tmp_path / "data"))
    located = {(f.code, f.table, f.row, f.field) for f in report.findings}
    assert (code, table, row, field) in located, [str(f) for f in report.findings]


def test_the_unchanged_base_data_set_has_no_findings(tmp_path: Path) -> None:
    report = validate_dataset(DatasetBuilder().write_csv(tmp_path / "data"))
    assert report.findings == ()
    assert report.is_valid


def test_the_example_data_set_is_valid() -> None:
    example = Path(__file__).resolve().parents[2] / "examples" / "dataset"
    report = validate_dataset(example)
    assert [str(f) for f in report.findings] == []
    assert report.row_counts["requests"] == 20
    assert report.tables_absent == ()


def test_every_finding_code_is_exercised_by_a_test() -> None:
    """File-level codes are covered in test_dataset_files.py; the rest here."""
    file_level = {F.DUPLICATE_FILE, F.UNKNOWN_FILE, F.BAD_COLUMN_TYPE}
    covered = {case[2] for case in CASES} | file_level
    assert covered == set(FindingCode)


def test_a_redirected_request_may_be_triaged_without_a_priority(tmp_path: Path) -> None:
    builder = DatasetBuilder().set("requests", 1, "pathway", "redirected")
    builder.set("requests", 1, "priority", None)
    report = validate_dataset(builder.write_csv(tmp_path / "data"))
    assert report.findings == ()


def test_a_self_referral_needs_no_category(tmp_path: Path) -> None:
    report = validate_dataset(DatasetBuilder().write_csv(tmp_path / "data"))
    assert report.count(F.MISSING_CATEGORY) == 0  # R2 is a self-referral with no category


def test_warnings_leave_the_data_set_valid(tmp_path: Path) -> None:
    builder = DatasetBuilder().set("contacts", 3, "band", "9")
    report = validate_dataset(builder.write_csv(tmp_path / "data"))
    assert report.warning_count == 1
    assert report.findings[0].severity is Severity.WARNING
    assert report.is_valid


def test_a_custom_condition_code_list_is_used_instead_of_the_bundled_one(tmp_path: Path) -> None:
    from imsk.core.codes import parse_condition_codes

    custom = parse_condition_codes(
        "code,label,group,snomed_ct,snomed_term\nKNEE.OA,Knee OA,KNEE,,\n", "2"
    )
    report = validate_dataset(DatasetBuilder().write_csv(tmp_path / "d"), condition_codes=custom)
    [finding] = [f for f in report.findings if f.code is F.UNKNOWN_CONDITION_CODE]
    assert finding.row == 2
    assert "condition code list version 2" in finding.message


def test_references_to_an_absent_parent_table_are_reported_as_not_checked(tmp_path: Path) -> None:
    builder = DatasetBuilder().drop_table("contacts")
    report = validate_dataset(builder.write_csv(tmp_path / "data"))
    assert "contacts" in report.tables_absent
    assert any("activities.contact_id" in note for note in report.unchecked)
    assert report.is_valid
