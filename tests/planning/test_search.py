"""Workforce planning: the search finds the least FTE, checked on an analytic M/M/c case."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from imsk.cli import plan as plan_command
from imsk.core.errors import PlanningError
from imsk.dataio.rulesets import load_bundled_ruleset
from imsk.planning import erlang
from imsk.planning.search import Plan, Targets, plan_workforce
from tests.sim.builders import mmc_scenario

ARRIVALS_PER_DAY = 1.5
SERVICE_DAYS = 1.0


@pytest.fixture(scope="module")
def plan() -> Plan:
    scenario = mmc_scenario(ARRIVALS_PER_DAY / 24, SERVICE_DAYS * 1440, 2, weeks=40, warmup_weeks=6)
    targets = Targets(routine_weeks=1 / 7, routine_share=80, urgent_share=95)
    return plan_workforce(
        scenario,
        load_bundled_ruleset(),
        targets,
        replications=6,
        seed=5,
        step=1,
        workers=1,
        curve_points=1,
    )


def test_erlang_c_says_three_servers_are_the_least_for_80_percent_within_one_day() -> None:
    """λ = 1.5/day, μ = 1/day: P(W ≤ 1 day) is 0.610 with 2 servers and 0.947 with 3 (Erlang C)."""
    assert erlang.share_within(ARRIVALS_PER_DAY, 1 / SERVICE_DAYS, 2, 1.0) == pytest.approx(
        0.610, abs=1e-3
    )
    assert erlang.share_within(ARRIVALS_PER_DAY, 1 / SERVICE_DAYS, 3, 1.0) == pytest.approx(
        0.947, abs=1e-3
    )
    assert erlang.least_servers(ARRIVALS_PER_DAY, 1 / SERVICE_DAYS, 1.0, 0.8) == 3


def test_the_planner_finds_the_same_least_number_of_servers_as_erlang_c(plan: Plan) -> None:
    assert plan.bands["5-6"].least_fte == erlang.least_servers(ARRIVALS_PER_DAY, 1.0, 1.0, 0.8)


def test_the_workload_is_the_offered_load(plan: Plan) -> None:
    assert plan.bands["5-6"].workload_fte == pytest.approx(ARRIVALS_PER_DAY * SERVICE_DAYS, rel=0.1)


def test_the_trade_off_curve_brackets_the_answer_and_never_falls_as_fte_rises(plan: Plan) -> None:
    points = plan.bands["5-6"].points
    shares = [p.routine.mean for p in points]
    assert shares == sorted(shares)
    least = plan.bands["5-6"].least_fte
    assert [p.meets for p in points] == [p.fte >= (least or 0) for p in points]
    below = next(p for p in points if p.fte == 2)
    assert below.routine.contains(100 * erlang.share_within(ARRIVALS_PER_DAY, 1.0, 2, 1.0))


def test_a_band_without_demand_meets_its_targets_with_the_smallest_step(plan: Plan) -> None:
    assert plan.bands["7+"].least_fte == 1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"routine_weeks": 0}, "routine_weeks must be above 0"),
        ({"routine_share": 0}, "routine_share must be a percentage"),
        ({"urgent_share": 101}, "urgent_share must be a percentage"),
    ],
)
def test_impossible_targets_are_refused(kwargs: dict[str, float], message: str) -> None:
    with pytest.raises(PlanningError, match=message):
        Targets(**kwargs)


def test_erlang_refuses_an_unstable_queue() -> None:
    with pytest.raises(PlanningError, match="grows without limit"):
        erlang.mean_wait(2.0, 1.0, 2)


def test_plan_command_writes_the_plan_and_the_trade_off_chart(tmp_path: Path) -> None:
    scenario = {
        "period": {"start": "2025-04-01", "weeks": 8, "warmup_weeks": 3},
        "demand": {"requests_per_year": 1200},
        "triage": {"clinician_hours_per_working_day": 1.0},
        "clinics": {"bands": {"5-6": {"fte": 1.0}, "7+": {"fte": 0.5}}},
    }
    path = tmp_path / "s.json"
    path.write_text(json.dumps(scenario), encoding="utf-8")
    parser = argparse.ArgumentParser()
    plan_command.register(parser.add_subparsers())
    args = parser.parse_args(
        [
            "plan",
            str(path),
            "--out",
            str(tmp_path / "out"),
            "--replications",
            "2",
            "--workers",
            "1",
            "--routine-weeks",
            "4",
            "--max-fte",
            "20",
        ]
    )
    assert args.handler(args) == 0
    document = json.loads((tmp_path / "out" / "plan.json").read_text(encoding="utf-8"))
    for band in ("5-6", "7+"):
        least = document["bands"][band]["least_fte"]
        assert least is not None
        met = [p["fte"] for p in document["bands"][band]["points"] if p["meets_targets"]]
        assert min(met) == least
    assert (tmp_path / "out" / "tradeoff.svg").exists()
