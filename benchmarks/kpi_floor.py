"""A lower bound for the KPI engine on DuckDB: the least work any implementation must do.

Usage::

    .venv/bin/python benchmarks/kpi_floor.py --data var/bench/native-10m [--memory-limit 3GB]

Whatever the implementation, every KPI of ``shared/spec/kpis.md`` that reads a table other than
``requests`` needs that table's rows related to their request (for its service, its dates, its
person). This script does only that, in DuckDB SQL written by hand for this data set: each large
table (contacts, exits, condition codes, MSK-HQ measures) reduced per request with one narrow
aggregate each, the reductions joined to the requests once, and one pass of sums per service. It
leaves out everything the real engine must also do: casting and checking types, the working-day
calendar, item scoring, unknown requests and services, the record-order tie rules, disclosure
control, the other tables and most KPIs. Its time is therefore a *floor*: the engine cannot beat it
on the same machine, and the issue's target (10 million requests, all KPIs at three levels, in at
most 10 s on 2 cores) can only be met if this floor is well under 10 s.

Each step prints wall time and CPU time (user + system, DuckDB's threads included); the last line
is JSON. The data set is one written by ``imsk synth --format parquet``.
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path

import duckdb

PERIOD = ("2025-04-01", "2026-03-31")


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def steps(folder: Path) -> dict[str, str]:
    """The floor's SQL, step by step (our own file paths, quoted as SQL literals)."""

    def scan(table: str) -> str:
        path = str(folder / f"{table}.parquet").replace("'", "''")
        return f"read_parquet('{path}')"

    start, end = PERIOD
    in_period = f"scheduled_at::DATE BETWEEN DATE '{start}' AND DATE '{end}'"
    return {
        "contacts per request": (
            "CREATE TEMP TABLE c AS SELECT request_id, "
            "min(scheduled_at) FILTER (WHERE kind = 'first' AND status = 'attended') AS first_seen, "
            f"count(*) FILTER (WHERE kind = 'first' AND status = 'attended' AND {in_period}) AS a, "
            f"count(*) FILTER (WHERE kind = 'first' AND status = 'did_not_attend' AND {in_period})"
            f" AS d FROM {scan('contacts')} GROUP BY request_id"
        ),
        "exits per request": (
            "CREATE TEMP TABLE e AS SELECT request_id, max(exited_at) AS exited_at, "
            f"max(code) AS exit_code FROM {scan('exits')} GROUP BY request_id"
        ),
        "codes per request": (
            "CREATE TEMP TABLE g AS SELECT request_id, arg_max(code, recorded_at) AS code, "
            f"min(recorded_at) AS first_coded_at FROM {scan('condition_codes')} GROUP BY request_id"
        ),
        "MSK-HQ per request": (
            "CREATE TEMP TABLE m AS SELECT request_id, "
            "arg_min(score, completed_at) FILTER (WHERE timepoint = 'baseline') AS baseline, "
            "arg_max(score, completed_at) FILTER (WHERE timepoint = 'discharge') AS discharge "
            f"FROM {scan('measures')} WHERE instrument = 'msk_hq' GROUP BY request_id"
        ),
        "requests joined once": (
            "CREATE TEMP TABLE f AS SELECT r.request_id, r.person_id, r.service_id, "
            "r.received_at::DATE AS received_on, r.priority, r.triaged_at, r.pathway, r.source, "
            "r.deprivation_quintile, c.first_seen, c.a, c.d, e.exited_at, e.exit_code, g.code, "
            f"g.first_coded_at, m.baseline, m.discharge FROM {scan('requests')} AS r "
            "LEFT JOIN c USING (request_id) LEFT JOIN e USING (request_id) "
            "LEFT JOIN g USING (request_id) LEFT JOIN m USING (request_id)"
        ),
        "sums per service": (
            "SELECT service_id, count(*) FILTER (WHERE priority = 'urgent'), sum(a), sum(d), "
            "count(*) FILTER (WHERE exited_at::DATE = first_seen::DATE), "
            "count(*) FILTER (WHERE discharge - baseline >= 6) FROM f GROUP BY service_id"
        ),
        "re-presentation": (
            "SELECT count(*) FROM f AS a JOIN f AS b ON a.person_id = b.person_id "
            "AND a.request_id <> b.request_id AND a.code = b.code "
            "AND b.exited_at::DATE < a.received_on "
            "AND b.exited_at::DATE >= a.received_on - 182"
        ),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="an imsk synth Parquet folder")
    parser.add_argument("--memory-limit", metavar="SIZE", help="DuckDB memory limit, e.g. 3GB")
    parser.add_argument("--database", help="a DuckDB database file (default: in memory)")
    args = parser.parse_args()
    con = duckdb.connect(args.database or ":memory:")
    con.execute("SET preserve_insertion_order = false")
    if args.memory_limit:
        con.execute("SET memory_limit = ?", [args.memory_limit])
    figures: dict[str, float] = {}
    began, cpu = time.perf_counter(), _cpu_s()
    for name, sql in steps(args.data).items():
        step_began, step_cpu = time.perf_counter(), _cpu_s()
        con.execute(sql).fetchall()
        wall, used = time.perf_counter() - step_began, _cpu_s() - step_cpu
        print(f"  {name:<24} {wall:7.2f} s  ({used:6.2f} s CPU)", flush=True)
        figures[name] = round(wall, 2)
    figures["total_s"] = round(time.perf_counter() - began, 2)
    figures["total_cpu_s"] = round(_cpu_s() - cpu, 2)
    figures["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
