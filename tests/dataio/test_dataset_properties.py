"""Properties: the vectorised checks agree with the single-value reference, and no input crashes."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pyarrow as pa
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from imsk.core.dataset import ColumnType, FindingCode, table_named, value_problem
from imsk.core.errors import DatasetError
from imsk.dataio.dataset import ValidationReport, validate_dataset
from imsk.dataio.dataset.checks import check_column
from imsk.dataio.dataset.normalise import normalise
from imsk.dataio.dataset.sink import FindingSink
from tests.dataio.dataset_builder import DatasetBuilder


def _outcome(folder: Path) -> ValidationReport | DatasetError:
    """The report, or the DatasetError the folder raised (any other exception fails the test)."""
    try:
        return validate_dataset(folder)
    except DatasetError as error:
        return error


# One column of each type and check, from the schema itself.
COLUMNS = [
    table_named("requests").column("received_at"),
    table_named("requests").column("age"),
    table_named("requests").column("band"),
    table_named("requests").column("source"),
    table_named("requests").column("lsoa"),
    table_named("exits").column("window_ends"),
    table_named("costs").column("staffing"),
    table_named("costs").column("month"),
    table_named("onward_referrals").column("converted"),
]

date_like = st.builds(
    lambda y, m, d, sep, rest: f"{y:04d}-{m:02d}-{d:02d}{sep}{rest}",
    st.integers(0, 9999),
    st.integers(0, 13),
    st.integers(0, 32),
    st.sampled_from(["", "T", " "]),
    st.sampled_from(["", "09:30", "23:59:59", "24:00", "10:00:60", "10:00+01:00", "1"]),
)
cells = st.one_of(
    date_like,
    st.from_regex(r"-?[0-9]{0,20}(\.[0-9]{0,3})?([eE][-+]?[0-9]{1,4})?", fullmatch=True),
    st.sampled_from(["true", "false", "TRUE", " 1", "gp", "W01000001", "2025-04", "NaN", "inf"]),
    st.text(max_size=12),
)


@settings(max_examples=300, deadline=None)
@given(column_index=st.integers(0, len(COLUMNS) - 1), texts=st.lists(cells, max_size=8))
# Found by Hypothesis in CI: an integer beyond 2**53 made the range check's float cast raise.
@example(column_index=1, texts=["10000000000000000"])
@example(column_index=1, texts=["-10000000000000000000"])
def test_vectorised_checks_agree_with_the_single_value_reference(
    column_index: int, texts: list[str]
) -> None:
    column = COLUMNS[column_index]
    texts = [t.replace("\x00", "") for t in texts]
    sink = FindingSink(max_findings=1000, strict=False)
    check_column(sink, "t", column, normalise(column, pa.array(texts, pa.string())), 1)
    found = {f.row: f.code for f in sink.kept}
    expected = {}
    for row, text in enumerate(texts, start=1):
        problem = value_problem(column, text or None)
        if problem is not None:
            expected[row] = problem
    assert found == expected


@settings(max_examples=200, deadline=None)
@given(texts=st.lists(date_like, min_size=1, max_size=8))
def test_good_timestamps_parse_to_the_same_instant_as_the_reference(texts: list[str]) -> None:
    from imsk.core.dataset.values import parse_timestamp

    column = table_named("requests").column("received_at")
    values = normalise(column, pa.array(texts, pa.string())).values.to_pylist()
    assert values == [parse_timestamp(t) for t in texts]
    assert column.type is ColumnType.TIMESTAMP


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(content=st.binary(max_size=300))
def test_random_bytes_as_a_table_file_give_findings_or_a_clear_dataset_error(
    content: bytes,
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = DatasetBuilder(("services",)).write_csv(Path(folder) / "d")
        (root / "requests.csv").write_bytes(b"request_id,person_id,received_at\n" + content)
        outcome = _outcome(root)
    if isinstance(outcome, DatasetError):
        assert "requests.csv" in str(outcome)
    else:
        assert outcome.count(FindingCode.MISSING_COLUMN, "requests") == 2


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    changes=st.lists(
        st.tuples(
            st.sampled_from(["requests", "contacts", "exits", "measures", "costs"]),
            st.integers(1, 2),
            st.integers(0, 6),
            st.one_of(st.none(), cells),
        ),
        max_size=6,
    ),
    parquet=st.booleans(),
)
def test_random_cells_never_crash_the_validator(
    changes: list[tuple[str, int, int, str | None]], parquet: bool
) -> None:
    builder = DatasetBuilder()
    for table, row, column, value in changes:
        name = builder.columns[table][column % len(builder.columns[table])]
        builder.set(table, row, name, None if value is None else value.replace("\x00", ""))
    with tempfile.TemporaryDirectory() as folder:
        write = builder.write_parquet if parquet else builder.write_csv
        report = validate_dataset(write(Path(folder) / "d"))
    assert report.error_count + report.warning_count == sum(report.counts.values())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    lines=st.lists(
        st.lists(st.text(alphabet='ab,"\n\r1 ', max_size=6), min_size=1, max_size=4),
        max_size=5,
    )
)
def test_ragged_rows_and_bad_quoting_give_findings_or_a_dataset_error(
    lines: list[list[str]],
) -> None:
    body = "\n".join(",".join(fields) for fields in lines)
    with tempfile.TemporaryDirectory() as folder:
        root = DatasetBuilder(("services",)).write_csv(Path(folder) / "d")
        (root / "requests.csv").write_text("request_id,person_id\n" + body, encoding="utf-8")
        outcome = _outcome(root)
    assert not isinstance(outcome, DatasetError) or "requests.csv" in str(outcome)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.text(min_size=1, max_size=40), encoding=st.sampled_from(["utf-16", "latin-1", "cp1252"])
)
def test_files_in_other_encodings_give_findings_or_a_dataset_error(
    text: str, encoding: str
) -> None:
    content = f"service_id,name,health_board,nation\nS1,{text},7A1,wales\n"
    try:
        data = content.encode(encoding)
    except UnicodeEncodeError:
        return
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "services.csv").write_bytes(data)
        outcome = _outcome(root)
    assert not isinstance(outcome, DatasetError) or "services.csv" in str(outcome)
