"""``imsk simulate SCENARIO --out DIR``: simulate a service scenario and its variants.

Runs R replications (default 10, in parallel worker processes) of the baseline and of each variant
named in the scenario file, then writes into DIR: ``summary.json`` and ``summary.csv`` (every measure
with its mean and 95 % confidence interval, and the weekly waiting list), ``waiting-list.svg`` (or
``.png``), and ``dataset/<variant>/`` holding replication 1 as the MSK service data set (CSV), which
``imsk validate`` and ``imsk kpi`` read. The same scenario and seed give the same output. Guide:
``docs/simulation.md``.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from imsk.core.errors import ScenarioError
from imsk.dataio.rulesets import load_bundled_ruleset, load_ruleset
from imsk.sim.charts import FORMATS, waiting_list_chart
from imsk.sim.metrics import DEFAULT_ROUTINE_WEEKS
from imsk.sim.runner import simulate_scenario
from imsk.sim.schema import load_scenario
from imsk.sim.summary import VariantSummary, write_summary

_SHOWN = (
    "requests",
    "mean_wait_days",
    "triage_urgent_1wd",
    "triage_routine_3wd",
    "urgent_seen_10wd",
    "routine_seen_within_target",
    "utilisation_5-6",
    "utilisation_7+",
)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "simulate", help="simulate a service scenario (discrete-event)", description=__doc__
    )
    parser.add_argument("scenario", type=Path, metavar="SCENARIO", help="scenario JSON or TOML")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR", help="output folder")
    parser.add_argument("--replications", type=int, default=10, metavar="R")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--workers", type=int, default=2, metavar="N", help="processes (2)")
    parser.add_argument(
        "--routine-weeks",
        type=float,
        default=DEFAULT_ROUTINE_WEEKS,
        metavar="W",
        help="routine target: first contact within W weeks (default 14)",
    )
    parser.add_argument("--no-dataset", action="store_true", help="do not write the data set")
    parser.add_argument("--chart-format", choices=FORMATS, default="svg")
    parser.add_argument("--ruleset", type=Path, metavar="PATH", help="triage rule-set JSON file")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.replications < 1:
        raise ScenarioError("--replications must be 1 or more")
    if args.workers < 1:
        raise ScenarioError("--workers must be 1 or more")
    scenario = load_scenario(args.scenario)
    ruleset = load_ruleset(args.ruleset) if args.ruleset else load_bundled_ruleset()
    out: Path = args.out
    summaries = simulate_scenario(
        scenario,
        ruleset,
        replications=args.replications,
        seed=args.seed,
        workers=args.workers,
        dataset_folder=None if args.no_dataset else out / "dataset",
        routine_weeks=args.routine_weeks,
    )
    header = {
        "scenario": scenario.name,
        "description": scenario.description,
        "replications": args.replications,
        "seed": args.seed,
        "routine_weeks": args.routine_weeks,
        "ruleset": ruleset.version,
        "period": {
            "start": scenario.period.start.isoformat(),
            "weeks": scenario.period.weeks,
            "warmup_weeks": scenario.period.warmup_weeks,
        },
    }
    write_summary(out, header, summaries)
    chart = waiting_list_chart(
        summaries, out / f"waiting-list.{args.chart_format}", f"Waiting list: {scenario.name}"
    )
    _print(summaries)
    print(f"wrote {out / 'summary.json'}, {out / 'summary.csv'}, {chart}")
    return 0


def _print(summaries: list[VariantSummary]) -> None:
    print(f"{'measure':28}" + "".join(f"{s.name[:22]:>24}" for s in summaries))
    for key in _SHOWN:
        cells = []
        for summary in summaries:
            estimate = summary.scalars.get(key)
            if estimate is None:
                cells.append(f"{'-':>24}")
                continue
            spread = (
                "" if estimate.low is None else f" ± {(estimate.high or 0) - estimate.mean:.1f}"
            )
            cells.append(f"{estimate.mean:.1f}{spread}".rjust(24))
        print(f"{key:28}" + "".join(cells))
