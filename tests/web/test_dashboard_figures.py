"""The dashboard's adapter to the KPI engine: a period's report and trend share one load."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from imsk.analytics import loading
from imsk.analytics.kpis.inputs import Period
from imsk.web.dashboard import figures
from tests.web.test_dashboard_builders import write_dataset

PERIOD = Period(date(2025, 4, 1), date(2025, 9, 30))


def _counting_loads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    loads: list[Path] = []
    real = loading.load_dataset

    def load(folder: Path, *args: Any, **kwargs: Any) -> loading.Dataset:
        loads.append(folder)
        return real(folder, *args, **kwargs)

    monkeypatch.setattr(figures, "load_dataset", load)
    return loads


def test_within_one_load_the_report_and_the_trend_read_one_loaded_data_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_dataset(tmp_path / "data")
    apart_reports = figures.compute_reports(folder, PERIOD)
    apart_trends = figures.compute_trends(folder, PERIOD.end)
    loads = _counting_loads(monkeypatch)
    with figures.one_load(folder):
        reports = figures.compute_reports(folder, PERIOD)
        trends = figures.compute_trends(folder, PERIOD.end)
    assert loads == [folder]
    assert reports == apart_reports
    assert trends == apart_trends


def test_outside_one_load_each_computation_loads_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_dataset(tmp_path / "data")
    loads = _counting_loads(monkeypatch)
    figures.compute_reports(folder, PERIOD)
    figures.compute_reports(folder, PERIOD)
    assert loads == [folder, folder]
