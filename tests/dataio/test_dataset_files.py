"""Reading data set folders: file forms, CSV details, Parquet types, row numbers, caps, strict mode."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from imsk.core.dataset import Finding, FindingCode, table_named
from imsk.core.errors import DatasetError, InvalidDatasetError
from imsk.dataio.dataset import files, read_normalised, validate_dataset
from tests.dataio.dataset_builder import DatasetBuilder

F = FindingCode


def _broken(builder: DatasetBuilder) -> DatasetBuilder:
    """Many kinds of finding at once, for comparing the two file forms."""
    builder.set("requests", 1, "received_at", "2025-02-30T09:00")
    builder.set("requests", 2, "age", "forty")
    builder.set("requests", 3, "source", "fax")
    builder.set("contacts", 3, "request_id", "R9")
    builder.set("exits", 2, "exited_at", "2025-04-01T08:00")
    builder.set("measures", 1, "score", "29")
    builder.set("costs", 1, "month", "2025-4")
    builder.copy_row("requests", 2)
    return builder


def _keys(findings: tuple[Finding, ...]) -> list[tuple[object, ...]]:
    return [(f.table, f.row, f.field, f.code, f.message, f.severity) for f in findings]


def test_csv_and_text_parquet_give_identical_findings(tmp_path: Path) -> None:
    builder = _broken(DatasetBuilder())
    from_csv = validate_dataset(builder.write_csv(tmp_path / "csv"))
    from_parquet = validate_dataset(builder.write_parquet(tmp_path / "parquet"))
    assert len(from_csv.findings) >= 8
    assert _keys(from_csv.findings) == _keys(from_parquet.findings)
    assert from_csv.counts == from_parquet.counts


def test_csv_and_native_parquet_give_identical_findings(tmp_path: Path) -> None:
    builder = DatasetBuilder()
    builder.set("contacts", 3, "request_id", "R9")
    builder.set("exits", 2, "exited_at", "2025-04-01T08:00")
    builder.set("exits", 1, "window_ends", "2025-04-20")
    builder.set("requests", 1, "age", "131")
    native = {
        "requests.received_at": pa.timestamp("ms"),
        "requests.triaged_at": pa.timestamp("us"),
        "requests.age": pa.int16(),
        "requests.band": pa.int64(),
        "contacts.scheduled_at": pa.timestamp("s"),
        "exits.exited_at": pa.timestamp("ns"),
        "exits.window_ends": pa.date32(),
        "onward_referrals.converted": pa.bool_(),
        "measures.score": pa.float64(),
        "resource_hits.hits": pa.int32(),
        "resource_hits.date": pa.date32(),
    }
    from_csv = validate_dataset(builder.write_csv(tmp_path / "csv"))
    from_parquet = validate_dataset(builder.write_parquet(tmp_path / "parquet", native))
    assert {f.code for f in from_csv.findings} >= {F.DANGLING_REFERENCE, F.EXIT_BEFORE_RECEIPT}
    assert _keys(from_csv.findings) == _keys(from_parquet.findings)


def test_a_native_timestamp_with_fractional_seconds_is_bad_timestamp(tmp_path: Path) -> None:
    builder = DatasetBuilder(("services",))
    folder = builder.write_csv(tmp_path / "d")
    stamps = pa.array([1_743_498_000_500], pa.timestamp("ms"))
    requests = pa.table(
        {
            "request_id": ["R1"], "person_id": ["P1"], "service_id": ["S1"],
            "received_at": stamps, "source": ["self"],
        }
    )  # fmt: skip
    pq.write_table(requests, folder / "requests.parquet")
    report = validate_dataset(folder)
    assert report.count(F.BAD_TIMESTAMP, "requests") == 1


def test_an_identifier_stored_as_a_parquet_integer_is_bad_column_type(tmp_path: Path) -> None:
    builder = DatasetBuilder(("services", "requests"))
    folder = builder.write_parquet(tmp_path / "d", {"requests.person_id": pa.string()})
    table = pq.read_table(folder / "requests.parquet")
    table = table.set_column(1, "person_id", pa.array([1, 2, 3], pa.int64()))
    pq.write_table(table, folder / "requests.parquet")
    report = validate_dataset(folder)
    [finding] = [f for f in report.findings if f.code is F.BAD_COLUMN_TYPE]
    assert (finding.table, finding.field, finding.row) == ("requests", "person_id", None)


def test_both_a_csv_and_a_parquet_file_for_one_table_is_duplicate_file(tmp_path: Path) -> None:
    builder = DatasetBuilder()
    folder = builder.write_csv(tmp_path / "d")
    DatasetBuilder(("exits",)).write_parquet(folder)
    report = validate_dataset(folder)
    assert [(f.table, f.code) for f in report.findings if f.code is F.DUPLICATE_FILE] == [
        ("exits", F.DUPLICATE_FILE)
    ]
    assert "exits" not in report.tables_present


def test_a_file_named_after_no_table_is_unknown_file(tmp_path: Path) -> None:
    folder = DatasetBuilder().write_csv(tmp_path / "d")
    (folder / "referrals.csv").write_text("a\n1\n", encoding="utf-8")
    (folder / "README.txt").write_text("notes", encoding="utf-8")
    report = validate_dataset(folder)
    assert [(f.table, f.code) for f in report.findings] == [("referrals", F.UNKNOWN_FILE)]


def test_optional_tables_that_are_absent_are_listed_not_errors(tmp_path: Path) -> None:
    folder = DatasetBuilder(("services", "requests")).write_csv(tmp_path / "d")
    report = validate_dataset(folder)
    assert report.is_valid
    assert set(report.tables_absent) == {
        "contacts", "condition_codes", "activities", "onward_referrals", "exits", "measures",
        "feedback", "resource_hits", "costs", "population",
    }  # fmt: skip
    assert "Tables absent" in report.summary()


def test_a_bom_and_crlf_line_ends_are_read_like_plain_csv(tmp_path: Path) -> None:
    builder = _broken(DatasetBuilder())
    plain = validate_dataset(builder.write_csv(tmp_path / "lf"))
    windows = validate_dataset(builder.write_csv(tmp_path / "crlf", line_end="\r\n", bom=True))
    assert _keys(plain.findings) == _keys(windows.findings)


def test_a_quoted_line_break_is_part_of_one_row(tmp_path: Path) -> None:
    builder = DatasetBuilder()
    builder.set("feedback", 1, "nature", "waiting\ntime")
    builder.copy_row("feedback", 1, kind="praise")
    report = validate_dataset(builder.write_csv(tmp_path / "d"))
    assert [(f.row, f.code) for f in report.findings] == [(2, F.UNKNOWN_ENUM)]


def test_row_numbers_stay_exact_across_many_batches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files, "CSV_BLOCK_BYTES", 4096)
    monkeypatch.setattr(files, "PARQUET_BATCH_ROWS", 37)
    builder = DatasetBuilder(("services", "requests"))
    bad_rows = []
    for n in range(4, 2001):
        age = "old" if n % 397 == 0 else "40"
        builder.copy_row("requests", 1, request_id=f"R{n}", age=age)
        if age == "old":
            bad_rows.append(n)
    builder.copy_row("requests", 1, request_id="R1000")  # R1000 was written at row 1000
    for folder in (builder.write_csv(tmp_path / "c"), builder.write_parquet(tmp_path / "p")):
        report = validate_dataset(folder)
        assert [f.row for f in report.findings if f.code is F.BAD_INTEGER] == bad_rows
        [duplicate] = [f for f in report.findings if f.code is F.DUPLICATE_KEY]
        assert duplicate.row == 2001
        assert duplicate.message == "request_id 'R1000' repeats the key of row 1000"


def test_findings_are_capped_per_table_and_code_but_counted_exactly(tmp_path: Path) -> None:
    builder = DatasetBuilder(("services", "requests"))
    for n in range(250):
        builder.copy_row("requests", 1, request_id=f"X{n}", sex="f", age="-1")
    report = validate_dataset(builder.write_csv(tmp_path / "d"), max_findings=5)
    assert report.count(F.UNKNOWN_ENUM) == 250
    assert report.count(F.OUT_OF_RANGE) == 250
    assert [f.row for f in report.findings if f.code is F.UNKNOWN_ENUM] == [4, 5, 6, 7, 8]
    assert report.not_shown()[("requests", F.UNKNOWN_ENUM)] == 245
    assert report.error_count == 500


def test_strict_mode_stops_at_the_first_error_finding(tmp_path: Path) -> None:
    builder = DatasetBuilder().set("contacts", 2, "band", "9")  # a warning: no stop
    builder.set("exits", 1, "code", "gone")
    folder = builder.write_csv(tmp_path / "d")
    with pytest.raises(InvalidDatasetError) as raised:
        validate_dataset(folder, strict=True)
    finding = raised.value.finding
    assert (finding.table, finding.row, finding.code) == ("exits", 1, F.UNKNOWN_ENUM)
    assert isinstance(raised.value, DatasetError)


def test_a_ragged_row_is_a_dataset_error_naming_the_file_and_line(tmp_path: Path) -> None:
    folder = DatasetBuilder(("services",)).write_csv(tmp_path / "d")
    text = 'request_id,person_id\nR1,P1\n"R2\nstill R2",P2\nR3\n'
    (folder / "requests.csv").write_text(text, encoding="utf-8")
    with pytest.raises(DatasetError, match=r"requests\.csv line 5: .*1 field"):
        validate_dataset(folder)


def test_bytes_that_are_not_utf8_are_a_dataset_error_naming_the_line(tmp_path: Path) -> None:
    folder = DatasetBuilder(("services",)).write_csv(tmp_path / "d")
    (folder / "requests.csv").write_bytes(b"request_id,person_id\nR1,P1\nR2,Gw\xeal\n")
    with pytest.raises(DatasetError, match=r"requests\.csv line 3: not UTF-8"):
        validate_dataset(folder)


def test_an_empty_csv_file_is_a_dataset_error(tmp_path: Path) -> None:
    folder = DatasetBuilder(("services",)).write_csv(tmp_path / "d")
    (folder / "requests.csv").write_bytes(b"")
    with pytest.raises(DatasetError, match=r"requests\.csv is empty"):
        validate_dataset(folder)


def test_a_corrupt_parquet_file_is_a_dataset_error(tmp_path: Path) -> None:
    folder = DatasetBuilder(("services",)).write_csv(tmp_path / "d")
    (folder / "requests.parquet").write_bytes(b"PAR1 this is not parquet")
    with pytest.raises(DatasetError, match=r"requests\.parquet"):
        validate_dataset(folder)


def test_a_folder_that_does_not_exist_is_a_dataset_error(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="does not exist"):
        validate_dataset(tmp_path / "nowhere")


def test_the_normalised_reader_gives_canonical_types_with_bad_values_null(tmp_path: Path) -> None:
    builder = DatasetBuilder(("services", "requests")).set("requests", 2, "age", "forty")
    folder = builder.write_csv(tmp_path / "d")
    table = table_named("requests")
    [batch] = list(read_normalised(folder / "requests.csv", table))
    assert batch.schema.field("received_at").type == pa.timestamp("s")
    assert batch.column("age").to_pylist() == [54, None, 68]
    assert batch.column("triaged_at").null_count == 1
