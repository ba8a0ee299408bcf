"""Outcomes in a real Chromium: a questionnaire completed by one-time link (every part, check your
answers, thank you), the link refused the second time, a clinician's invitation and paper entry
pages, and the public resources; axe finds no serious or critical violation on any page visited."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from imsk.web.accounts import totp
from imsk.web.outcomes import services
from imsk.web.referrals.models import Measure, ResourceHit
from tests.browser.conftest import VisitedPage, assert_accessible
from tests.web.personas import PASSWORD, Personas, build_personas, secret_for
from tests.web.test_outcomes_builders import our_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def personas(live_server: Any) -> Personas:
    return build_personas()


def _continue(visit: VisitedPage, button: str = "Continue") -> None:
    visit.page.get_by_role("button", name=button).click()
    assert_accessible(visit.page)


def _choose_first_options(visit: VisitedPage) -> None:
    """Pick the first answer of every radio group on the page."""
    page = visit.page
    for group in page.locator("fieldset").all():
        group.locator("input[type=radio]").first.check()


def test_a_questionnaire_is_completed_by_link(
    visit: VisitedPage, live_server: Any, personas: Personas
) -> None:
    issued = services.create_invitation(
        actor=personas.clinician,
        request=our_request(personas),
        instruments=["msk_hq", "eq5d5l", "fft", "prem"],
        timepoint="baseline",
    )
    page = visit.page
    page.goto(f"{live_server.url}/my/q/{issued.token}/")
    assert "Questionnaire from Cardiff and Vale MSK" in page.locator("h1").inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="Start now").click()
    assert_accessible(page)
    _continue(visit)  # nothing chosen: the error summary links to question 1
    assert "Select an answer to question 1" in page.locator(".nhsuk-error-summary").inner_text()
    _choose_first_options(visit)
    _continue(visit)
    assert "Part 2 of 4" in page.locator("main").inner_text()
    _choose_first_options(visit)
    page.get_by_label("Your health today on a scale").fill("80")
    _continue(visit)
    page.get_by_label("Very good").check()
    page.get_by_label("Please can you tell us why").fill("Helpful physiotherapist")
    _continue(visit)
    _choose_first_options(visit)
    _continue(visit)
    assert page.locator("h1").inner_text() == "Check your answers before sending them"
    assert "Helpful physiotherapist" in page.locator("main").inner_text()
    _continue(visit, "Send answers")
    assert page.locator("h1").inner_text() == "Answers sent"
    stored = {m.instrument: m for m in Measure.objects.all()}
    assert sorted(stored) == ["eq5d5l", "fft", "msk_hq", "prem"]
    assert stored["msk_hq"].score == 56
    assert stored["eq5d5l"].items == "11111"
    assert stored["eq5d5l"].scoring.vas == 80
    assert stored["fft"].scoring.comment == "Helpful physiotherapist"
    assert stored["prem"].score == 100.0
    page.goto(f"{live_server.url}/my/q/{issued.token}/")
    assert page.locator("h1").inner_text() == "This questionnaire has already been sent"
    assert_accessible(page)
    assert Measure.objects.count() == 4


def test_a_clinician_invites_enters_paper_answers_and_the_public_reads_a_resource_in_welsh(
    visit: VisitedPage, live_server: Any, personas: Personas
) -> None:
    request = our_request(personas)
    services.save_resource(
        actor=personas.manager,
        service=personas.our_service,
        values={
            "slug": "knee",
            "title": "Knee exercises",
            "title_cy": "Ymarferion pen-glin",
            "body": "Bend and stretch.",
        },
    )
    page = visit.page
    page.goto(f"{live_server.url}/accounts/sign-in/?next=/outcomes/{request.request_id}/invite/")
    page.get_by_label("Email address").fill(personas.clinician.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Security code").fill(totp.code_at(secret_for("clinician"), timezone.now()))
    page.get_by_role("button", name="Sign in").click()
    assert page.locator("h1").inner_text() == "Questionnaire invitations"
    assert_accessible(page)
    page.get_by_label("Friends and Family Test").check()
    page.get_by_label("Discharge (end of care)").check()
    _continue(visit, "Send invitation")
    assert "Invitation sent to ann.jones@example.com" in page.locator("main").inner_text()
    page.get_by_role("link", name="Enter a paper questionnaire").click()
    assert_accessible(page)
    page.get_by_role("link", name="Friends and Family Test").click()
    assert_accessible(page)
    page.get_by_label("Good", exact=True).check()
    page.get_by_label("Baseline (start of care)").check()
    page.get_by_label("Date the patient completed it").fill(
        timezone.localdate().strftime("%d/%m/%Y")
    )
    _continue(visit, "Save questionnaire")
    assert Measure.objects.get().score == 2
    page.get_by_role("link", name="Feedback").click()
    assert_accessible(page)
    page.goto(f"{live_server.url}/my/resources/")
    page.get_by_role("button", name="Cymraeg").click()
    assert_accessible(page)
    page.get_by_role("link", name="Ymarferion pen-glin").click()
    assert page.locator("h1").inner_text() == "Ymarferion pen-glin"
    assert_accessible(page)
    assert ResourceHit.objects.get().hits == 1
