"""``imsk plan SCENARIO --out DIR``: the least FTE by band that meets waiting-time targets.

The scenario's ``changes`` are the demand forecast (e.g. ``demand_growth_pct``); its variants are
ignored. Targets: ``--routine-share`` % of routine requests with a first contact within
``--routine-weeks`` weeks, and ``--urgent-share`` % of urgent requests within 10 working days (Wales
specification 2.3). The search runs the simulation with common random numbers (method:
``docs/workforce-planning.md``) and writes ``plan.json`` and the trade-off chart ``tradeoff.svg``
(FTE against % within target) into DIR.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from imsk.dataio.rulesets import load_bundled_ruleset, load_ruleset
from imsk.planning.charts import tradeoff_chart
from imsk.planning.search import Plan, Targets, plan_workforce
from imsk.sim.charts import FORMATS
from imsk.sim.schema import load_scenario


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "plan", help="least FTE by band meeting waiting-time targets", description=__doc__
    )
    parser.add_argument("scenario", type=Path, metavar="SCENARIO", help="scenario JSON or TOML")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR", help="output folder")
    parser.add_argument("--routine-weeks", type=float, default=6.0, metavar="W")
    parser.add_argument("--routine-share", type=float, default=90.0, metavar="PCT")
    parser.add_argument("--urgent-share", type=float, default=95.0, metavar="PCT")
    parser.add_argument("--replications", type=int, default=5, metavar="R")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--step", type=float, default=0.5, metavar="FTE", help="FTE grid (0.5)")
    parser.add_argument("--max-fte", type=float, default=500.0, metavar="FTE")
    parser.add_argument("--workers", type=int, default=2, metavar="N")
    parser.add_argument("--chart-format", choices=FORMATS, default="svg")
    parser.add_argument("--ruleset", type=Path, metavar="PATH", help="triage rule-set JSON file")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    targets = Targets(args.routine_weeks, args.routine_share, args.urgent_share)
    scenario = load_scenario(args.scenario)
    ruleset = load_ruleset(args.ruleset) if args.ruleset else load_bundled_ruleset()
    plan = plan_workforce(
        scenario,
        ruleset,
        targets,
        replications=args.replications,
        seed=args.seed,
        step=args.step,
        workers=args.workers,
        max_fte=args.max_fte,
    )
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    document = {"scenario": scenario.name, **plan.as_dict()}
    (out / "plan.json").write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    chart = tradeoff_chart(plan, out / f"tradeoff.{args.chart_format}")
    _print(plan)
    print(f"wrote {out / 'plan.json'}, {chart}")
    return 0


def _print(plan: Plan) -> None:
    for group, band in plan.bands.items():
        answer = (
            "not attainable up to --max-fte" if band.least_fte is None else f"{band.least_fte:g}"
        )
        print(
            f"band {group}: workload {band.workload_fte:.1f} FTE; least FTE meeting targets: {answer}"
        )
