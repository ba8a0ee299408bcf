"""Fixtures of the KPI engine tests: every test runs on every engine and from both file forms.

``engine`` lists the engines the suite runs on (DuckDB always; PostgreSQL and Spark will join here,
behind their pytest markers). ``form`` writes the same data set as CSV and as Parquet, which must give
identical results (``shared/spec/dataset.md``, "Physical form").
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from imsk.analytics.kpis.inputs import Level, Period
from imsk.analytics.loading import load_dataset
from imsk.analytics.report import compute_kpis
from tests.analytics.builders import DatasetBuilder

Compute = Callable[..., dict[str, dict[str, Any]]]


@pytest.fixture(params=["duckdb"])
def engine(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(params=["csv", "parquet"])
def form(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def compute(tmp_path: Path, engine: str, form: str) -> Compute:
    """``compute(builder, "2026-03-01", "2026-03-31", by="service")`` -> {group key: kpis}."""
    loaded: dict[str, Any] = {}  # the same rows are written and loaded once per test

    def run(
        builder: DatasetBuilder, start: str, end: str, by: str = "national", kpis: Any = None
    ) -> dict[str, dict[str, Any]]:
        fingerprint = repr(sorted(builder.declared)) + repr(builder.rows)
        if fingerprint not in loaded:
            folder = builder.write(tmp_path / f"data{len(loaded)}", form)
            loaded[fingerprint] = load_dataset(folder, engine)
        dataset = loaded[fingerprint]
        period = Period(date.fromisoformat(start), date.fromisoformat(end))
        report = compute_kpis(dataset, period, Level(by), kpi_ids=kpis)
        return {group["key"]: group["kpis"] for group in report["groups"]}

    return run
