"""The three file forms of one data set give identical reports: CSV, Parquet with native types (what
``imsk synth --format parquet`` writes) and Parquet with text columns written like the CSV cells
(``shared/spec/dataset.md``, "Physical form"). Native Parquet is read in place; text is parsed once.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from imsk.analytics.engine import engine_named
from imsk.analytics.kpis.inputs import Level, Period
from imsk.analytics.loading import reads_in_place
from imsk.analytics.report import compute_kpis, prepare_inputs
from imsk.analytics.schema import TABLES
from imsk.core.errors import DatasetError
from imsk.dataio.reference import load_activity_codes, load_condition_codes
from imsk.dataio.rulesets import load_bundled_ruleset
from imsk.synth.generator import SynthOptions, generate
from tests.analytics.conftest import Load

PERIOD = Period(date(2025, 4, 1), date(2026, 3, 31))


def _synth(folder: Path, file_format: str) -> Path:
    generate(
        folder,
        SynthOptions(seed=6, requests=3_000, file_format=file_format),
        condition_codes=load_condition_codes(),
        activity_codes=load_activity_codes(),
        ruleset=load_bundled_ruleset(),
    )
    return folder


def _text_parquet(csv_folder: Path, folder: Path) -> Path:
    """Every CSV table rewritten as Parquet whose columns are all text, cell for cell."""
    folder.mkdir()
    for name in TABLES:
        path = csv_folder / f"{name}.csv"
        if not path.is_file():
            continue
        with path.open(encoding="utf-8") as handle:
            header = [name.strip('"') for name in handle.readline().strip().split(",")]
        options = pacsv.ConvertOptions(
            column_types=dict.fromkeys(header, pa.string()), strings_can_be_null=False
        )
        table = pacsv.read_csv(path, convert_options=options)
        assert set(table.schema.types) == {pa.string()}, name
        pq.write_table(table, folder / f"{name}.parquet")
    return folder


@pytest.fixture(scope="module")
def forms(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("forms")
    csv_folder = _synth(root / "csv", "csv")
    return {
        "csv": csv_folder,
        "native_parquet": _synth(root / "native", "parquet"),
        "text_parquet": _text_parquet(csv_folder, root / "text"),
    }


def _reports(load: Load, folder: Path) -> list[dict[str, Any]]:
    dataset = load(folder)
    inputs = prepare_inputs(dataset, PERIOD)
    return [compute_kpis(dataset, PERIOD, level, inputs=inputs) for level in Level]


def test_native_and_text_parquet_and_csv_give_identical_reports_at_every_level(
    load: Load, forms: dict[str, Path]
) -> None:
    native = _reports(load, forms["native_parquet"])
    national = native[0]["groups"][0]["kpis"]
    assert sum(national["requests_by_source"].values()) > 1_000  # real numbers, not empties
    assert national["first_contacts_attended"] > 0
    assert national["msk_hq_mcid_achieved"]["denominator"] > 0
    assert _reports(load, forms["text_parquet"]) == native
    assert _reports(load, forms["csv"]) == native


def test_synth_parquet_holds_native_types_and_is_read_in_place(forms: dict[str, Path]) -> None:
    schema = pq.read_schema(forms["native_parquet"] / "requests.parquet")
    assert schema.field("received_at").type == pa.timestamp("us")
    assert schema.field("age").type == pa.int64()
    assert (
        pq.read_schema(forms["native_parquet"] / "exits.parquet").field("window_ends").type
        == pa.date32()
    )
    duckdb = engine_named("duckdb")
    backend = duckdb.connect(None)
    for form, expected in (("native_parquet", True), ("text_parquet", False)):
        raw = duckdb.read_raw(backend, f"raw_{form}", forms[form] / "requests.parquet")
        assert reads_in_place(raw, TABLES["requests"]) is expected, form


def test_a_bad_text_timestamp_in_parquet_is_reported_at_load_naming_the_table(
    load: Load, forms: dict[str, Path], tmp_path: Path
) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    for path in forms["text_parquet"].iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    exits = pq.read_table(folder / "exits.parquet")
    stamps = exits.column("exited_at").to_pylist()
    stamps[1] = "2025-02-30T10:00"
    exits = exits.set_column(exits.schema.get_field_index("exited_at"), "exited_at", [stamps])
    pq.write_table(exits, folder / "exits.parquet")
    with pytest.raises(DatasetError, match="table exits has a value that cannot be read"):
        load(folder)
