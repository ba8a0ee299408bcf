"""Two bookers take the same slot at the same moment: exactly one wins (PostgreSQL row locks).

SQLite serialises every writer anyway, so this runs on PostgreSQL only (``DATABASE_URL``).
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from imsk.web.clinics import services
from imsk.web.clinics.errors import ClinicError
from imsk.web.clinics.models import Slot
from imsk.web.referrals.models import Contact
from tests.web.personas import Personas
from tests.web.test_clinics_builders import clinic, first_slot, triaged_request

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def test_two_bookers_racing_for_one_slot_leave_one_appointment(personas: Personas) -> None:
    slot = first_slot(clinic(personas.manager))
    requests = [triaged_request(personas.our_service, name=f"Racer {n}") for n in range(2)]
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def race(index: int) -> None:
        start.wait()
        try:
            services.book(personas.clinician, requests[index], slot)
            outcomes.append("booked")
        except ClinicError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=race, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["booked", "refused"]
    assert Contact.objects.count() == 1
    assert Slot.objects.get(pk=slot.pk).contact == Contact.objects.get()


def test_one_request_raced_into_two_slots_is_booked_once(personas: Personas) -> None:
    made = clinic(personas.manager)
    slots = list(made.slots.all())[:2]
    request = triaged_request(personas.our_service)
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def race(index: int) -> None:
        start.wait()
        try:
            services.book(personas.clinician, request, slots[index])
            outcomes.append("booked")
        except ClinicError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=race, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["booked", "refused"]
    assert Contact.objects.filter(request=request).count() == 1
