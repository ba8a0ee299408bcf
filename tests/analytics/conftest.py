"""Fixtures of the KPI engine tests: every test runs on every engine and from both file forms.

``engine`` runs the suite on DuckDB always, and on PostgreSQL and Spark behind their pytest markers
(``-m "not spark"`` leaves Spark out). One connection per engine is opened for the whole session
(Spark allows one session per process anyway); each test's data set gets its own tables in it and
drops them afterwards. ``form`` writes the same data set as CSV and as Parquet, which must give
identical results (``shared/spec/dataset.md``, "Physical form").

PostgreSQL is found at ``$IMSK_TEST_DATABASE_URL`` or ``postgresql://postgres@127.0.0.1:5432/
imsk_analytics_test`` (the database is created when missing); when it cannot be reached, or PySpark
is not installed, those tests are skipped with the reason.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from imsk.analytics.engine import engine_named
from imsk.analytics.kpis.inputs import KpiInputs, Level, Period
from imsk.analytics.loading import Dataset, load_dataset
from imsk.analytics.report import compute_kpis, prepare_inputs
from imsk.core.errors import DatasetError
from tests.analytics.builders import DatasetBuilder

Compute = Callable[..., dict[str, dict[str, Any]]]
Load = Callable[[Path], Dataset]

TEST_DATABASE_URL = os.environ.get(
    "IMSK_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/imsk_analytics_test"
)
ENGINE_URLS: dict[str, str | None] = {"duckdb": None, "postgres": TEST_DATABASE_URL, "spark": None}


@pytest.fixture(scope="session")
def engine_backends() -> Iterator[dict[str, Any]]:
    """One open connection per engine, made on first use and shared by the whole session."""
    opened: dict[str, Any] = {}
    yield opened
    for backend in opened.values():
        disconnect = getattr(backend, "disconnect", None)
        if callable(disconnect) and not hasattr(backend, "_session"):  # Spark: keep the JVM
            disconnect()


def _backend(engine: str, opened: dict[str, Any]) -> Any:
    if engine not in opened:
        if engine == "spark":
            pytest.importorskip("pyspark", reason="PySpark is not installed")
        try:
            opened[engine] = engine_named(engine).connect(ENGINE_URLS[engine])
        except DatasetError as error:
            pytest.skip(f"{engine} is not available: {error}")
    return opened[engine]


@pytest.fixture(
    params=[
        "duckdb",
        pytest.param("postgres", marks=pytest.mark.postgres),
        pytest.param("spark", marks=pytest.mark.spark),
    ]
)
def engine(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(params=["csv", "parquet"])
def form(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def load(engine: str, engine_backends: dict[str, Any]) -> Iterator[Load]:
    """``load(folder)``: the data set folder loaded into the session's ``engine`` connection."""
    backend = _backend(engine, engine_backends)
    loaded: list[Dataset] = []

    def run(folder: Path) -> Dataset:
        dataset = load_dataset(folder, engine, backend=backend)
        loaded.append(dataset)
        return dataset

    yield run
    for dataset in loaded:
        dataset.close()


@pytest.fixture
def compute(tmp_path: Path, load: Load, form: str) -> Compute:
    """``compute(builder, "2026-03-01", "2026-03-31", by="service")`` -> {group key: kpis}."""
    loaded: dict[str, Any] = {}  # the same rows are written and loaded once per test
    prepared: dict[tuple[str, str, str], KpiInputs] = {}  # and their derived tables made once

    def run(
        builder: DatasetBuilder, start: str, end: str, by: str = "national", kpis: Any = None
    ) -> dict[str, dict[str, Any]]:
        fingerprint = repr(sorted(builder.declared)) + repr(builder.rows)
        if fingerprint not in loaded:
            folder = builder.write(tmp_path / f"data{len(loaded)}", form)
            loaded[fingerprint] = load(folder)
        dataset = loaded[fingerprint]
        period = Period(date.fromisoformat(start), date.fromisoformat(end))
        key = (fingerprint, start, end)
        if key not in prepared:
            prepared[key] = prepare_inputs(dataset, period)
        report = compute_kpis(dataset, period, Level(by), kpi_ids=kpis, inputs=prepared[key])
        return {group["key"]: group["kpis"] for group in report["groups"]}

    return run
