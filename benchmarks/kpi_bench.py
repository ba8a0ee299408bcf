"""Benchmark of the KPI engine: every KPI at every level on DuckDB, wall time and peak memory.

Usage::

    .venv/bin/python benchmarks/kpi_bench.py --requests 100000            # generate, then measure
    .venv/bin/python benchmarks/kpi_bench.py --data PATH/TO/DATASET       # measure a given folder
    .venv/bin/python benchmarks/kpi_bench.py --requests 1000000 --pandas  # also the pandas ratio

The generated data set is simple random data of the right shape (Parquet, Wales services), made
here so the benchmark does not depend on the synthetic generator; it is not clinically realistic.
Each measurement runs in a fresh process so peak RSS is the KPI run's alone. Validation is not
timed (``imsk validate`` has its own cost).
"""

from __future__ import annotations

import argparse
import json
import resource
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


def measure(folder: Path, start: date, end: date, with_pandas: bool) -> dict[str, float]:
    """Load once, then every KPI at every level; seconds per step and peak RSS (MiB)."""
    from imsk.analytics.kpis.inputs import Level, Period
    from imsk.analytics.loading import load_dataset
    from imsk.analytics.report import compute_kpis, prepare_inputs

    figures: dict[str, float] = {}
    began = time.perf_counter()
    dataset = load_dataset(folder)
    figures["load_s"] = time.perf_counter() - began
    period = Period(start, end)
    began = time.perf_counter()
    inputs = prepare_inputs(dataset, period)
    figures["prepare_s"] = time.perf_counter() - began
    for level in Level:
        began = time.perf_counter()
        compute_kpis(dataset, period, level, inputs=inputs)
        figures[f"all_kpis_{level.value}_s"] = time.perf_counter() - began
    if with_pandas:
        figures.update(_pandas_ratio(folder, dataset, period, inputs))
    figures["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return figures


PANDAS_KPIS = ["requests_by_source", "new_patient_dna_rate", "exits_by_code"]


def _pandas_ratio(
    folder: Path, dataset: object, period: object, inputs: object
) -> dict[str, float]:
    """The same three simple national KPIs in plain pandas (reading the files) vs the engine."""
    import pandas as pd

    from imsk.analytics.kpis.inputs import Level
    from imsk.analytics.report import compute_kpis

    start, end = pd.Timestamp(period.start), pd.Timestamp(period.end)  # type: ignore[attr-defined]
    began = time.perf_counter()
    requests = pd.read_parquet(
        folder / "requests.parquet", columns=["request_id", "received_at", "source"]
    )
    received = requests[requests.received_at.dt.normalize().between(start, end)]
    by_source = received.source.value_counts().to_dict()
    contacts = pd.read_parquet(
        folder / "contacts.parquet", columns=["kind", "status", "scheduled_at"]
    )
    first = contacts[
        (contacts.kind == "first") & contacts.scheduled_at.dt.normalize().between(start, end)
    ]
    cohort = first[first.status.isin(["attended", "did_not_attend"])]
    dna = (int((cohort.status == "did_not_attend").sum()), len(cohort))
    exits = pd.read_parquet(folder / "exits.parquet", columns=["exited_at", "code"])
    by_code = (
        exits[exits.exited_at.dt.normalize().between(start, end)].code.value_counts().to_dict()
    )
    pandas_s = time.perf_counter() - began
    began = time.perf_counter()
    engine = compute_kpis(dataset, period, Level.NATIONAL, kpi_ids=PANDAS_KPIS, inputs=inputs)  # type: ignore[arg-type]
    engine_s = time.perf_counter() - began
    kpis = engine["groups"][0]["kpis"]
    assert kpis["new_patient_dna_rate"]["numerator"] == dna[0], "pandas and the engine disagree"
    assert {k: v for k, v in kpis["requests_by_source"].items() if v} == by_source
    assert {k: v for k, v in kpis["exits_by_code"].items() if v} == by_code
    return {"pandas_3_kpis_s": pandas_s, "engine_3_kpis_s": engine_s}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="a data set folder (default: generate one)")
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--from", dest="start", default="2025-04-01")
    parser.add_argument("--to", dest="end", default="2026-03-31")
    parser.add_argument("--pandas", action="store_true", help="also time three KPIs in pandas")
    parser.add_argument("--measure-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    start, end = date.fromisoformat(args.start), date.fromisoformat(args.end)
    if args.measure_only:
        print(json.dumps(measure(args.data, start, end, args.pandas)))
        return 0
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.data
        if folder is None:
            folder = Path(scratch) / "dataset"
            began = time.perf_counter()
            generate(folder, args.requests)
            print(f"generated {args.requests:,} requests in {time.perf_counter() - began:.1f} s")
        command = [
            sys.executable,
            __file__,
            "--data",
            str(folder),
            "--from",
            args.start,
            "--to",
            args.end,
            "--measure-only",
        ] + (["--pandas"] if args.pandas else [])
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    for name, value in json.loads(output.strip().splitlines()[-1]).items():
        print(f"{name:<28} {value:10.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
