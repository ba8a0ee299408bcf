"""The clinics pages: creating a clinic, the waiting list, booking, outcomes, rebooking, audit."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone, translation

from imsk.core.dataset.enums import ContactStatus
from imsk.web.accounts.models import Role, User
from imsk.web.audit.models import Action, AuditEvent
from imsk.web.clinics import services
from imsk.web.clinics.models import Clinic
from imsk.web.referrals.models import Contact
from tests.web.personas import Personas, staff_member
from tests.web.test_clinics_builders import (
    appointment_time_comes,
    clinic,
    first_slot,
    next_working_day,
    triaged_request,
)

Signed = Callable[[User], Client]


@pytest.fixture(autouse=True)
def _english_afterwards() -> Iterator[None]:
    """A Welsh request leaves Welsh active in the thread: put English back for later tests."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def _today() -> date:
    return timezone.localdate(timezone.now(), services.LONDON)


def _clinic_form(day: date, **changes: str) -> dict[str, str]:
    return {
        "date": day.isoformat(),
        "start": "09:00",
        "slots": "6",
        "minutes": "30",
        "band": "6",
        "mode": "in_person",
        "capacity": "1",
        "location": "Barry Hospital",
        **changes,
    }


def test_a_manager_creates_a_clinic_from_the_form(client_as: Signed, personas: Personas) -> None:
    day = next_working_day(personas.our_service, _today())
    response = client_as(personas.manager).post("/clinics/new/", _clinic_form(day))
    made = Clinic.objects.get()
    assert response["Location"] == f"/clinics/{made.pk}/"
    assert (made.date, made.slots.count(), made.location) == (day, 6, "Barry Hospital")


def test_a_clinic_on_a_bank_holiday_is_refused_with_an_error_on_the_date_until_confirmed(
    client_as: Signed, personas: Personas
) -> None:
    christmas = date(_today().year + 1, 12, 25)
    client = client_as(personas.manager)
    page = client.post("/clinics/new/", _clinic_form(christmas)).content.decode()
    assert 'href="#id_date"' in page
    assert "not a working day" in page
    assert not Clinic.objects.exists()
    client.post("/clinics/new/", _clinic_form(christmas, confirm_non_working_day="on"))
    assert Clinic.objects.get().date == christmas


def test_a_group_clinic_with_one_place_per_time_is_refused_on_the_capacity_field(
    client_as: Signed, personas: Personas
) -> None:
    day = next_working_day(personas.our_service, _today())
    page = client_as(personas.manager).post(
        "/clinics/new/", _clinic_form(day, mode="video", capacity="4")
    )
    assert 'href="#id_capacity"' in page.content.decode()
    assert not Clinic.objects.exists()


def test_the_waiting_list_page_shows_the_order_the_bands_and_audits_who_it_showed(
    client_as: Signed, personas: Personas
) -> None:
    now = timezone.now()
    routine = triaged_request(personas.our_service, received=now - timedelta(days=100), name="Ria")
    urgent = triaged_request(personas.our_service, priority="urgent", name="Ursula")
    response = client_as(personas.clinician).get("/clinics/waiting-list/")
    page = response.content.decode()
    assert page.index(urgent.request_id) < page.index(routine.request_id)
    assert "14-17" in page  # 100 days = 14 weeks
    event = AuditEvent.objects.get(action=Action.VIEW, actor=personas.clinician)
    assert event.details["listed"] == [urgent.request_id, routine.request_id]


def test_booking_from_the_page_books_the_chosen_slot(client_as: Signed, personas: Personas) -> None:
    request = triaged_request(personas.our_service)
    slot = first_slot(clinic(personas.manager))
    client = client_as(personas.triage)
    assert (
        f'value="{slot.pk}"' in client.get(f"/clinics/book/{request.request_id}/").content.decode()
    )
    response = client.post(f"/clinics/book/{request.request_id}/", {"slot": str(slot.pk)})
    contact = Contact.objects.get(request=request)
    assert response["Location"] == f"/clinics/appointments/{contact.contact_id}/"
    assert contact.scheduled_at == slot.starts_at


def test_booking_another_services_slot_by_its_id_is_refused(
    client_as: Signed, personas: Personas
) -> None:
    theirs = staff_member("g@x.example", Role.SERVICE_MANAGER, service=personas.other_service)
    their_slot = first_slot(clinic(theirs))
    request = triaged_request(personas.our_service)
    page = client_as(personas.clinician).post(
        f"/clinics/book/{request.request_id}/", {"slot": str(their_slot.pk)}
    )
    assert "Choose a time from the list" in page.content.decode()
    assert not Contact.objects.exists()


def test_a_dna_offers_rebooking_and_a_second_dna_asks_for_review(
    client_as: Signed, personas: Personas
) -> None:
    request = triaged_request(personas.our_service)
    made = clinic(personas.manager)
    client = client_as(personas.clinician)
    for number in (1, 2):
        slot = list(made.slots.all())[number]
        contact = services.book(personas.clinician, request, slot)
        appointment_time_comes(contact)
        url = f"/clinics/appointments/{contact.contact_id}/"
        assert client.post(url, {"status": "did_not_attend"})["Location"] == url
        page = client.get(url).content.decode()
        assert f'href="/clinics/book/{request.request_id}/"' in page
        assert ("Review before rebooking" in page) is (number == 2)
    assert Contact.objects.filter(status=ContactStatus.DID_NOT_ATTEND).count() == 2


def test_an_outcome_too_early_is_shown_as_an_error_and_changes_nothing(
    client_as: Signed, personas: Personas
) -> None:
    contact = services.book(
        personas.clinician,
        triaged_request(personas.our_service),
        first_slot(clinic(personas.manager)),
    )
    page = client_as(personas.clinician).post(
        f"/clinics/appointments/{contact.contact_id}/", {"status": "attended"}
    )
    assert "There is a problem" in page.content.decode()
    contact.refresh_from_db()
    assert contact.status == "booked"


def test_the_clinic_day_view_lists_who_is_booked_and_audits_it(
    client_as: Signed, personas: Personas
) -> None:
    made = clinic(personas.manager)
    request = triaged_request(personas.our_service, name="Dafydd Day")
    services.book(personas.clinician, request, first_slot(made))
    page = client_as(personas.clinician).get(f"/clinics/{made.pk}/").content.decode()
    assert "Dafydd Day" in page
    assert "Cancelled by the patient" in page
    event = AuditEvent.objects.get(action=Action.VIEW, actor=personas.clinician)
    assert event.details["listed"] == [request.request_id]


def test_a_manager_cancels_a_clinic_from_its_page(client_as: Signed, personas: Personas) -> None:
    made = clinic(personas.manager)
    services.book(personas.clinician, triaged_request(personas.our_service), first_slot(made))
    client = client_as(personas.manager)
    assert "1 booked appointment will be cancelled" in (
        client.get(f"/clinics/{made.pk}/cancel/").content.decode()
    )
    client.post(f"/clinics/{made.pk}/cancel/")
    assert Contact.objects.get().status == "service_cancelled"
    assert Clinic.objects.get().is_cancelled


@pytest.mark.parametrize("name", ["triage", "clinician", "manager"])
def test_the_header_offers_clinics_and_the_waiting_list_to_those_who_book(
    client_as: Signed, personas: Personas, name: str
) -> None:
    page = client_as(getattr(personas, name)).get("/clinics/").content.decode()
    assert 'href="/clinics/waiting-list/"' in page


def test_the_header_offers_no_clinics_to_a_referrer(client_as: Signed, personas: Personas) -> None:
    page = client_as(personas.referrer).get("/").content.decode()
    assert 'href="/clinics/' not in page


def test_the_waiting_list_is_in_welsh_when_the_language_cookie_says_cy(
    client_as: Signed, personas: Personas
) -> None:
    triaged_request(personas.our_service, priority="urgent")
    client = client_as(personas.clinician)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    page = client.get("/clinics/waiting-list/").content.decode()
    assert "Rhestr aros: Asesu a chefnogi" in page
    assert "Brys" in page


def test_the_booking_page_of_a_request_already_booked_offers_no_times(
    client_as: Signed, personas: Personas
) -> None:
    made = clinic(personas.manager)
    request = triaged_request(personas.our_service)
    services.book(personas.clinician, request, first_slot(made))
    page = client_as(personas.clinician).get(f"/clinics/book/{request.request_id}/")
    html = page.content.decode()
    assert "is not on a waiting list" in html
    assert 'name="slot"' not in html


def test_a_refusal_from_the_service_is_shown_in_welsh_to_a_welsh_reader(
    client_as: Signed, personas: Personas
) -> None:
    client = client_as(personas.manager)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    christmas = date(_today().year + 1, 12, 25)
    page = client.post("/clinics/new/", _clinic_form(christmas)).content.decode()
    assert "yn ddiwrnod gwaith" in page
