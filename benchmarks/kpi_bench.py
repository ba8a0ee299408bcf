"""Benchmark of the KPI engine: every KPI at every level, per engine, wall time and peak memory.

Usage::

    .venv/bin/python benchmarks/kpi_bench.py --requests 1000000 --pandas      # imsk synth data
    .venv/bin/python benchmarks/kpi_bench.py --requests 100000 --engine postgres --engine spark
    .venv/bin/python benchmarks/kpi_bench.py --data PATH/TO/DATASET --repeat 3

The data set comes from the product's generator (``imsk synth --format parquet``), or with
``--generator random`` from the crude random generator below (right shape, not clinically
realistic); ``--data`` measures a given folder. Each measurement runs in a fresh process, so peak
RSS is that run's alone (for Spark and PostgreSQL the engine's own process is not included). For each
engine the figures are: load (files into the engine's typed tables), prepare (calendar, scored
items), then every KPI at national, health board and service level with the same inputs: the first
level pays for the derived per-request facts and the sums per service, the others roll up. ``cpu``
is the process's user + system CPU time (the engine's threads included for DuckDB).

``--pandas`` also times a plain pandas implementation of a subset of the KPIs at national level
(``benchmarks/kpi_pandas.py``), checks it equals the engine's numbers, and prints the ratios.

The machine is shared: other jobs may run at the same time, so use ``--repeat`` and read the
minimum and the median.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

START = np.datetime64("2025-01-01T00:00", "m")
MINUTES = 2 * 365 * 24 * 60
SOURCES = [
    "self",
    "gp",
    "primary_care_mdt",
    "urgent_primary_care",
    "minor_injury_unit",
    "emergency_department",
    "nhs111",
    "subspecialty",
    "other",
]
PATHWAYS = [
    "self_management",
    "assess_and_support",
    "supported_high_risk",
    "subspecialty",
    "redirected",
]
GROUPS = ["BACK.NONSPECIFIC", "KNEE.OA", "HIP.OA", "SHOULDER.RC", "NECK.NONSPECIFIC"]
STATUSES = [
    "attended",
    "attended",
    "attended",
    "did_not_attend",
    "patient_cancelled",
    "service_cancelled",
    "booked",
]
EXIT_CODES = ["discharged", "see_on_symptom", "patient_initiated_follow_up", "transferred", "other"]


def _ts(values: np.ndarray) -> pa.Array:
    return pa.array(values.astype("datetime64[s]"), pa.timestamp("s"))


def _pick(rng: np.random.Generator, options: list[str], n: int) -> pa.Array:
    return pa.array(np.array(options, dtype=object)[rng.integers(0, len(options), n)], pa.string())


def generate(folder: Path, n: int, seed: int = 7) -> None:
    """Write a random data set of ``n`` requests to ``folder`` (Parquet)."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    services = [f"S{i:02d}" for i in range(21)]
    boards = [f"7A{1 + i % 7}" for i in range(21)]
    pq.write_table(
        pa.table(
            {
                "service_id": services,
                "name": services,
                "health_board": boards,
                "nation": ["wales"] * 21,
            }
        ),
        folder / "services.parquet",
    )
    ids = np.char.add("R", np.arange(n).astype(str)).astype(object)
    received = START + rng.integers(0, MINUTES, n).astype("timedelta64[m]")
    triaged_ok = rng.random(n) < 0.9
    triaged = received + rng.integers(10, 6 * 24 * 60, n).astype("timedelta64[m]")
    quintile = rng.integers(1, 6, n).astype(float)
    quintile[rng.random(n) < 0.05] = np.nan
    pq.write_table(
        pa.table(
            {
                "request_id": pa.array(ids, pa.string()),
                "person_id": pa.array(
                    np.char.add("P", rng.integers(0, int(n * 0.8), n).astype(str)), pa.string()
                ),
                "service_id": _pick(rng, services, n),
                "received_at": _ts(received),
                "source": _pick(rng, SOURCES, n),
                "referrer_practice": pa.nulls(n, pa.string()),
                "category": pa.array(["rehabilitation_intervention"] * n, pa.string()),
                "age": pa.array(rng.integers(16, 95, n)),
                "sex": _pick(rng, ["female", "male"], n),
                "lsoa": pa.nulls(n, pa.string()),
                "deprivation_quintile": pa.array(quintile, pa.float64(), from_pandas=True).cast(
                    pa.int64()
                ),
                "priority": pa.array(
                    np.where(triaged_ok, np.where(rng.random(n) < 0.15, "urgent", "routine"), None),
                    pa.string(),
                ),
                "triaged_at": pa.array(
                    np.where(triaged_ok, triaged.astype("datetime64[s]"), np.datetime64("NaT")),
                    pa.timestamp("s"),
                ),
                "pathway": pa.array(
                    np.where(
                        triaged_ok, np.array(PATHWAYS, dtype=object)[rng.integers(0, 5, n)], None
                    ),
                    pa.string(),
                ),
                "band": pa.array(rng.integers(5, 9, n)),
            }
        ),
        folder / "requests.parquet",
    )
    code_rows = rng.integers(0, n, int(n * 1.2))
    pq.write_table(
        pa.table(
            {
                "request_id": pa.array(ids[code_rows], pa.string()),
                "code": _pick(rng, GROUPS, len(code_rows)),
                "recorded_at": _ts(
                    received[code_rows]
                    + rng.integers(0, 20 * 24 * 60, len(code_rows)).astype("timedelta64[m]")
                ),
            }
        ),
        folder / "condition_codes.parquet",
    )
    contact_rows = rng.integers(0, n, int(n * 3))
    pq.write_table(
        pa.table(
            {
                "contact_id": pa.array(
                    np.char.add("C", np.arange(len(contact_rows)).astype(str)), pa.string()
                ),
                "request_id": pa.array(ids[contact_rows], pa.string()),
                "kind": _pick(rng, ["first", "follow_up", "follow_up"], len(contact_rows)),
                "scheduled_at": _ts(
                    received[contact_rows]
                    + rng.integers(1, 120 * 24 * 60, len(contact_rows)).astype("timedelta64[m]")
                ),
                "status": _pick(rng, STATUSES, len(contact_rows)),
                "mode": _pick(rng, ["in_person", "video", "telephone"], len(contact_rows)),
                "band": pa.array(rng.integers(5, 9, len(contact_rows))),
            }
        ),
        folder / "contacts.parquet",
    )
    exited = rng.random(n) < 0.8
    exit_at = received[exited] + rng.integers(1, 200 * 24 * 60, exited.sum()).astype(
        "timedelta64[m]"
    )
    pq.write_table(
        pa.table(
            {
                "request_id": pa.array(ids[exited], pa.string()),
                "exited_at": _ts(exit_at),
                "code": _pick(rng, EXIT_CODES, int(exited.sum())),
                "window_ends": pa.nulls(int(exited.sum()), pa.date32()),
                "outcome": _pick(rng, ["resolved", "living_well", "other"], int(exited.sum())),
            }
        ),
        folder / "exits.parquet",
    )
    exited_ids = ids[exited]
    half = exited_ids[: len(exited_ids) // 2]
    items = [" ".join(str(v) for v in rng.integers(0, 5, 14)) for _ in range(2000)]
    m = len(half)
    fft_n = m // 2
    pq.write_table(
        pa.table(
            {
                "request_id": pa.array(np.concatenate([half, half, half[:fft_n]]), pa.string()),
                "instrument": pa.array(["msk_hq"] * (2 * m) + ["fft"] * fft_n, pa.string()),
                "timepoint": pa.array(
                    ["baseline"] * m + ["discharge"] * m + ["discharge"] * fft_n, pa.string()
                ),
                "completed_at": _ts(
                    np.concatenate([received[exited][:m], exit_at[:m], exit_at[:fft_n]])
                ),
                "items": pa.array(
                    [items[i] for i in rng.integers(0, 2000, 2 * m)]
                    + [str(v) for v in rng.integers(1, 7, fft_n)],
                    pa.string(),
                ),
                "score": pa.nulls(2 * m + fft_n, pa.float64()),
            }
        ),
        folder / "measures.parquet",
    )
    act_rows = rng.integers(0, n, n // 2)
    pq.write_table(
        pa.table(
            {
                "request_id": pa.array(ids[act_rows], pa.string()),
                "contact_id": pa.nulls(len(act_rows), pa.string()),
                "code": _pick(
                    rng, ["INV.XRAY", "INV.MRI", "INV.BLOODS", "INT.ADVICE"], len(act_rows)
                ),
                "recorded_at": _ts(
                    received[act_rows]
                    + rng.integers(0, 60 * 24 * 60, len(act_rows)).astype("timedelta64[m]")
                ),
            }
        ),
        folder / "activities.parquet",
    )
    ref_rows = rng.integers(0, n, n // 20)
    converted = rng.random(len(ref_rows))
    pq.write_table(
        pa.table(
            {
                "referral_id": pa.array(
                    np.char.add("O", np.arange(len(ref_rows)).astype(str)), pa.string()
                ),
                "request_id": pa.array(ids[ref_rows], pa.string()),
                "referred_at": _ts(
                    received[ref_rows]
                    + rng.integers(0, 60 * 24 * 60, len(ref_rows)).astype("timedelta64[m]")
                ),
                "subspecialty": _pick(rng, ["orthopaedics", "spinal"], len(ref_rows)),
                "route": _pick(rng, ["direct", "interface_clinic"], len(ref_rows)),
                "converted": pa.array(np.where(converted < 0.2, None, converted < 0.6), pa.bool_()),
            }
        ),
        folder / "onward_referrals.parquet",
    )
    months = [f"{y}-{m:02d}" for y in (2025, 2026) for m in range(1, 13)]
    pq.write_table(
        pa.table(
            {
                "service_id": pa.array([s for s in services for _ in months], pa.string()),
                "month": pa.array(months * len(services), pa.string()),
                "staffing": pa.array(rng.uniform(50_000, 90_000, len(months) * len(services))),
                "consumables": pa.array(rng.uniform(1_000, 5_000, len(months) * len(services))),
            }
        ),
        folder / "costs.parquet",
    )
    pq.write_table(
        pa.table(
            {
                "health_board": pa.array(
                    [b for b in sorted(set(boards)) for _ in range(5)], pa.string()
                ),
                "deprivation_quintile": pa.array(list(range(1, 6)) * 7, pa.int64()),
                "population": pa.array(rng.integers(50_000, 150_000, 35)),
            }
        ),
        folder / "population.parquet",
    )


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measure(folder: Path, start: date, end: date, engine: str, url: str | None) -> dict[str, float]:
    """Load once, then every KPI at every level; seconds per step and peak RSS (MiB)."""
    from imsk.analytics.kpis.inputs import Level, Period
    from imsk.analytics.loading import load_dataset
    from imsk.analytics.report import compute_kpis, prepare_inputs

    figures: dict[str, float] = {}
    began, cpu = time.perf_counter(), _cpu_s()
    dataset = load_dataset(folder, engine, url)
    figures["load_s"] = time.perf_counter() - began
    period = Period(start, end)
    began = time.perf_counter()
    kpis_began, kpis_cpu = began, _cpu_s()
    inputs = prepare_inputs(dataset, period)
    figures["prepare_s"] = time.perf_counter() - began
    for level in Level:
        began = time.perf_counter()
        compute_kpis(dataset, period, level, inputs=inputs)
        figures[f"{level.value}_s"] = time.perf_counter() - began
    figures["all_kpis_3_levels_s"] = time.perf_counter() - kpis_began
    figures["all_kpis_3_levels_cpu_s"] = _cpu_s() - kpis_cpu
    figures["load_and_kpis_s"] = figures["all_kpis_3_levels_s"] + figures["load_s"]
    figures["total_cpu_s"] = _cpu_s() - cpu
    figures["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    dataset.close()
    return figures


def measure_pandas(folder: Path, start: date, end: date) -> dict[str, float]:
    """The pandas subset vs the engine (DuckDB) on the same subset, both from the files."""
    from kpi_pandas import PANDAS_KPIS, matches, pandas_kpis

    from imsk.analytics.kpis.inputs import Level, Period
    from imsk.analytics.loading import load_dataset
    from imsk.analytics.report import compute_kpis

    began = time.perf_counter()
    theirs = pandas_kpis(folder, start, end)
    pandas_s = time.perf_counter() - began
    began = time.perf_counter()
    dataset = load_dataset(folder)
    loaded_s = time.perf_counter() - began
    report = compute_kpis(dataset, Period(start, end), Level.NATIONAL, kpi_ids=PANDAS_KPIS)
    engine_s = time.perf_counter() - began
    differ = matches(report["groups"][0]["kpis"], theirs)
    if differ:
        raise SystemExit(f"pandas and the engine disagree on: {', '.join(differ)}")
    return {
        "pandas_subset_s": pandas_s,
        "duckdb_subset_s": engine_s,
        "duckdb_subset_kpis_only_s": engine_s - loaded_s,
        "ratio_end_to_end": pandas_s / engine_s,
        "kpis_checked_equal": float(len(PANDAS_KPIS)),
    }


def _synth(folder: Path, n: int) -> None:
    options = ["--requests", str(n), "--format", "parquet", "--seed", "1", "--quiet"]
    subprocess.run(
        [sys.executable, "-m", "imsk.cli.main", "synth", str(folder), *options], check=True
    )


def _run(args: argparse.Namespace, folder: Path, *extra: str) -> dict[str, float]:
    command = [sys.executable, __file__, "--data", str(folder), "--from", args.start]
    command += ["--to", args.end, *extra]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent)}
    if args.memory_limit:
        env["IMSK_DUCKDB_MEMORY_LIMIT"] = args.memory_limit
    done = subprocess.run(command, check=True, capture_output=True, text=True, env=env)
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def _print(title: str, runs: list[dict[str, float]]) -> None:
    print(f"\n{title} ({len(runs)} run(s): min / median)")
    for name in runs[0]:
        values = [run[name] for run in runs]
        print(f"  {name:<28} {min(values):10.2f} {statistics.median(values):10.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="a data set folder (default: generate one)")
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--generator", choices=("synth", "random"), default="synth")
    parser.add_argument("--from", dest="start", default="2025-04-01")
    parser.add_argument("--to", dest="end", default="2026-03-31")
    parser.add_argument("--engine", action="append", dest="engines", metavar="NAME")
    parser.add_argument("--repeat", type=int, default=1, help="runs per engine (min and median)")
    parser.add_argument("--pandas", action="store_true", help="also the pandas subset and ratio")
    parser.add_argument(
        "--memory-limit", metavar="SIZE", help="DuckDB memory limit, e.g. 3GB (spills beyond it)"
    )
    parser.add_argument(
        "--on-disk", action="store_true", help="DuckDB keeps the tables in a database file"
    )
    parser.add_argument("--duckdb-file", help=argparse.SUPPRESS)
    parser.add_argument("--measure-only", metavar="ENGINE", help=argparse.SUPPRESS)
    parser.add_argument("--pandas-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    start, end = date.fromisoformat(args.start), date.fromisoformat(args.end)
    if args.measure_only:
        url = args.duckdb_file if args.measure_only == "duckdb" else None
        print(json.dumps(measure(args.data, start, end, args.measure_only, url)))
        return 0
    if args.pandas_only:
        print(json.dumps(measure_pandas(args.data, start, end)))
        return 0
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.data
        if folder is None:
            folder = Path(scratch) / "dataset"
            began = time.perf_counter()
            (_synth if args.generator == "synth" else generate)(folder, args.requests)
            print(
                f"generated {args.requests:,} requests ({args.generator}) in "
                f"{time.perf_counter() - began:.1f} s"
            )
        for engine in args.engines or ["duckdb"]:
            runs = []
            for run in range(args.repeat):
                extra = ["--measure-only", engine]
                if args.on_disk:
                    extra += ["--duckdb-file", str(Path(scratch) / f"kpi{run}.duckdb")]
                runs.append(_run(args, folder, *extra))
            _print(f"{engine}: every KPI at every level", runs)
        if args.pandas:
            runs = [_run(args, folder, "--pandas-only") for _ in range(args.repeat)]
            _print("pandas subset vs duckdb (national level, from the files)", runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
