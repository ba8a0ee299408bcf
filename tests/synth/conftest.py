"""Builders for synthetic data sets: small, seeded, written once per session where shared."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

from imsk.dataio.reference import load_activity_codes, load_condition_codes
from imsk.dataio.rulesets import load_bundled_ruleset
from imsk.synth.config import SynthConfig
from imsk.synth.generator import SynthOptions, SynthResult, generate

# Rates fixed for the mix tests: no per-service variation, so national shares equal the config.
STEADY = dataclasses.replace(SynthConfig(), service_variation=0.0)


def make_dataset(folder: Path, **options: object) -> SynthResult:
    """Generate a data set into ``folder`` with the bundled code lists and triage rule set."""
    return generate(
        folder,
        SynthOptions(**options),  # type: ignore[arg-type]
        condition_codes=load_condition_codes(),
        activity_codes=load_activity_codes(),
        ruleset=load_bundled_ruleset(),
    )


def read(folder: Path, table: str) -> pa.Table:
    """A generated CSV table with every column read as text (as the data set's contract says)."""
    with (folder / f"{table}.csv").open("rb") as handle:
        header = handle.readline().decode("utf-8").strip().split(",")
    names = [name.strip('"') for name in header]
    options = pacsv.ConvertOptions(
        column_types={name: pa.string() for name in names}, strings_can_be_null=True
    )
    return pacsv.read_csv(folder / f"{table}.csv", convert_options=options)


@pytest.fixture(scope="session")
def mix_dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """50,000 requests on the synthetic geography with steady (service-independent) rates."""
    folder = tmp_path_factory.mktemp("synth_mix")
    make_dataset(folder, seed=11, requests=50_000, config=STEADY)
    return folder


@pytest.fixture(scope="session")
def wales_dataset(tmp_path_factory: pytest.TempPathFactory, research_data_dir: Path) -> Path:
    """3,000 requests on the real Welsh LSOAs (reference folder from ``../shared``)."""
    folder = tmp_path_factory.mktemp("synth_wales")
    make_dataset(folder, seed=5, requests=3_000, reference_dir=research_data_dir / "geo")
    return folder
