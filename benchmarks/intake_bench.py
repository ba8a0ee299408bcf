"""Intake API throughput and latency on PostgreSQL, under a real server (gunicorn).

Target (issue 5): at least 300 requests/s and a 95th-percentile latency of at most 100 ms.

What it does: creates (or reuses) the database named in ``--database-url`` (default
``postgres://postgres@127.0.0.1:5432/imsk_bench``), migrates it, registers a service and an API key,
starts ``gunicorn imsk.web.wsgi`` with ``--workers`` workers on 127.0.0.1, and drives
``POST /api/requests`` with ``--requests`` native JSON requests (each with its own
``Idempotency-Key``) from ``--concurrency`` client threads (httpx). Then it sends ``--requests``
retries of already-sent keys (the idempotent replay path). It prints throughput, p50/p95/p99 and the
status codes, and stops the server. Traffic goes to 127.0.0.1 only, and the loops are bounded.

    .venv/bin/python benchmarks/intake_bench.py --requests 3000 --concurrency 16 --workers 2
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

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


def _start_server(
    url: str, port: int, workers: int, threads: int, persistent: bool
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "PYTHONPATH": f"{REPO}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
        "DJANGO_SETTINGS_MODULE": (
            "benchmarks.intake_bench_settings" if persistent else "imsk.web.settings"
        ),
        "DATABASE_URL": url,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "bench-" + uuid.uuid4().hex,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    }
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "imsk.web.wsgi:application",
        f"--workers={workers}",
        f"--threads={threads}",
        f"--bind=127.0.0.1:{port}",
        "--log-level=warning",
    ]
    server = subprocess.Popen(command, env=env, cwd=REPO)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/openapi.json", timeout=1)
            return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start within 30 s")


def _drive(
    base: str, key: str, bodies: list[tuple[str, dict[str, Any]]], concurrency: int
) -> tuple[float, list[float], Counter[int]]:
    headers = {"Authorization": f"Bearer {key}"}
    clients = [httpx.Client(base_url=base, headers=headers, timeout=30) for _ in range(concurrency)]

    def send(item: tuple[int, tuple[str, dict[str, Any]]]) -> tuple[float, int]:
        index, (idem, body) = item
        client = clients[index % concurrency]
        started = time.perf_counter()
        response = client.post("/api/requests", json=body, headers={"Idempotency-Key": idem})
        return time.perf_counter() - started, response.status_code

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        results = list(pool.map(send, enumerate(bodies)))
    elapsed = time.perf_counter() - started
    for client in clients:
        client.close()
    return elapsed, [r[0] for r in results], Counter(r[1] for r in results)


def _report(label: str, elapsed: float, latencies: list[float], statuses: Counter[int]) -> None:
    cuts = statistics.quantiles(latencies, n=100)
    print(
        f"{label}: {len(latencies)} requests in {elapsed:.2f} s = {len(latencies) / elapsed:.0f} req/s; "
        f"latency p50 {cuts[49] * 1000:.1f} ms, p95 {cuts[94] * 1000:.1f} ms, "
        f"p99 {cuts[98] * 1000:.1f} ms; status {dict(statuses)}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker")
    parser.add_argument(
        "--persistent",
        action="store_true",
        help="keep database connections open between requests (CONN_MAX_AGE=600)",
    )
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        raise SystemExit(
            "the intake benchmark runs on PostgreSQL: give --database-url postgres://..."
        )
    _ensure_database(args.database_url)
    key = _prepare(args.database_url)
    server = _start_server(
        args.database_url, args.port, args.workers, args.threads, args.persistent
    )
    try:
        base = f"http://127.0.0.1:{args.port}"
        warm = [(f"warm-{uuid.uuid4()}", _body(i)) for i in range(min(200, args.requests))]
        _drive(base, key, warm, args.concurrency)
        fresh = [(f"bench-{uuid.uuid4()}", _body(i)) for i in range(args.requests)]
        _report("new requests", *_drive(base, key, fresh, args.concurrency))
        _report("idempotent retries", *_drive(base, key, fresh, args.concurrency))
    finally:
        server.terminate()
        server.wait(timeout=30)
    connections = "persistent" if args.persistent else "one per request"
    print(
        f"server: gunicorn, {args.workers} workers x {args.threads} threads, database connections "
        f"{connections}; client: {args.concurrency} threads (httpx)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
