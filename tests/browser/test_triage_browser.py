"""Triage in a real Chromium: an urgent (red-flag) case on the worklist with its deadline, opened and
accepted; axe finds no serious or critical violation on any page visited."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from imsk.core.calendar import calendar_for
from imsk.web.triage.models import TriageDecision
from tests.browser.conftest import VisitedPage, assert_accessible, sign_in
from tests.web.personas import Personas, build_personas
from tests.web.triage_builders import make_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def personas(live_server: Any) -> Personas:
    return build_personas()


def _sign_in_as_triage(visit: VisitedPage, live_server: Any, personas: Personas) -> None:
    sign_in(visit, live_server.url, personas.triage.email, "triage", "/triage/")


def test_an_urgent_red_flag_case_is_triaged_before_its_deadline(
    visit: VisitedPage, live_server: Any, personas: Personas
) -> None:
    routine = make_request(personas.our_service)
    urgent = make_request(personas.our_service, red_flags=["fever_or_systemically_unwell"])
    received_on = timezone.localdate(urgent.received_at)
    deadline = calendar_for(personas.our_service.nation).add_working_days(received_on, 1)
    page = visit.page
    _sign_in_as_triage(visit, live_server, personas)
    assert page.locator("h1").inner_text() == "Triage worklist"
    assert_accessible(page)
    rows = page.locator("tbody tr")
    assert rows.count() == 2
    first = rows.nth(0)
    assert urgent.request_id in first.inner_text()  # red flags first
    assert "Red flag" in first.inner_text()
    assert first.locator(".imsk-deadline").inner_text() == deadline.strftime("%a %-d %b %Y")
    assert routine.request_id in rows.nth(1).inner_text()

    page.get_by_role("link", name=urgent.request_id).click()
    assert urgent.request_id in page.locator("h1").inner_text()
    assert page.locator("#triage-deadline").inner_text() == deadline.strftime("%A %-d %B %Y")
    assert "Suspected infection" in page.locator("#rules-fired").inner_text()
    assert_accessible(page)
    assert page.get_by_role("radio", name="Urgent").is_checked()  # the suggestion, pre-filled

    page.get_by_role("button", name="Record triage decision").click()
    assert "Triage decision recorded." in page.locator("main").inner_text()
    assert_accessible(page)
    decision = TriageDecision.objects.get()
    assert decision.accepted
    assert decision.priority == "urgent"
    assert decision.triage_deadline == deadline

    page.get_by_role("link", name="Back to the triage worklist").click()
    assert page.locator("tbody tr").count() == 1
    assert urgent.request_id not in page.locator("tbody").inner_text()
