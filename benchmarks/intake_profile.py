"""CPU per intake request, in process: where ``POST /api/requests`` spends its time in Django.

The gunicorn benchmark (``intake_bench.py``) measures throughput, which on a shared machine depends
on everything else running. This script measures what does not: the CPU time one new request costs
in this process (``time.process_time()``) and in the PostgreSQL backend serving it (user + system
ticks of that backend, read from ``/proc/<pid>/stat``; PostgreSQL must run on this machine).

What it does: creates (or reuses) the database named in ``--database-url`` (default
``postgres://postgres@127.0.0.1:5432/imsk_intake_profile``), migrates it, registers a service and a
fresh API key, then calls Django's WSGI handler directly (``django.core.handlers.wsgi.WSGIHandler``,
the object gunicorn calls, with the request/finished signals and every middleware) with a prebuilt
environ, ``--requests`` times, each with a new ``Idempotency-Key`` (so each creates a request, a
person, a condition code entry and an audit event), then the same number of retries (the replay).
Production settings: ``DJANGO_DEBUG=false``, one persistent connection (``CONN_MAX_AGE`` 3600, so
the backend measured stays the same), health checks as configured. It reports, per run, the mean
CPU ms per request (this process and the PostgreSQL backend) and the least of its batches of 100
(steadier on a busy machine: other jobs only add CPU time), and the medians over the runs; with
``--profile``, a cProfile of the new requests (CPU time) instead, the top ``PROFILE_TOP`` (30)
functions by cumulative and by own time. ``PYTHONPATH=<tree>/src`` measures another source tree
(an older commit: ``git archive <commit> src | tar -x -C <tree>``); only runs taken side by side,
alternating, compare on a shared machine.

    .venv/bin/python benchmarks/intake_profile.py --requests 2000 --runs 3
    .venv/bin/python benchmarks/intake_profile.py --requests 1000 --runs 1 --profile
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import statistics
import sys
import time
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.intake_bench import _body, _ensure_database

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/imsk_intake_profile"
_TICK = os.sysconf("SC_CLK_TCK")
BATCH = 100


def _setup(url: str) -> str:
    """Production-like settings, a migrated database, a service and a fresh API key."""
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "imsk.web.settings"
    os.environ["DJANGO_DEBUG"] = "false"
    # One connection for the whole run (production reconnects once a minute: negligible per call).
    os.environ.setdefault("DJANGO_CONN_MAX_AGE", "3600")
    os.environ["DJANGO_SECRET_KEY"] = "profile-" + uuid.uuid4().hex
    os.environ["DJANGO_ALLOWED_HOSTS"] = "127.0.0.1"
    import django

    django.setup()
    from django.core.management import call_command

    from imsk.core.calendar import Nation
    from imsk.web.accounts import services as accounts
    from imsk.web.accounts.models import Service
    from imsk.web.api import services as api

    call_command("migrate", verbosity=0)
    service = Service.objects.filter(service_id="profile-msk").first()
    if service is None:
        service = accounts.create_service(
            actor=None,
            service_id="profile-msk",
            name="Profile",
            health_board="7A4",
            nation=Nation.WALES,
        )
    return api.create_client(actor=None, name="profile", service=service).key


def _environ(key: str, idempotency_key: str, body: bytes) -> dict[str, Any]:
    return {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/api/requests",
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_HOST": "127.0.0.1",
        "HTTP_AUTHORIZATION": f"Bearer {key}",
        "HTTP_IDEMPOTENCY_KEY": idempotency_key,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }


def _backend_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICK


def _drive(
    handler: Callable[..., Iterable[bytes]], environs: list[dict[str, Any]], expect: str
) -> None:
    statuses: list[str] = []

    def start_response(status: str, headers: Any, exc_info: Any = None) -> None:
        statuses.append(status)

    for environ in environs:
        response = handler(environ, start_response)
        b"".join(response)
        response.close()  # type: ignore[attr-defined]  # request_finished, as gunicorn does
    wrong = [s for s in statuses if not s.startswith(expect)]
    if wrong:
        raise SystemExit(f"expected {expect}, got {wrong[0]} ({len(wrong)} of {len(statuses)})")


def _backend_pid() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


def _measure(
    handler: Callable[..., Iterable[bytes]],
    environs: list[dict[str, Any]],
    expect: str,
) -> tuple[float, float, float]:
    """(process CPU ms, its least batch, backend CPU ms) per request.

    Other jobs on the machine only ever add CPU time (caches, a shared core), so besides the mean
    the least of the batches of ``BATCH`` requests is reported: the steadier figure on a busy
    machine.
    """
    backend = _backend_pid()
    pg0 = _backend_cpu(backend)
    batches = []
    for start in range(0, len(environs), BATCH):
        batch = environs[start : start + BATCH]
        cpu0 = time.process_time()
        _drive(handler, batch, expect)
        batches.append((time.process_time() - cpu0) / len(batch))
    pg1 = _backend_cpu(backend)
    if _backend_pid() != backend:
        raise SystemExit("the database connection was replaced during the run")
    n = len(environs)
    return 1000 * statistics.fmean(batches), 1000 * min(batches), 1000 * (pg1 - pg0) / n


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="cProfile the new requests")
    parser.add_argument("--profile-out", help="also write the profile here (pstats format)")
    args = parser.parse_args()
    _ensure_database(args.database_url)
    key = _setup(args.database_url)
    from django.core.handlers.wsgi import WSGIHandler

    handler = WSGIHandler()
    bodies = [json.dumps(_body(i)).encode() for i in range(args.requests)]
    # Warm up: imports, caches, the persistent connection.
    _drive(handler, [_environ(key, uuid.uuid4().hex, bodies[0]) for _ in range(50)], "201")
    new_cpu, new_least, new_pg, retry_cpu, retry_pg = [], [], [], [], []
    for run in range(args.runs):
        keys = [uuid.uuid4().hex for _ in bodies]
        new = [_environ(key, k, b) for k, b in zip(keys, bodies, strict=True)]
        retries = [_environ(key, k, b) for k, b in zip(keys, bodies, strict=True)]
        if args.profile and run == 0:
            profiler = cProfile.Profile(time.process_time)  # CPU, not wall time
            profiler.enable()
            _drive(handler, new, "201")
            profiler.disable()
            if args.profile_out:
                profiler.dump_stats(args.profile_out)
            for order in ("cumulative", "tottime"):
                out = io.StringIO()
                pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(
                    int(os.environ.get("PROFILE_TOP", "30"))
                )
                print(out.getvalue())
            continue
        cpu, least, pg = _measure(handler, new, "201")
        rcpu, _rleast, rpg = _measure(handler, retries, "201")
        new_cpu.append(cpu)
        new_least.append(least)
        new_pg.append(pg)
        retry_cpu.append(rcpu)
        retry_pg.append(rpg)
        print(
            f"run {run + 1}: new {cpu:.2f} ms Django (least batch {least:.2f}) + {pg:.2f} ms "
            f"PostgreSQL; retry {rcpu:.2f} + {rpg:.2f} ms (CPU per request, {args.requests} each)",
            flush=True,
        )
    if new_cpu:
        print(
            f"median of {len(new_cpu)}: new {statistics.median(new_cpu):.2f} ms Django (least "
            f"batch {min(new_least):.2f}) + {statistics.median(new_pg):.2f} ms PostgreSQL; retry "
            f"{statistics.median(retry_cpu):.2f} + {statistics.median(retry_pg):.2f} ms; "
            f"load average {os.getloadavg()[0]:.1f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
