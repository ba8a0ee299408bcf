"""The KPI engine reads a simulated data set and agrees with the simulator's own measures.

The simulator's ``urgent_seen_10wd`` is defined as 100 minus the KPI catalogue's
``urgent_not_seen_10wd`` (``../shared/spec/kpis.md``), and its weekly ``waiting_list`` as the
``waiting_first_contact`` total, so the two must agree on the same run.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from imsk.cli.main import main
from imsk.dataio.rulesets import load_bundled_ruleset
from imsk.sim.dataset import write_dataset
from imsk.sim.metrics import measure
from imsk.sim.model import simulate
from tests.sim.builders import small_service


def test_kpi_engine_and_simulator_agree_on_urgent_breaches_and_the_waiting_list(
    tmp_path: Path,
) -> None:
    scenario = small_service(demand={"requests_per_year": 6000})
    result = simulate(scenario, 21, load_bundled_ruleset())
    metrics = measure(result)
    write_dataset(result, tmp_path / "data")
    start = scenario.period.start
    end = start + timedelta(weeks=scenario.period.weeks) - timedelta(days=1)
    output = tmp_path / "kpi.json"
    argv = ["kpi", str(tmp_path / "data"), "--from", start.isoformat(), "--to", end.isoformat()]
    assert main([*argv, "--output", str(output)]) == 0
    kpis = json.loads(output.read_text(encoding="utf-8"))["groups"][0]["kpis"]
    breach = kpis["urgent_not_seen_10wd"]
    assert breach["denominator"] > 20
    assert breach["value"] == pytest.approx(100 - metrics.scalars["urgent_seen_10wd"], abs=1e-6)
    assert metrics.week_ending[-1] == end
    waiting = kpis["waiting_first_contact"]["total"]
    assert waiting == pytest.approx(metrics.series["waiting_list"][-1], rel=0.01, abs=2)
