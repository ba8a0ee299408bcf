"""Clinics in a real Chromium: a service manager creates a clinic, books the longest waiter from the
waiting list, records a DNA and rebooks; axe finds no serious or critical violation on any page."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from imsk.web.clinics import services
from imsk.web.referrals.models import Contact
from tests.browser.conftest import VisitedPage, assert_accessible, sign_in
from tests.web.personas import Personas, build_personas
from tests.web.test_clinics_builders import (
    appointment_time_comes,
    next_working_day,
    triaged_request,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def personas(live_server: Any) -> Personas:
    return build_personas()


def _sign_in(visit: VisitedPage, live_server: Any, personas: Personas, next_url: str) -> None:
    sign_in(visit, live_server.url, personas.manager.email, "manager", next_url)


def test_book_from_the_waiting_list_record_a_dna_and_rebook(
    visit: VisitedPage, live_server: Any, personas: Personas
) -> None:
    page = visit.page
    now = timezone.now()
    longest = triaged_request(personas.our_service, received=now - timedelta(days=70), name="Lowri")
    triaged_request(personas.our_service, received=now - timedelta(days=2), name="Siôn")
    _sign_in(visit, live_server, personas, "/clinics/")
    assert page.locator("h1").inner_text() == "Clinics"
    assert_accessible(page)

    page.get_by_role("link", name="Create a clinic").click()
    assert_accessible(page)
    day = next_working_day(personas.our_service, timezone.localdate(now, services.LONDON))
    page.get_by_label("Date", exact=True).fill(day.isoformat())
    page.get_by_label("Start time").fill("09:00")
    page.get_by_label("Number of slots").fill("4")
    page.get_by_label("Slot length").select_option("30")
    page.get_by_label("Band of the clinician").select_option("6")
    page.get_by_label("In person").check()
    page.get_by_label("Location").fill("Llandough Hospital")
    page.get_by_role("button", name="Create clinic").click()
    assert "Llandough Hospital" in page.locator("h1").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="Waiting list").first.click()
    assert_accessible(page)
    rows = page.locator("#waiting tbody tr")
    assert "Lowri" in rows.first.inner_text()  # the longest wait is first
    assert "10" in rows.first.locator("td").nth(5).inner_text()  # 70 days = 10 weeks
    page.get_by_role("link", name=f"Book {longest.request_id}").click()
    assert page.locator("h1").inner_text() == "Book an appointment"
    assert_accessible(page)
    page.locator("#free-times").get_by_role("button").first.click()
    assert "Appointment booked" in page.locator(".nhsuk-notification-banner").inner_text()
    assert_accessible(page)
    first = Contact.objects.get(request=longest)

    appointment_time_comes(first)  # the day of the appointment: Lowri does not come
    page.get_by_role("link", name="Llandough Hospital").click()
    assert_accessible(page)
    page.get_by_role("button", name=f"Did not attend {longest.request_id}").click()
    assert page.locator("#appointment-status").inner_text() == "Did not attend"
    assert_accessible(page)
    first.refresh_from_db()
    assert first.status == "did_not_attend"

    page.get_by_role("link", name="Rebook").click()
    assert_accessible(page)
    page.locator("#free-times").get_by_role("button").first.click()
    assert "Appointment booked" in page.locator(".nhsuk-notification-banner").inner_text()
    assert_accessible(page)
    second = Contact.objects.get(request=longest, status="booked")
    assert second.contact_id == f"{longest.request_id}-C2"
    assert second.kind == "first"
