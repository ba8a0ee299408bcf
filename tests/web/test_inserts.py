"""Prebuilt INSERTs (``imsk.web.inserts``) store exactly what ``save()`` stores, on every database."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from imsk.web.audit.models import Action, AuditEvent
from imsk.web.inserts import insert, insert_all
from imsk.web.referrals.models import Person
from tests.web.personas import Personas

pytestmark = pytest.mark.django_db


def _person(person_id: str, personas: Personas) -> Person:
    return Person(
        person_id=person_id,
        nhs_number=None,
        full_name="Siân Évans",
        date_of_birth=date(1970, 2, 28),
        created_by=personas.clinician,
        updated_by=personas.clinician,
    )


def test_an_inserted_row_reads_back_as_a_saved_one(personas: Personas) -> None:
    saved, inserted = _person("PSAVED", personas), _person("PINSERTED", personas)
    saved.save()
    insert(inserted)
    assert inserted.pk is not None
    assert inserted.pk != saved.pk
    assert not inserted._state.adding
    fields = ("full_name", "date_of_birth", "created_by_id", "created_at", "nhs_number")
    stored = Person.objects.values(*fields).get(pk=inserted.pk)
    assert stored == {f: getattr(inserted, f) for f in fields}
    assert stored["full_name"] == Person.objects.get(pk=saved.pk).full_name


def test_json_goes_in_as_json(personas: Personas) -> None:
    details = {"listed": ["MSK-7A4-000001"], "rows": {"requests": 3}, "none": None}
    with transaction.atomic():
        events = [AuditEvent(action=Action.VIEW, details=details) for _ in range(3)]
        insert_all(events)
    assert len({e.pk for e in events}) == 3
    for event in events:
        assert AuditEvent.objects.get(pk=event.pk).details == details


def test_rows_written_together_fail_together_on_a_broken_constraint(personas: Personas) -> None:
    insert(_person("PTAKEN", personas))
    before = AuditEvent.objects.count()
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_all([_person("PTAKEN", personas), AuditEvent(action=Action.CREATE)])
    assert AuditEvent.objects.count() == before
    assert Person.objects.filter(person_id="PTAKEN").count() == 1


@pytest.mark.parametrize("returning", [True, False], ids=["with RETURNING", "without RETURNING"])
def test_also_return_gives_the_value_with_or_without_returning_from_an_insert(
    personas: Personas, monkeypatch: pytest.MonkeyPatch, returning: bool
) -> None:
    """A database that cannot return values from an INSERT gets the key and the extra value by
    statements of their own: the same result."""
    from django.db import connection

    from imsk.web import inserts

    if not returning and connection.vendor == "postgresql":
        pytest.skip("PostgreSQL always returns values from an INSERT")
    monkeypatch.setattr(connection.features, "can_return_columns_from_insert", returning)
    monkeypatch.setattr(inserts, "_plans", {})
    person = _person(f"PRET{int(returning)}", personas)
    assert insert(person, also_return="40 + 2") == 42
    assert person.pk is not None
    assert Person.objects.get(pk=person.pk).person_id == person.person_id
    assert insert(_person(f"PNONE{int(returning)}", personas)) is None
