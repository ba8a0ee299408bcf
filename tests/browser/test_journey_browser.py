"""The whole journey of one person through the service, in a real Chromium (issue 5):

a service manager books the longest waiter from the waiting list, records a did-not-attend and
rebooks; the person attends; a clinician discharges them to Patient Initiated Follow-Up and, within
the window, records their return, which goes straight back onto the pathway's waiting list without
a new referral. axe finds no serious or critical violation on any page visited.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from imsk.web.accounts.models import User
from imsk.web.referrals.models import Contact, Exit, Request, Status
from tests.browser.conftest import VisitedPage, assert_accessible, sign_in
from tests.web.personas import Personas, build_personas
from tests.web.test_clinics_builders import appointment_time_comes, clinic, triaged_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def personas(live_server: Any) -> Personas:
    return build_personas()


def _sign_in(visit: VisitedPage, live_server: Any, user: User, persona: str, next_url: str) -> None:
    sign_in(visit, live_server.url, user.email, persona, next_url)


def test_booking_dna_rebooking_discharge_to_pifu_and_a_return_within_the_window(
    visit: VisitedPage, live_server: Any, personas: Personas
) -> None:
    page = visit.page
    person = triaged_request(
        personas.our_service, received=timezone.now() - timedelta(days=70), name="Lowri Evans"
    )
    day_clinic = clinic(personas.manager, location="Barry Hospital")

    # Booking from the waiting list: the longest waiter first.
    _sign_in(visit, live_server, personas.manager, "manager", "/clinics/waiting-list/")
    assert_accessible(page)
    assert "Lowri Evans" in page.locator("#waiting tbody tr").first.inner_text()
    page.get_by_role("link", name=f"Book {person.request_id}").click()
    assert_accessible(page)
    page.locator("#free-times").get_by_role("button").first.click()
    assert "Appointment booked" in page.locator(".nhsuk-notification-banner").inner_text()
    assert_accessible(page)

    # The day comes and Lowri does not attend: a DNA, then rebooking.
    first = Contact.objects.get(request=person)
    appointment_time_comes(first)
    page.goto(f"{live_server.url}/clinics/{day_clinic.pk}/")
    assert_accessible(page)
    page.get_by_role("button", name=f"Did not attend {person.request_id}").click()
    assert page.locator("#appointment-status").inner_text() == "Did not attend"
    page.get_by_role("link", name="Rebook").click()
    assert_accessible(page)
    page.locator("#free-times").get_by_role("button").first.click()
    assert "Appointment booked" in page.locator(".nhsuk-notification-banner").inner_text()
    second = Contact.objects.get(request=person, status="booked")

    # The second time she comes.
    appointment_time_comes(second)
    page.goto(f"{live_server.url}/clinics/{day_clinic.pk}/")
    page.get_by_role("button", name=f"Attended {person.request_id}").click()
    assert_accessible(page)
    assert [c.status for c in Contact.objects.filter(request=person).order_by("pk")] == [
        "did_not_attend",
        "attended",
    ]
    page.get_by_role("button", name="Sign out").click()

    # A clinician discharges her to PIFU.
    _sign_in(visit, live_server, personas.clinician, "clinician", f"/care/{person.request_id}/")
    assert page.locator("h1").inner_text() == "Care record"
    assert_accessible(page)
    page.get_by_role("link", name="The exit (discharge, See On Symptom, PIFU)").click()
    page.get_by_label("Patient Initiated Follow-Up (PIFU)").check()
    page.get_by_label("Living well with a long-term condition").check()
    page.get_by_role("button", name="Save").click()
    assert "Exit recorded" in page.locator(".nhsuk-notification-banner").inner_text()
    assert_accessible(page)
    exit_row = Exit.objects.get(request=person)
    assert exit_row.code == "patient_initiated_follow_up"
    assert exit_row.window_ends is not None
    assert exit_row.window_ends > timezone.localdate()

    # Within the window she comes back, without a new referral.
    page.get_by_role("link", name="Record a return").click()
    assert_accessible(page)
    page.get_by_label("Why the person is returning").fill("Knee swelling again after walking")
    page.get_by_role("button", name="Save").click()
    back = Request.objects.get(returned_from=person)
    assert back.status == Status.TRIAGED
    assert (back.pathway, back.band) == (person.pathway, person.band)
    assert back.person_id == person.person_id
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()

    # ...and is on the pathway's waiting list again, for the manager to book.
    _sign_in(visit, live_server, personas.manager, "manager", "/clinics/waiting-list/")
    assert back.request_id in page.locator("#waiting").inner_text()
    assert_accessible(page)
