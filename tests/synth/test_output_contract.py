"""The generator writes the data set of ``../shared/spec/dataset.md``: every table, its columns in
order, deterministic for a seed, and clean under the data set validator."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from imsk.dataio.dataset import validate_dataset
from tests.synth.conftest import make_dataset, read

TABLES = (
    "services",
    "requests",
    "condition_codes",
    "contacts",
    "activities",
    "onward_referrals",
    "exits",
    "measures",
    "feedback",
    "resource_hits",
    "costs",
    "population",
)


def spec_columns(dataset_md: Path) -> dict[str, list[str]]:
    """Column names of every table, in order, read from the markdown of the contract itself."""
    columns: dict[str, list[str]] = {}
    table = None
    for line in dataset_md.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"^### (\w+)", line)
        if heading:
            table = heading.group(1)
            columns[table] = []
        elif table and line.startswith("| ") and not line.startswith("| column"):
            columns[table].append(line.split("|")[1].strip())
    return columns


def test_every_table_of_the_spec_is_written_with_its_columns_in_order(
    wales_dataset: Path, shared_dir: Path
) -> None:
    expected = spec_columns(shared_dir / "spec" / "dataset.md")
    assert set(expected) == set(TABLES)
    for table in TABLES:
        header = (wales_dataset / f"{table}.csv").open(encoding="utf-8").readline().strip()
        assert [name.strip('"') for name in header.split(",")] == expected[table], table


def test_the_same_seed_and_options_give_byte_identical_files(tmp_path: Path) -> None:
    make_dataset(tmp_path / "a", seed=3, requests=2_000)
    make_dataset(tmp_path / "b", seed=3, requests=2_000)
    names = sorted(path.name for path in (tmp_path / "a").iterdir())
    assert len(names) == len(TABLES) + 1  # and the manifest
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_a_different_seed_gives_different_requests(tmp_path: Path) -> None:
    make_dataset(tmp_path / "a", seed=3, requests=2_000)
    make_dataset(tmp_path / "b", seed=4, requests=2_000)
    first = (tmp_path / "a" / "requests.csv").read_bytes()
    assert first != (tmp_path / "b" / "requests.csv").read_bytes()


def test_output_on_the_real_welsh_geography_passes_the_validator_with_no_findings(
    wales_dataset: Path,
) -> None:
    report = validate_dataset(wales_dataset)
    assert report.error_count == 0
    assert report.warning_count == 0, report.findings[:5]


def test_output_on_the_synthetic_geography_passes_the_validator_with_no_findings(
    tmp_path: Path,
) -> None:
    make_dataset(tmp_path, seed=8, requests=3_000)
    report = validate_dataset(tmp_path)
    assert (report.error_count, report.warning_count) == (0, 0), report.findings[:5]


def test_parquet_output_holds_the_same_rows_as_csv(tmp_path: Path) -> None:
    """Parquet keeps native types (timestamps, dates, integers, booleans); the values are the CSV's."""
    make_dataset(tmp_path / "csv", seed=2, requests=1_500)
    make_dataset(tmp_path / "pq", seed=2, requests=1_500, file_format="parquet")
    assert pq.read_schema(tmp_path / "pq" / "requests.parquet").field("received_at").type == (
        pa.timestamp("us")
    )
    for table in ("requests", "measures", "exits", "resource_hits", "onward_referrals"):
        from_csv = read(tmp_path / "csv", table).to_pylist()
        from_parquet = pq.read_table(tmp_path / "pq" / f"{table}.parquet")
        as_text = [
            {key: None if value is None else _cell(value) for key, value in row.items()}
            for row in from_parquet.to_pylist()
        ]
        assert as_text == from_csv, table
    report = validate_dataset(tmp_path / "pq")
    assert (report.error_count, report.warning_count) == (0, 0), report.findings[:5]


def _cell(value: object) -> str:
    """A native Parquet value written as the CSV cell (timestamps to the minute, as generated)."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    return str(value)


def test_real_geography_uses_real_lsoas_and_the_whole_welsh_population(
    wales_dataset: Path, research_data_dir: Path
) -> None:
    """ONS mid-2020: 3,169,586 people in Wales (``../shared/research/data.md`` section 3)."""
    population = read(wales_dataset, "population")
    assert sum(int(p) for p in population.column("population").to_pylist()) == pytest.approx(
        3_169_586, abs=35
    )
    wimd = (research_data_dir / "geo" / "wimd2019_lsoa11_wales.csv").read_text(encoding="utf-8")
    real = {line.split(",")[0] for line in wimd.splitlines()[1:]}
    lsoas = set(read(wales_dataset, "requests").column("lsoa").to_pylist())
    assert lsoas <= real
    assert len(lsoas) > 1000
