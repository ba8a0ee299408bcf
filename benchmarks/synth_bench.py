"""Time ``imsk synth`` at 1 million and 10 million requests (wall time, CPU time, peak RSS, disk).

Each size runs in a fresh child process (so peak RSS is that run's own), writing into a temporary
folder that is deleted afterwards. Usage::

    .venv/bin/python benchmarks/synth_bench.py                 # 1M and 10M, CSV
    .venv/bin/python benchmarks/synth_bench.py --sizes 1000000 --format parquet

Target (issue 4): 10 million requests with their contacts and measures in at most 60 s on 2 cores.
Machine load from other processes inflates wall time; the CPU seconds are printed beside it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from imsk.dataio.reference import load_activity_codes, load_condition_codes
from imsk.dataio.rulesets import load_bundled_ruleset
from imsk.synth.generator import SynthOptions, generate

size, folder, file_format, reference = int(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], sys.argv[4]
started = time.perf_counter()
result = generate(
    folder,
    SynthOptions(
        seed=1, requests=size, file_format=file_format,
        reference_dir=Path(reference) if reference else None,
    ),
    condition_codes=load_condition_codes(),
    activity_codes=load_activity_codes(),
    ruleset=load_bundled_ruleset(),
)
wall = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({
    "wall_s": wall,
    "cpu_s": usage.ru_utime + usage.ru_stime,
    "peak_rss_mb": usage.ru_maxrss / 1024,
    "rows": result.rows,
    "triage_combinations": result.triage_combinations,
}))
"""


def run_one(size: int, file_format: str, reference: str) -> dict[str, object]:
    folder = Path(tempfile.mkdtemp(prefix="imsk-synth-bench-"))
    try:
        done = subprocess.run(
            [sys.executable, "-c", CHILD, str(size), str(folder / "out"), file_format, reference],
            check=True,
            capture_output=True,
            text=True,
        )
        figures: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
        figures["disk_mb"] = sum(p.stat().st_size for p in (folder / "out").iterdir()) / 1e6
        return figures
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default="1000000,10000000", help="comma-separated request counts"
    )
    parser.add_argument("--format", choices=("csv", "parquet"), default="csv")
    parser.add_argument(
        "--reference-dir",
        default=os.environ.get("IMSK_REFERENCE_DIR", ""),
        help="WIMD/ONS folder for the real Welsh geography (default: synthetic geography)",
    )
    args = parser.parse_args()
    print(
        f"imsk synth benchmark, format {args.format}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    for size in (int(text) for text in args.sizes.split(",")):
        figures = run_one(size, args.format, args.reference_dir)
        rows = figures["rows"]
        assert isinstance(rows, dict)
        print(
            f"{size:>12,} requests: wall {figures['wall_s']:.1f} s, CPU {figures['cpu_s']:.1f} s, "
            f"peak RSS {figures['peak_rss_mb']:.0f} MB, disk {figures['disk_mb']:.0f} MB; "
            f"contacts {rows['contacts']:,}, measures {rows['measures']:,}, "
            f"all rows {sum(rows.values()):,}; "
            f"triage engine runs {figures['triage_combinations']:,}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
