"""The triage pages through HTTP: worklist marks, the triage form, errors, redirect letter, Welsh."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from imsk.web.accounts.models import User
from imsk.web.referrals.models import Request, Status
from imsk.web.triage import services
from imsk.web.triage.models import Addressee, TriageDecision
from tests.web.personas import Personas
from tests.web.triage_builders import london, make_request

SignIn = Callable[[User], Client]


@time_machine.travel(datetime(2026, 11, 10, 9, 0, tzinfo=UTC), tick=False)
def test_the_worklist_marks_red_flags_deadlines_overdue_and_awaiting_information(
    client_as: SignIn, personas: Personas
) -> None:
    flagged = make_request(
        personas.our_service, received_at=london(2026, 11, 4), red_flags=["history_of_cancer"]
    )
    waiting = make_request(personas.our_service, received_at=london(2026, 11, 9))
    services.ask_for_information(
        actor=personas.triage,
        request_id=waiting.request_id,
        asked_of=Addressee.REFERRER,
        question="Which knee?",
    )
    page = client_as(personas.triage).get("/triage/").content.decode()
    assert page.index(flagged.request_id) < page.index(waiting.request_id)
    assert "Red flag" in page
    assert "Thu 5 Nov 2026" in page
    assert "Overdue by 3 working days" in page  # Fri 6, Mon 9, Tue 10
    assert "Awaiting information" in page
    assert "since 10 Nov 2026" in page
    assert 'href="/triage/"' in page  # the header navigation link


def test_the_worklist_has_nhs_pagination(client_as: SignIn, personas: Personas) -> None:
    for _ in range(services.PAGE_SIZE + 1):
        make_request(personas.our_service)
    page = client_as(personas.triage).get("/triage/").content.decode()
    assert "nhsuk-pagination" in page
    assert "Page 2 of 2" in page
    assert client_as(personas.triage).get("/triage/?page=2").status_code == 200


def test_the_screen_shows_every_fired_rule_and_the_deadline(
    client_as: SignIn, personas: Personas
) -> None:
    request = make_request(
        personas.our_service, received_at=london(2026, 11, 4), red_flags=["saddle_anaesthesia"]
    )
    case = services.open_case(
        actor=personas.triage, request_id=request.request_id, today=date.today()
    )
    assert case.engine is not None
    page = client_as(personas.triage).get(f"/triage/{request.request_id}/").content.decode()
    assert "Thursday 5 November 2026" in page
    for rule in case.engine.fired_rules:
        assert rule.title in page
        assert rule.explanation in page
    assert "Act today" in page
    assert "Saddle anaesthesia" in page  # the flag in words, as the request form shows it
    assert "Emergency department now" in page  # the disposition in words
    assert "I confirm this decision is less urgent than the red flag requires" in page


def test_submitting_the_prefilled_form_accepts_the_suggestion(
    client_as: SignIn, personas: Personas
) -> None:
    request = make_request(personas.our_service, recent_surgery_requiring_rehab=True)
    client = client_as(personas.triage)
    response = client.post(
        f"/triage/{request.request_id}/",
        {"priority": "urgent", "pathway": "assess_and_support", "band": "6"},
    )
    assert response.status_code == 302
    decision = TriageDecision.objects.get()
    assert decision.accepted
    assert decision.decided_by == personas.triage
    page = client.get(response["Location"]).content.decode()
    assert "Triage decision recorded." in page
    assert "suggestion accepted" in page
    assert "Record triage decision" not in page  # no second decision


def test_an_override_without_a_reason_shows_an_error_linked_to_the_field(
    client_as: SignIn, personas: Personas
) -> None:
    request = make_request(personas.our_service)
    response = client_as(personas.triage).post(
        f"/triage/{request.request_id}/",
        {"priority": "urgent", "pathway": "assess_and_support", "band": "6"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "nhsuk-error-summary" in page
    assert 'href="#id_override_reason"' in page
    assert Request.objects.get(pk=request.pk).status == Status.RECEIVED


def test_a_manager_sees_the_screen_without_the_decision_form(
    client_as: SignIn, personas: Personas
) -> None:
    request = make_request(personas.our_service)
    page = client_as(personas.manager).get(f"/triage/{request.request_id}/").content.decode()
    assert "Triage suggestion" in page
    assert "Record triage decision" not in page


def test_a_redirect_goes_to_a_printable_letter(client_as: SignIn, personas: Personas) -> None:
    request = make_request(personas.our_service, red_flags=["suspected_persistent_synovitis"])
    client = client_as(personas.triage)
    form = client.get(f"/triage/{request.request_id}/redirect/").content.decode()
    assert 'value="rheumatology" checked' in form  # the engine's destination, pre-selected
    response = client.post(
        f"/triage/{request.request_id}/redirect/",
        {
            "destination": "rheumatology",
            "reason": "Swollen MCP joints for 8 weeks.",
            "letter_to": "referrer",
            "priority": "urgent",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith("/letter/")
    letter = client.get(response["Location"]).content.decode()
    assert "Rheumatology early inflammatory arthritis clinic" in letter
    assert "Swollen MCP joints for 8 weeks." in letter
    assert "triage/print.css" in letter
    assert Request.objects.get(pk=request.pk).status == Status.CLOSED


def test_asking_and_answering_through_the_pages(client_as: SignIn, personas: Personas) -> None:
    request = make_request(personas.our_service)
    client = client_as(personas.triage)
    client.post(
        f"/triage/{request.request_id}/ask/", {"asked_of": "person", "question": "Which side?"}
    )
    assert Request.objects.get(pk=request.pk).status == Status.AWAITING_INFORMATION
    question = request.information_requests.get()
    client.post(
        f"/triage/{request.request_id}/questions/{question.pk}/answer/", {"answer": "Left."}
    )
    assert Request.objects.get(pk=request.pk).status == Status.RECEIVED


def test_a_blank_question_is_an_error_on_its_field(client_as: SignIn, personas: Personas) -> None:
    request = make_request(personas.our_service)
    page = client_as(personas.triage).post(
        f"/triage/{request.request_id}/ask/", {"asked_of": "person", "question": ""}
    )
    assert 'href="#id_question"' in page.content.decode()


def test_the_request_page_links_a_triage_clinician_to_the_triage_screen(
    client_as: SignIn, personas: Personas
) -> None:
    request = make_request(personas.our_service)
    link = f'href="/triage/{request.request_id}/"'
    assert (
        link in client_as(personas.triage).get(f"/referrals/{request.request_id}/").content.decode()
    )


@pytest.mark.parametrize("path", ["/triage/", "screen"])
def test_the_triage_pages_are_in_welsh(client_as: SignIn, personas: Personas, path: str) -> None:
    request = make_request(personas.our_service, received_at=timezone.now())
    url = f"/triage/{request.request_id}/" if path == "screen" else path
    client = client_as(personas.triage)
    client.cookies["django_language"] = "cy"
    page = client.get(url, headers={"accept-language": "cy"}).content.decode()
    assert 'lang="cy"' in page
    welsh = "Rhestr waith brysbennu" if path == "/triage/" else "Cofnodi penderfyniad brysbennu"
    assert welsh in page
