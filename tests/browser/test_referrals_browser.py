"""The single point of access in a real Chromium: a self-referral in Welsh, and API idempotency
seen by a triage clinician; axe finds no serious or critical violation on any page visited."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from imsk.web.accounts import totp
from imsk.web.referrals.models import Request
from tests.browser.conftest import VisitedPage, assert_accessible
from tests.web.personas import PASSWORD, Personas, build_personas, secret_for
from tests.web.test_referrals_builders import api_key, native_body

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def personas(live_server: Any) -> Personas:
    return build_personas()


def _continue(visit: VisitedPage, button: str = "Parhau") -> None:
    visit.page.get_by_role("button", name=button).click()
    assert_accessible(visit.page)


def test_a_self_referral_is_completed_in_welsh(
    visit: VisitedPage, live_server: Any, personas: Personas
) -> None:
    page = visit.page
    page.goto(f"{live_server.url}/self-referral/")
    page.get_by_role("button", name="Cymraeg").click()
    assert page.locator("html").get_attribute("lang") == "cy"
    assert page.locator("h1").inner_text() == "Cyfeiriwch eich hun at wasanaeth MSK"
    assert_accessible(page)
    page.get_by_label("Cardiff and Vale MSK").check()
    _continue(visit, "Dechrau nawr")
    for number in range(1, 6):
        assert f"Cwestiwn diogelwch {number} o 5" in page.locator("main").inner_text()
        page.get_by_label("Nac oes").check()
        _continue(visit)
    assert page.locator("h1").inner_text() == "Amdanoch chi"
    page.get_by_label("Enw llawn").fill("Siân Jones")
    page.get_by_label("Diwrnod").fill("3")
    page.get_by_label("Mis").fill("7")
    page.get_by_label("Blwyddyn").fill("1980")
    _continue(visit)
    page.get_by_label("Rhif ffôn").fill("029 2000 0000")
    _continue(visit)
    page.get_by_label("Pen-glin").check()
    _continue(visit)
    page.get_by_label("Mae fy mhoen yn ddifrifol").check()
    _continue(visit)
    page.get_by_label("Rwy'n cytuno").check()
    _continue(visit, "Anfon cais")
    assert page.locator("h1").inner_text() == "Cais wedi'i anfon"
    request = Request.objects.get()
    assert request.request_id in page.locator(".nhsuk-panel").inner_text()
    assert request.source == "self"


def test_a_red_flag_answer_stops_the_self_referral_with_urgent_advice(
    visit: VisitedPage, live_server: Any, personas: Personas
) -> None:
    page = visit.page
    page.goto(f"{live_server.url}/self-referral/")
    page.get_by_label("Cardiff and Vale MSK").check()
    _continue(visit, "Start now")
    page.get_by_label("Yes").check()
    _continue(visit, "Continue")
    assert "Go to an emergency department (A&E) now" in page.locator("h1").inner_text()
    assert Request.objects.count() == 0


def test_three_posts_with_one_idempotency_key_show_one_request_to_the_triage_clinician(
    visit: VisitedPage, live_server: Any, personas: Personas
) -> None:
    page = visit.page
    key = api_key(personas.our_service)
    headers = {"Authorization": f"Bearer {key}", "Idempotency-Key": "browser-1"}
    statuses = [
        page.request.post(f"{live_server.url}/api/requests", data=native_body(), headers=headers)
        for _ in range(3)
    ]
    assert [r.status for r in statuses] == [201, 201, 201]
    reference = statuses[0].json()["request_id"]
    page.goto(f"{live_server.url}/accounts/sign-in/?next=/referrals/")
    page.get_by_label("Email address").fill(personas.triage.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Security code").fill(totp.code_at(secret_for("triage"), timezone.now()))
    page.get_by_role("button", name="Sign in").click()
    assert page.locator("h1").inner_text() == "Requests received"
    assert_accessible(page)
    assert page.locator("tbody tr").count() == 1
    assert reference in page.locator("tbody").inner_text()
    page.get_by_role("link", name=reference).click()
    assert_accessible(page)
    assert reference in page.locator("h1").inner_text()
