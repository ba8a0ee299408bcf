"""The care record in a real Chromium: a clinician discharges a person to PIFU and records their
return within the window; axe finds no serious or critical violation on any page visited."""

from __future__ import annotations

from typing import Any

import pytest

from imsk.web.referrals.models import Exit, Request, Status
from tests.browser.conftest import VisitedPage, assert_accessible, sign_in
from tests.web.personas import Personas, build_personas
from tests.web.test_consultations_builders import contact, triaged_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def personas(live_server: Any) -> Personas:
    return build_personas()


def _sign_in(visit: VisitedPage, live_server: Any, personas: Personas, next_url: str) -> None:
    sign_in(visit, live_server.url, personas.clinician.email, "clinician", next_url)


def test_a_clinician_discharges_to_pifu_and_records_a_return_within_the_window(
    visit: VisitedPage, live_server: Any, personas: Personas
) -> None:
    old = triaged_request(personas.our_service)
    contact(old)  # attended: nothing left booked
    page = visit.page
    _sign_in(visit, live_server, personas, f"/care/{old.request_id}/")
    assert page.locator("h1").inner_text() == "Care record"
    assert_accessible(page)

    page.get_by_role("link", name="The exit (discharge, See On Symptom, PIFU)").click()
    assert page.locator("h1").inner_text() == "Record the exit"
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()  # nothing chosen: the error summary
    assert (
        "Select how the person leaves the service"
        in page.locator(".nhsuk-error-summary").inner_text()
    )
    assert_accessible(page)
    page.get_by_label("Patient Initiated Follow-Up (PIFU)").check()
    page.get_by_label("Living well with a long-term condition").check()
    page.get_by_role("button", name="Save").click()

    assert "Exit recorded" in page.locator(".nhsuk-notification-banner").inner_text()
    ends = Exit.objects.get(request=old).window_ends
    assert ends is not None
    assert f"until {ends.day} " in page.locator(".nhsuk-inset-text").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="Record a return").click()
    assert page.locator("h1").inner_text() == "Record a return within the window"
    assert_accessible(page)
    page.get_by_label("Why the person is returning").fill("Flare-up after gardening")
    page.get_by_role("button", name="Save").click()

    new = Request.objects.get(returned_from=old)
    assert new.request_id in page.locator(".nhsuk-caption-l").inner_text()
    assert "back on the previous pathway" in page.locator(".nhsuk-notification-banner").inner_text()
    assert new.status == Status.TRIAGED
    assert Exit.objects.get(request=old).window_closed_at is not None
    assert_accessible(page)

    page.get_by_role("link", name=old.request_id).click()
    assert page.get_by_role("link", name="Record a return").count() == 0  # the window is used
    assert_accessible(page)


def test_the_person_returns_with_their_own_link_after_the_safety_questions(
    visit: VisitedPage, live_server: Any, personas: Personas
) -> None:
    from imsk.core.codes import ExitCode
    from imsk.web.consultations import services

    old = triaged_request(personas.our_service)
    services.record_exit(
        actor=personas.clinician,
        request=old,
        code=ExitCode.SEE_ON_SYMPTOM,
        outcome="resolved",
        window_ends=None,
    )
    token = services.issue_return_link(actor=personas.clinician, request=old)
    page = visit.page
    page.goto(f"{live_server.url}/return/{token}/")
    assert page.locator("h1").inner_text() == "Come back to the MSK service"
    assert_accessible(page)
    page.get_by_role("button", name="Start now").click()
    for number in range(1, 6):
        assert f"Safety question {number} of 5" in page.locator("main").inner_text()
        assert_accessible(page)
        page.get_by_label("No").check()
        page.get_by_role("button", name="Continue").click()
    assert page.locator("h1").inner_text() == "Send your return"
    assert_accessible(page)
    page.get_by_role("button", name="Send").click()
    new = Request.objects.get(returned_from=old)
    assert new.request_id in page.locator(".nhsuk-panel").inner_text()
    assert_accessible(page)
