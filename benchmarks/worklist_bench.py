"""Triage worklist latency with 10,000 open requests, on PostgreSQL or SQLite.

Target (issue 5): "a worklist of 10 thousand open requests renders with p95 at most 300 ms".

What it does: makes a *fresh* database from ``--database-url`` (PostgreSQL: drops and recreates the
named database; SQLite: deletes the file), migrates it, creates two services (ours and another
board's) and a triage clinician, then bulk-inserts ``--open`` untriaged requests for our service
(about 5% with a red flag, 5% awaiting information with an open question, received over the last 60
days, so many are overdue), ``--closed`` triaged requests (history the worklist must skip) and
``--other`` open requests of the other service. Each request carries the triage engine's real
decision (``triage_suggestion``), computed once per (day of receipt, kind of request) with the
service's working-day calendar. Then it renders ``GET /triage/?page=N`` ``--renders`` times through
Django's test client as the triage clinician (page 1 most often, as in use; other pages at random),
production settings (``DJANGO_DEBUG=false``), audit row included, and prints p50/p95/max.

    .venv/bin/python benchmarks/worklist_bench.py                       # PostgreSQL
    .venv/bin/python benchmarks/worklist_bench.py --database-url sqlite:////tmp/worklist.sqlite3
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/imsk_worklist_bench"
BATCH = 2000
RED_FLAGS = [
    "history_of_cancer",
    "saddle_anaesthesia",
    "significant_trauma",
    "fever_or_systemically_unwell",
]
KINDS: list[dict[str, Any]] = [
    {"start_back": "medium"},
    {"high_pain": True, "start_back": "low", "activation": "high"},
    {"recent_surgery_requiring_rehab": True},
    {"start_back": "high"},
]


def _fresh_database(url: str) -> None:
    if url.startswith("sqlite:"):
        path = Path(url.removeprefix("sqlite:///"))
        if not path.is_absolute():
            path = Path(__file__).resolve().parents[1] / path
        path.unlink(missing_ok=True)
        return
    import psycopg

    name = url.rsplit("/", 1)[1].split("?", 1)[0]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def _setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ.setdefault("DJANGO_SECRET_KEY", "worklist-benchmark-" + "x" * 40)
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.worklist_bench_settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _populate(open_count: int, closed_count: int, other_count: int, seed: int) -> Any:
    from django.utils import timezone

    from imsk.core.calendar import Nation
    from imsk.web.accounts import services as accounts
    from imsk.web.accounts.models import Role
    from imsk.web.referrals.models import Channel, Person, Request, Status
    from imsk.web.referrals.services import NewRequest, check_facts
    from imsk.web.triage.models import InformationRequest

    ours = accounts.create_service(
        actor=None,
        service_id="cav-msk",
        name="Cardiff and Vale MSK",
        health_board="7A4",
        nation=Nation.WALES,
    )
    theirs = accounts.create_service(
        actor=None,
        service_id="bcu-msk",
        name="Betsi Cadwaladr MSK",
        health_board="7A1",
        nation=Nation.WALES,
    )
    clinician = accounts.create_user(
        actor=None,
        email="triage@bench.example",
        full_name="Bench Triage",
        role=Role.TRIAGE_CLINICIAN,
        service=ours,
        password="bench password 1234",
    )
    rng = random.Random(seed)
    now = timezone.now()
    suggestions: dict[tuple[int, int, bool], dict[str, Any]] = {}

    def facts_and_suggestion(
        service: Any, received: datetime, kind: int, flag: bool
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        facts = dict(KINDS[kind])
        if flag:
            facts["red_flags"] = [RED_FLAGS[kind % len(RED_FLAGS)]]
        key = ((now - received).days, kind, flag)
        if key not in suggestions:
            new = NewRequest(
                service=service,
                channel=Channel.API,
                source="gp",
                received_at=received,
                age=50,
                category="management_opinion",
                facts=facts,
            )
            suggestions[key] = check_facts(new)[1].as_dict()
        return facts, suggestions[key]

    started = time.perf_counter()
    total = open_count + closed_count + other_count
    persons = [Person(person_id=f"PBENCH{i:010d}") for i in range(total)]
    Person.objects.bulk_create(persons, batch_size=BATCH)
    persons = list(Person.objects.order_by("id"))
    rows: list[Request] = []
    for i in range(total):
        service = theirs if i >= open_count + closed_count else ours
        received = now - timedelta(minutes=rng.randint(0, 60 * 24 * 60))
        kind = rng.randrange(len(KINDS))
        flag = rng.random() < 0.05
        facts, suggestion = facts_and_suggestion(service, received, kind, flag)
        closed = open_count <= i < open_count + closed_count
        status = (
            Status.TRIAGED
            if closed
            else (Status.AWAITING_INFORMATION if rng.random() < 0.05 else Status.RECEIVED)
        )
        rows.append(
            Request(
                request_id=f"MSK-BENCH-{i:07d}",
                person=persons[i],
                service=service,
                received_at=received,
                source="gp",
                category="management_opinion",
                age=50,
                channel=Channel.API,
                status=status,
                triage_facts=facts,
                triage_suggestion=suggestion,
                priority=suggestion["priority"] if closed else None,
                pathway=suggestion["pathway"] if closed else None,
                band=suggestion["band"] if closed else None,
                triaged_at=received + timedelta(hours=2) if closed else None,
            )
        )
    Request.objects.bulk_create(rows, batch_size=BATCH)
    waiting = Request.objects.filter(status=Status.AWAITING_INFORMATION).only("id", "received_at")
    InformationRequest.objects.bulk_create(
        [
            InformationRequest(
                request=r,
                asked_of="referrer",
                question="Which side?",
                asked_by=clinician,
                asked_at=r.received_at + timedelta(hours=1),
            )
            for r in waiting
        ],
        batch_size=BATCH,
    )
    print(
        f"inserted {open_count} open, {closed_count} triaged and {other_count} other-service "
        f"requests in {time.perf_counter() - started:.1f} s "
        f"({len(suggestions)} distinct engine decisions)"
    )
    return clinician


def _analyze() -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _render(clinician: Any, renders: int, seed: int) -> list[float]:
    from django.test import Client

    from imsk.web.referrals.models import Request
    from imsk.web.triage.services import OPEN_STATUSES, PAGE_SIZE

    pages = max(
        1,
        -(
            -Request.objects.filter(service=clinician.service, status__in=OPEN_STATUSES).count()
            // PAGE_SIZE
        ),
    )
    client = Client()
    client.force_login(clinician)
    rng = random.Random(seed)
    timings: list[float] = []
    for n in range(renders + 5):
        page = 1 if rng.random() < 0.6 else rng.randint(1, pages)
        started = time.perf_counter()
        response = client.get(f"/triage/?page={page}", secure=True)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200 or b"MSK-BENCH-" not in response.content:
            raise SystemExit(f"page {page} answered {response.status_code} without requests")
        if n == 0:
            print(f"first render (queues every open request): {elapsed:.0f} ms")
            _analyze()  # as autovacuum would after 10,000 inserts
        if n >= 5:  # the first few warm caches (templates, code lists, calendar)
            timings.append(elapsed)
    print(f"{pages} pages of {PAGE_SIZE}")
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--open", type=int, default=10_000)
    parser.add_argument("--closed", type=int, default=20_000)
    parser.add_argument("--other", type=int, default=5_000)
    parser.add_argument("--renders", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    _fresh_database(args.database_url)
    _setup_django(args.database_url)
    from django.db import connection

    clinician = _populate(args.open, args.closed, args.other, args.seed)
    _analyze()
    timings = _render(clinician, args.renders, args.seed)
    quantiles = statistics.quantiles(timings, n=100)
    print(
        f"{connection.vendor}: {len(timings)} renders of the worklist (after the first 5): "
        f"p50 {quantiles[49]:.0f} ms, p95 {quantiles[94]:.0f} ms, max {max(timings):.0f} ms "
        f"(load average {os.getloadavg()[0]:.1f})"
    )


if __name__ == "__main__":
    main()
