"""Bulk loading of an MSK service data set folder into the clinical record (for demonstrations).

Called only by :func:`imsk.web.referrals.services.load_dataset`, which validates the folder first
(``imsk.dataio.dataset.validate_dataset``; any error finding refuses the load), opens the transaction
and records the audit event: this module is the bulk half of that service, not a second writer.

Loading is idempotent. A keyed row (a service, request, person, contact, onward referral, exit, cost
month, population quintile) whose key exists already is left as it is: the first load wins and the
counts say how many rows were skipped. A row of a table without a key (condition codes, activities,
measures, feedback, resource hits) gets an ``import_key``: the SHA-256 of its table, its values and
how many identical rows came before it in the file, so loading the same rows again inserts nothing
and two identical rows of one file are both kept.

Rows are inserted with ``bulk_create`` in batches of :data:`BATCH_SIZE`, reading the files as Arrow
batches (``read_normalised``: CSV or Parquet, canonical types), so memory stays bounded except for
the maps from data set keys to database ids.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Model
from django.utils import timezone

from imsk.core.dataset.schema import SCHEMA
from imsk.dataio.dataset import read_normalised
from imsk.web.accounts.models import Service
from imsk.web.referrals.models import (
    Activity,
    Channel,
    ConditionCodeEntry,
    Contact,
    Cost,
    Exit,
    Feedback,
    Measure,
    OnwardReferral,
    Person,
    Population,
    Request,
    ResourceHit,
    Status,
)

BATCH_SIZE = 2000
LONDON = ZoneInfo("Europe/London")

Row = dict[str, Any]


def aware(value: datetime) -> datetime:
    """A data set timestamp (naive Europe/London wall-clock time) as an aware datetime."""
    return timezone.make_aware(value, LONDON)


def aware_or_none(value: datetime | None) -> datetime | None:
    return None if value is None else aware(value)


def month_text(value: date | None) -> str:
    return "" if value is None else value.strftime("%Y-%m")


class Loader:
    """One load of one folder: the table files, and the key -> id maps built on the way."""

    def __init__(self, files: dict[str, Path]) -> None:
        self.files = files
        self.request_ids: dict[str, int] = {}
        self.contact_ids: dict[str, int] = {}
        self.counts: dict[str, dict[str, int]] = {}

    def rows(self, table: str) -> Iterator[list[Row]]:
        path = self.files.get(table)
        if path is None:
            return
        for batch in read_normalised(path, SCHEMA[table]):
            yield batch.to_pylist()

    def run(self) -> dict[str, dict[str, int]]:
        for table, load in self._steps():
            if table in self.files:
                self.counts[table] = load()
        self._close_exited()
        return self.counts

    def _steps(self) -> list[tuple[str, Callable[[], dict[str, int]]]]:
        return [
            ("services", self._services),
            ("requests", self._requests),
            ("condition_codes", lambda: self._unkeyed("condition_codes", self._code)),
            ("contacts", self._contacts),
            ("activities", lambda: self._unkeyed("activities", self._activity)),
            ("onward_referrals", lambda: self._keyed("onward_referrals", self._onward)),
            ("exits", lambda: self._keyed("exits", self._exit)),
            ("measures", lambda: self._unkeyed("measures", self._measure)),
            ("feedback", lambda: self._unkeyed("feedback", self._feedback)),
            ("resource_hits", lambda: self._unkeyed("resource_hits", self._hit)),
            ("costs", lambda: self._keyed("costs", self._cost)),
            ("population", lambda: self._keyed("population", self._population)),
        ]

    # -- keyed tables: insert, ignoring rows whose key exists -------------------------------------

    def _keyed(self, table: str, build: Callable[[Row], Model]) -> dict[str, int]:
        read = inserted = 0
        for batch in self.rows(table):
            read += len(batch)
            inserted += _insert([build(row) for row in batch])
        return {"read": read, "inserted": inserted, "skipped": read - inserted}

    def _services(self) -> dict[str, int]:
        return self._keyed(
            "services",
            lambda r: Service(
                service_id=r["service_id"],
                name=r["name"] or "",
                health_board=r["health_board"],
                nation=r["nation"],
            ),
        )

    def _requests(self) -> dict[str, int]:
        read = inserted = 0
        for batch in self.rows("requests"):
            read += len(batch)
            people = _person_map({row["person_id"] for row in batch})
            inserted += _insert([_request(row, people[row["person_id"]]) for row in batch])
            ids = [row["request_id"] for row in batch]
            self.request_ids.update(
                Request.objects.filter(request_id__in=ids).values_list("request_id", "id")
            )
        return {"read": read, "inserted": inserted, "skipped": read - inserted}

    def _contacts(self) -> dict[str, int]:
        read = inserted = 0
        for batch in self.rows("contacts"):
            read += len(batch)
            inserted += _insert([self._contact(row) for row in batch])
            ids = [row["contact_id"] for row in batch]
            self.contact_ids.update(
                Contact.objects.filter(contact_id__in=ids).values_list("contact_id", "id")
            )
        return {"read": read, "inserted": inserted, "skipped": read - inserted}

    def _contact(self, r: Row) -> Contact:
        return Contact(
            contact_id=r["contact_id"],
            request_id=self.request_ids[r["request_id"]],
            kind=r["kind"],
            scheduled_at=aware(r["scheduled_at"]),
            status=r["status"],
            mode=r["mode"],
            band=r["band"],
        )

    def _onward(self, r: Row) -> OnwardReferral:
        return OnwardReferral(
            referral_id=r["referral_id"],
            request_id=self.request_ids[r["request_id"]],
            referred_at=aware(r["referred_at"]),
            subspecialty=r["subspecialty"],
            route=r["route"],
            converted=r["converted"],
        )

    def _exit(self, r: Row) -> Exit:
        return Exit(
            request_id=self.request_ids[r["request_id"]],
            exited_at=aware(r["exited_at"]),
            code=r["code"],
            window_ends=r["window_ends"],
            outcome=r["outcome"],
        )

    def _cost(self, r: Row) -> Cost:
        return Cost(
            service_id=r["service_id"],
            month=month_text(r["month"]),
            staffing=r["staffing"],
            consumables=r["consumables"],
        )

    def _population(self, r: Row) -> Population:
        return Population(
            health_board=r["health_board"],
            deprivation_quintile=r["deprivation_quintile"],
            population=r["population"],
        )

    # -- tables without a key: an import key per row ----------------------------------------------

    def _unkeyed(self, table: str, build: Callable[[Row], Model]) -> dict[str, int]:
        read = inserted = 0
        seen: Counter[str] = Counter()
        for batch in self.rows(table):
            read += len(batch)
            models = []
            for row in batch:
                content = json.dumps(row, default=str, sort_keys=True)
                seen[content] += 1
                model = build(row)
                model.import_key = _digest(table, content, seen[content])  # type: ignore[attr-defined]
                models.append(model)
            inserted += _insert(models)
        return {"read": read, "inserted": inserted, "skipped": read - inserted}

    def _code(self, r: Row) -> ConditionCodeEntry:
        return ConditionCodeEntry(
            request_id=self.request_ids[r["request_id"]],
            code=r["code"],
            recorded_at=aware(r["recorded_at"]),
        )

    def _activity(self, r: Row) -> Activity:
        contact = r["contact_id"]
        return Activity(
            request_id=self.request_ids[r["request_id"]],
            contact_id=self.contact_ids[contact] if contact is not None else None,
            code=r["code"],
            recorded_at=aware(r["recorded_at"]),
        )

    def _measure(self, r: Row) -> Measure:
        return Measure(
            request_id=self.request_ids[r["request_id"]],
            instrument=r["instrument"],
            timepoint=r["timepoint"],
            completed_at=aware(r["completed_at"]),
            items=r["items"] or "",
            score=r["score"],
        )

    def _feedback(self, r: Row) -> Feedback:
        return Feedback(
            service_id=r["service_id"],
            received_at=aware(r["received_at"]),
            kind=r["kind"],
            nature=r["nature"] or "",
        )

    def _hit(self, r: Row) -> ResourceHit:
        return ResourceHit(
            service_id=r["service_id"], date=r["date"], resource=r["resource"], hits=r["hits"]
        )

    def _close_exited(self) -> None:
        """A request with an exit has left the service: its lifecycle status is ``closed``."""
        Request.objects.filter(exit__isnull=False).exclude(status=Status.CLOSED).update(
            status=Status.CLOSED
        )


def _digest(table: str, content: str, occurrence: int) -> str:
    return hashlib.sha256(f"{table}\n{occurrence}\n{content}".encode()).hexdigest()


def _insert(models: list[Model]) -> int:
    """Insert, skipping rows that clash with an existing key; returns how many were new."""
    if not models:
        return 0
    model = type(models[0])
    before = model._default_manager.count()
    model._default_manager.bulk_create(models, batch_size=BATCH_SIZE, ignore_conflicts=True)
    return model._default_manager.count() - before


def _person_map(person_ids: set[str]) -> dict[str, int]:
    Person.objects.bulk_create(
        [Person(person_id=pid) for pid in sorted(person_ids)],
        batch_size=BATCH_SIZE,
        ignore_conflicts=True,
    )
    return dict(Person.objects.filter(person_id__in=person_ids).values_list("person_id", "id"))


def _request(r: Row, person: int) -> Request:
    triaged_at = aware_or_none(r["triaged_at"])
    return Request(
        request_id=r["request_id"],
        person_id=person,
        service_id=r["service_id"],
        received_at=aware(r["received_at"]),
        source=r["source"],
        referrer_practice=r["referrer_practice"] or "",
        category=r["category"],
        age=r["age"],
        sex=r["sex"],
        lsoa=r["lsoa"] or "",
        deprivation_quintile=r["deprivation_quintile"],
        priority=r["priority"],
        triaged_at=triaged_at,
        pathway=r["pathway"],
        band=r["band"],
        status=Status.TRIAGED if triaged_at is not None else Status.RECEIVED,
        channel=Channel.DATASET_LOAD,
    )
