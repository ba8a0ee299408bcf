"""Intake API throughput and latency on PostgreSQL, under a real server (gunicorn).

Target (issue 5): at least 300 requests/s and a 95th-percentile latency of at most 100 ms.

What it does: creates (or reuses) the database named in ``--database-url`` (default
``postgres://postgres@127.0.0.1:5432/imsk_bench``), migrates it, registers a service and an API key,
starts ``gunicorn imsk.web.wsgi`` with ``--workers`` workers of ``--threads`` threads on 127.0.0.1
(production settings: ``DJANGO_DEBUG=false``, persistent database connections,
``DJANGO_CONN_MAX_AGE=--conn-max-age``), and, ``--runs`` times, drives ``POST /api/requests`` with
``--requests`` native JSON requests (each with its own ``Idempotency-Key``), then ``--requests``
retries of the keys just sent (the idempotent replay path). The client (``intake_bench_load``) runs
in a process of its own with ``--concurrency`` connections, so it never shares the server's GIL.

For each run it prints throughput, p50/p95/p99 latency and the status codes, and where the CPU went,
in milliseconds of CPU per request: the gunicorn workers, the PostgreSQL backends serving them and
the client, plus the whole machine's busy share (other jobs included) and the load average. Then the
minimum and median over the runs. Traffic goes to 127.0.0.1 only, and every loop is bounded.

    .venv/bin/python benchmarks/intake_bench.py --requests 3000 --concurrency 16 --workers 2 \
        --threads 4 --runs 3
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.intake_bench_load import LoadResult, drive_in_process, request_bytes

REPO = Path(__file__).resolve().parents[1]
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/imsk_bench"


def _body(i: int) -> dict[str, Any]:
    return {
        "source": "gp",
        "category": "management_opinion",
        "referrer_practice": "W91042",
        "age": 20 + i % 60,
        "sex": "female" if i % 2 else "male",
        "condition_code": "KNEE.OA",
        "facts": {"high_pain": bool(i % 3), "start_back": "medium"},
        "free_text": "Knee pain for 6 months.",
    }


def _ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1].split("?", 1)[0]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        if found.fetchone() is None:
            connection.execute(f'CREATE DATABASE "{name}"')


def _prepare(url: str) -> str:
    """Migrate, register the service and return a fresh API key (in this process, then close)."""
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "imsk.web.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from imsk.core.calendar import Nation
    from imsk.web.accounts import services as accounts
    from imsk.web.accounts.models import Service
    from imsk.web.api import services as api

    call_command("migrate", verbosity=0)
    service = Service.objects.filter(service_id="bench-msk").first()
    if service is None:
        service = accounts.create_service(
            actor=None,
            service_id="bench-msk",
            name="Bench",
            health_board="7A4",
            nation=Nation.WALES,
        )
    key = api.create_client(actor=None, name="bench", service=service).key
    from django.db import connections

    connections.close_all()
    return key


def _start_server(url: str, args: Any) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "PYTHONPATH": f"{args.src}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
        "DJANGO_SETTINGS_MODULE": "imsk.web.settings",
        "DATABASE_URL": url,
        "DJANGO_DEBUG": "false",
        "DJANGO_CONN_MAX_AGE": str(args.conn_max_age),
        "DJANGO_SECRET_KEY": "bench-" + uuid.uuid4().hex,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    }
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "imsk.web.wsgi:application",
        f"--workers={args.workers}",
        f"--threads={args.threads}",
        f"--bind=127.0.0.1:{args.port}",
        "--log-level=warning",
    ]
    server = subprocess.Popen(command, env=env, cwd=REPO)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{args.port}/api/openapi.json", timeout=1)
            return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start within 30 s")


# -- CPU accounting from /proc (Linux) ------------------------------------------------------------

_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _process_cpu(pid: int) -> float | None:
    """User + system CPU seconds of one process (None when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / _TICK


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


class CpuWatch:
    """CPU seconds spent by a changing set of processes, sampled while a drive runs.

    PostgreSQL backends come and go (``CONN_MAX_AGE`` closes a connection after a minute and the
    worker opens another), so the backends serving the benchmark's database are found by their
    process title (``postgres: ... <database> 127.0.0.1(...)``) at every sample; a backend's CPU
    counts from its first sample (or from its start, if it started during the drive) to its last.
    """

    def __init__(self, pids: list[int] | None = None, database: str | None = None) -> None:
        self.fixed = pids or []
        self.database = database
        self.first: dict[int, float] = {}
        self.last: dict[int, float] = {}

    def _pids(self) -> list[int]:
        if self.database is None:
            return self.fixed
        marker = f" {self.database} ".encode()
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                title = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if title.startswith(b"postgres: ") and marker in title:
                found.append(int(entry.name))
        return found

    def sample(self, *, starting: bool = False) -> None:
        for pid in self._pids():
            cpu = _process_cpu(pid)
            if cpu is None:  # gone since it was listed: keep its last sample
                continue
            self.first.setdefault(pid, cpu if starting else 0.0)
            self.last[pid] = cpu

    def total(self) -> float:
        return sum(self.last[pid] - self.first[pid] for pid in self.last)


def _machine_busy() -> tuple[float, float]:
    """Busy and total CPU seconds of the whole machine (all cores, every job) from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return (sum(values) - idle) / _TICK, sum(values) / _TICK


@dataclass
class Measured:
    """One drive with the CPU each party spent on it."""

    label: str
    load: LoadResult
    server_cpu: float
    database_cpu: float
    machine_busy_share: float
    load_average: float

    @property
    def rate(self) -> float:
        return len(self.load.latencies) / self.load.elapsed

    def cut(self, percent: int) -> float:
        return statistics.quantiles(self.load.latencies, n=100)[percent - 1] * 1000

    def report(self) -> str:
        n = len(self.load.latencies)
        per = 1000 / n
        return (
            f"{self.label}: {n} requests in {self.load.elapsed:.2f} s = {self.rate:.0f} req/s; "
            f"latency p50 {self.cut(50):.1f} ms, p95 {self.cut(95):.1f} ms, "
            f"p99 {self.cut(99):.1f} ms; status {dict(self.load.statuses)}\n"
            f"    CPU per request: server {self.server_cpu * per:.2f} ms, PostgreSQL "
            f"{self.database_cpu * per:.2f} ms, client {self.load.client_cpu * per:.2f} ms; "
            f"machine busy {self.machine_busy_share:.0%} (all jobs); "
            f"load average {self.load_average:.2f}; {self.load.connections} connections"
        )


def _measure(
    label: str, server: subprocess.Popen[bytes], url: str, requests: list[bytes], args: Any
) -> Measured:
    server_cpu = CpuWatch([server.pid, *_children(server.pid)])
    database_cpu = CpuWatch(database=url.rsplit("/", 1)[1].split("?", 1)[0])
    for watch in (server_cpu, database_cpu):
        watch.sample(starting=True)
    busy, total = _machine_busy()
    receive, send = multiprocessing.Pipe(duplex=False)
    client = multiprocessing.get_context("spawn").Process(
        target=drive_in_process, args=(send, "127.0.0.1", args.port, requests, args.concurrency)
    )
    client.start()
    while not receive.poll(0.5):  # sample the backends while the client drives
        database_cpu.sample()
    load: LoadResult = receive.recv()
    client.join()
    busy_after, total_after = _machine_busy()
    for watch in (server_cpu, database_cpu):
        watch.sample()
    return Measured(
        label,
        load,
        server_cpu.total(),
        database_cpu.total(),
        (busy_after - busy) / max(total_after - total, 1e-9),
        os.getloadavg()[0],
    )


def _requests(key: str, bodies: list[tuple[str, dict[str, Any]]]) -> list[bytes]:
    return [
        request_bytes(
            "/api/requests",
            {
                "Authorization": f"Bearer {key}",
                "Idempotency-Key": idem,
                "Content-Type": "application/json",
            },
            json.dumps(body).encode(),
        )
        for idem, body in bodies
    ]


def _summary(label: str, runs: list[Measured]) -> str:
    rates = [m.rate for m in runs]
    p95s = [m.cut(95) for m in runs]
    server = [m.server_cpu * 1000 / len(m.load.latencies) for m in runs]
    return (
        f"{label} over {len(runs)} runs: req/s min {min(rates):.0f} median "
        f"{statistics.median(rates):.0f} max {max(rates):.0f}; p95 min {min(p95s):.1f} ms median "
        f"{statistics.median(p95s):.1f} ms; server CPU per request min {min(server):.2f} ms median "
        f"{statistics.median(server):.2f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=16, help="client connections")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker")
    parser.add_argument(
        "--conn-max-age",
        type=int,
        default=60,
        help="DJANGO_CONN_MAX_AGE for the server (0: a new database connection per request)",
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--src",
        type=Path,
        default=REPO / "src",
        help="the source tree the server runs (e.g. an export of an earlier commit, to compare)",
    )
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        raise SystemExit(
            "the intake benchmark runs on PostgreSQL: give --database-url postgres://..."
        )
    if not 0 < args.requests <= 100_000 or not 0 < args.runs <= 20:
        raise SystemExit("keep it bounded: 1-100,000 requests a run, 1-20 runs")
    _ensure_database(args.database_url)
    key = _prepare(args.database_url)
    server = _start_server(args.database_url, args)
    print(
        f"server: gunicorn, {args.workers} workers x {args.threads} threads, "
        f"DJANGO_CONN_MAX_AGE={args.conn_max_age}; client: {args.concurrency} connections "
        f"(asyncio, own process); load average before {os.getloadavg()}",
        flush=True,
    )
    fresh_runs, retry_runs = [], []
    try:
        warm = [(f"warm-{uuid.uuid4()}", _body(i)) for i in range(min(500, args.requests))]
        _measure("warm-up", server, args.database_url, _requests(key, warm), args)
        for run in range(1, args.runs + 1):
            fresh = _requests(
                key, [(f"bench-{uuid.uuid4()}", _body(i)) for i in range(args.requests)]
            )
            fresh_runs.append(
                _measure(f"run {run} new requests", server, args.database_url, fresh, args)
            )
            print(fresh_runs[-1].report(), flush=True)
            retry_runs.append(
                _measure(f"run {run} idempotent retries", server, args.database_url, fresh, args)
            )
            print(retry_runs[-1].report(), flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(_summary("new requests", fresh_runs))
    print(_summary("idempotent retries", retry_runs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
