"""Time one replication of one health board-year (about 50,000 requests) through ``imsk.sim``.

Target (issue 4): at most 5 s for the simulation of one replication. The scenario is the default one
(50,000 requests a year, 48 FTE at bands 5-6 and 24 at 7+) with the warm-up switched off, so exactly
one year of requests is simulated. Several runs are made; the minimum and median wall and CPU times
are printed (other jobs sharing the cores inflate wall time; CPU time is the steadier figure), then
the time to measure the run and to write it as the data set. Usage::

    .venv/bin/python benchmarks/sim_bench.py            # 5 runs
    .venv/bin/python benchmarks/sim_bench.py --runs 3
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from imsk.dataio.rulesets import load_bundled_ruleset
from imsk.sim.dataset import write_dataset
from imsk.sim.metrics import measure
from imsk.sim.model import simulate
from imsk.sim.schema import scenario_from_mapping

TARGET_SECONDS = 5.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    scenario = scenario_from_mapping({"period": {"weeks": 52, "warmup_weeks": 0}})
    ruleset = load_bundled_ruleset()
    walls, cpus = [], []
    for seed in range(1, args.runs + 1):
        wall, cpu = time.perf_counter(), time.process_time()
        result = simulate(scenario, seed, ruleset)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
        print(
            f"run {seed}: {len(result.requests):,} requests, {len(result.contacts.request):,} "
            f"contacts: {walls[-1]:.2f} s wall, {cpus[-1]:.2f} s CPU"
        )
    start = time.perf_counter()
    measure(result)
    measured = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        rows = write_dataset(result, Path(folder))
        written = time.perf_counter() - start
    print(f"load average: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(
        f"simulate: wall min {min(walls):.2f} s, median {statistics.median(walls):.2f} s; "
        f"CPU min {min(cpus):.2f} s, median {statistics.median(cpus):.2f} s "
        f"(target {TARGET_SECONDS:.0f} s: {'met' if min(walls) <= TARGET_SECONDS else 'NOT met'})"
    )
    print(
        f"measure: {measured:.2f} s; write data set ({sum(rows.values()):,} rows): {written:.2f} s"
    )


if __name__ == "__main__":
    main()
