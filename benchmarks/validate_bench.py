"""Benchmark of the data set validator: wall time and peak memory on a synthetic data set.

Writes a simple synthetic data set of N requests (services, requests, condition codes, two contacts
per request, exits for 70 % of requests, one measure per request: half MSK-HQ with random items,
half EQ-5D-5L) with numpy and pyarrow, then validates it and prints the figures. The generator is
deliberately crude and local to this script (the product's generator is ``imsk.synth``).

    .venv/bin/python benchmarks/validate_bench.py                       # 1,000,000 requests
    .venv/bin/python benchmarks/validate_bench.py --requests 10000000 --form parquet
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from imsk.dataio.dataset import validate_dataset

START = np.datetime64("2024-01-01T00:00:00", "s")
SOURCES = np.array(["self", "gp", "primary_care_mdt", "emergency_department", "nhs111"])
CODES = np.array(["BACK.NONSPECIFIC", "KNEE.OA", "SHOULDER.RC", "HIP.OA", "NECK.NONSPECIFIC"])


def _ids(prefix: str, n: int) -> pa.Array:
    return pc.binary_join_element_wise(prefix, pa.array(np.arange(n)).cast(pa.string()), "")


def _text_time(seconds: np.ndarray) -> pa.Array:
    stamps = pa.array((START + seconds.astype("timedelta64[s]")).astype("datetime64[s]"))
    return pc.strftime(stamps, format="%Y-%m-%dT%H:%M:%S")


def _write(folder: Path, name: str, table: pa.Table, form: str) -> None:
    if form == "csv":
        options = pa_csv.WriteOptions(quoting_style="needed")
        pa_csv.write_csv(table, folder / f"{name}.csv", write_options=options)
    else:
        pq.write_table(table, folder / f"{name}.parquet")


def _requests(n: int, rng: np.random.Generator) -> tuple[pa.Table, np.ndarray]:
    received = rng.integers(0, 2 * 365 * 86400, n)
    triaged = received + rng.integers(3600, 5 * 86400, n)
    table = pa.table(
        {
            "request_id": _ids("R", n),
            "person_id": _ids("P", n),
            "service_id": pa.array(np.array(["S0", "S1", "S2"])[rng.integers(0, 3, n)]),
            "received_at": _text_time(received),
            "source": pa.array(SOURCES[rng.integers(1, len(SOURCES), n)]),
            "referrer_practice": pa.array(np.full(n, "W91042")),
            "category": pa.array(np.full(n, "management_opinion")),
            "age": pa.array(rng.integers(16, 95, n)).cast(pa.string()),
            "sex": pa.array(np.array(["female", "male"])[rng.integers(0, 2, n)]),
            "lsoa": pa.array(np.full(n, "W01000123")),
            "deprivation_quintile": pa.array(rng.integers(1, 6, n)).cast(pa.string()),
            "priority": pa.array(np.array(["urgent", "routine"])[rng.integers(0, 2, n)]),
            "triaged_at": _text_time(triaged),
            "pathway": pa.array(np.full(n, "assess_and_support")),
            "band": pa.array(rng.integers(5, 9, n)).cast(pa.string()),
        }
    )
    return table, received


def _measures(n: int, rng: np.random.Generator, received: np.ndarray) -> pa.Table:
    msk = rng.integers(0, 5, (n, 14))
    eq = rng.integers(1, 6, (n, 5))
    is_msk = rng.random(n) < 0.5
    msk_items = [" ".join(map(str, row)) for row in msk[is_msk]]
    eq_items = ["".join(map(str, row)) for row in eq[~is_msk]]
    items = np.empty(n, dtype=object)
    items[is_msk], items[~is_msk] = msk_items, eq_items
    score = np.where(is_msk, msk.sum(axis=1).astype(str), "")
    return pa.table(
        {
            "request_id": _ids("R", n),
            "instrument": pa.array(np.where(is_msk, "msk_hq", "eq5d5l")),
            "timepoint": pa.array(np.full(n, "baseline")),
            "completed_at": _text_time(received + 7 * 86400),
            "items": pa.array(items, pa.string()),
            "score": pa.array(score),
        }
    )


def write_dataset(folder: Path, n: int, form: str, seed: int = 1) -> None:
    """A synthetic data set of ``n`` requests in ``folder``."""
    rng = np.random.default_rng(seed)
    services = pa.table(
        {
            "service_id": ["S0", "S1", "S2"],
            "name": ["North", "East", "South"],
            "health_board": ["7A1", "7A6", "7A5"],
            "nation": ["wales", "wales", "wales"],
        }
    )
    _write(folder, "services", services, form)
    requests, received = _requests(n, rng)
    _write(folder, "requests", requests, form)
    del requests
    codes = pa.table(
        {
            "request_id": _ids("R", n),
            "code": pa.array(CODES[rng.integers(0, len(CODES), n)]),
            "recorded_at": _text_time(received + 86400),
        }
    )
    _write(folder, "condition_codes", codes, form)
    del codes
    owner = np.repeat(np.arange(n), 2)
    contacts = pa.table(
        {
            "contact_id": _ids("C", 2 * n),
            "request_id": pc.binary_join_element_wise("R", pa.array(owner).cast(pa.string()), ""),
            "kind": pa.array(np.tile(np.array(["first", "follow_up"]), n)),
            "scheduled_at": _text_time(
                np.repeat(received, 2) + rng.integers(86400, 90 * 86400, 2 * n)
            ),
            "status": pa.array(np.full(2 * n, "attended")),
            "mode": pa.array(np.full(2 * n, "in_person")),
            "band": pa.array(np.full(2 * n, "6")),
        }
    )
    _write(folder, "contacts", contacts, form)
    del contacts
    exited = np.flatnonzero(rng.random(n) < 0.7)
    exits = pa.table(
        {
            "request_id": pc.binary_join_element_wise("R", pa.array(exited).cast(pa.string()), ""),
            "exited_at": _text_time(received[exited] + 120 * 86400),
            "code": pa.array(np.full(len(exited), "discharged")),
            "window_ends": pa.nulls(len(exited), pa.string()),
            "outcome": pa.array(np.full(len(exited), "resolved")),
        }
    )
    _write(folder, "exits", exits, form)
    del exits
    _write(folder, "measures", _measures(n, rng, received), form)


def _validate(folder: Path) -> int:
    """Validate ``folder`` in this (fresh) process and print time and peak memory."""
    started = time.perf_counter()
    report = validate_dataset(folder)
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows = sum(report.row_counts.values())
    print(
        f"validate            {elapsed:,.1f} s ({rows:,} rows in all, {rows / elapsed:,.0f} rows/s)"
    )
    print(f"peak RSS            {peak:,.0f} MB (the validating process)")
    print(f"findings            {report.error_count:,} errors, {report.warning_count:,} warnings")
    return 0 if report.is_valid else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=1_000_000)
    parser.add_argument("--form", choices=("csv", "parquet"), default="csv")
    parser.add_argument("--keep", type=Path, help="write the data set here and keep it")
    parser.add_argument("--validate-only", type=Path, help="only validate this folder")
    args = parser.parse_args()
    if args.validate_only:
        return _validate(args.validate_only)
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        write_dataset(folder, args.requests, args.form)
        written = time.perf_counter() - started
        size = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
        print(f"requests            {args.requests:,} ({args.form}, {size:,.0f} MB on disk)")
        print(f"write               {written:,.1f} s", flush=True)
        command = [sys.executable, __file__, "--validate-only", str(folder)]
        return subprocess.run(command, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
