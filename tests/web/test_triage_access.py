"""Who may reach each triage page: every URL against every role, a visitor who has not signed in,
another board's clinician, and another board's triage clinician (404: existence not revealed)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client

from imsk.core.triage import Priority
from imsk.web.accounts.models import Role, User
from imsk.web.audit.models import Action, AuditEvent
from imsk.web.referrals.models import Request
from imsk.web.triage import services
from imsk.web.triage.models import Addressee, Destination, InformationRequest, TriageDecision
from tests.web.personas import Personas, staff_member
from tests.web.triage_builders import make_request

ALL_ROLES = (
    "referrer",
    "triage",
    "clinician",
    "manager",
    "analyst",
    "national_analyst",
    "admin",
    "board_admin",
    "patient",
    "other_board_clinician",
)
READ_ONLY = {"manager"}  # sees the worklist, screens and letters; decides nothing
DECIDES = {"triage"}


@dataclass(frozen=True)
class Records:
    waiting: Request  # received, with an open question
    question: InformationRequest
    redirected: Request  # closed, with a letter


@pytest.fixture
def records(personas: Personas) -> Records:
    waiting = make_request(personas.our_service)
    question = services.ask_for_information(
        actor=personas.triage,
        request_id=waiting.request_id,
        asked_of=Addressee.PERSON,
        question="?",
    )
    redirected = make_request(personas.our_service, age=12)
    services.redirect(
        actor=personas.triage,
        request_id=redirected.request_id,
        redirection=services.Redirect(
            Destination.PAEDIATRICS, "Under 18", Addressee.REFERRER, Priority.ROUTINE
        ),
    )
    return Records(waiting, question, redirected)


def _urls(records: Records) -> dict[str, tuple[str, str]]:
    """Name -> (url, who may GET it: 'read' = triage clinician and manager, 'decide' = clinician)."""
    ref = records.waiting.request_id
    return {
        "worklist": ("/triage/", "read"),
        "screen": (f"/triage/{ref}/", "read"),
        "ask": (f"/triage/{ref}/ask/", "decide"),
        "answer": (f"/triage/{ref}/questions/{records.question.pk}/answer/", "decide"),
        "redirect": (f"/triage/{ref}/redirect/", "decide"),
        "letter": (f"/triage/{records.redirected.request_id}/letter/", "read"),
    }


URL_NAMES = ("worklist", "screen", "ask", "answer", "redirect", "letter")


def _allowed(name: str, level: str) -> bool:
    return name in DECIDES or (level == "read" and name in READ_ONLY)


@pytest.mark.parametrize("url_name", URL_NAMES)
def test_a_visitor_who_has_not_signed_in_is_sent_to_sign_in(
    client: Client, records: Records, url_name: str
) -> None:
    url, _level = _urls(records)[url_name]
    for response in (client.get(url), client.post(url, {})):
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/sign-in/")


@pytest.mark.parametrize("url_name", URL_NAMES)
@pytest.mark.parametrize("name", ALL_ROLES)
def test_every_role_gets_the_page_only_if_its_role_allows(
    client_as: Callable[[User], Client],
    personas: Personas,
    records: Records,
    url_name: str,
    name: str,
) -> None:
    url, level = _urls(records)[url_name]
    response = client_as(getattr(personas, name)).get(url)
    assert response.status_code == (200 if _allowed(name, level) else 403)


@pytest.mark.parametrize("url_name", ["screen", "ask", "answer", "redirect"])
@pytest.mark.parametrize("name", [n for n in ALL_ROLES if n not in DECIDES])
def test_only_a_triage_clinician_may_post_a_decision_question_answer_or_redirect(
    client_as: Callable[[User], Client],
    personas: Personas,
    records: Records,
    url_name: str,
    name: str,
) -> None:
    url, _level = _urls(records)[url_name]
    response = client_as(getattr(personas, name)).post(
        url,
        {"priority": "urgent", "pathway": "assess_and_support", "band": "6", "answer": "x"},
    )
    assert response.status_code == 403
    assert not TriageDecision.objects.filter(request=records.waiting).exists()
    records.question.refresh_from_db()
    assert records.question.is_open


@pytest.mark.parametrize("url_name", ["screen", "ask", "answer", "redirect", "letter"])
def test_another_boards_triage_clinician_finds_none_of_our_records(
    client_as: Callable[[User], Client], personas: Personas, records: Records, url_name: str
) -> None:
    theirs = staff_member(
        "gethin.gogledd@msk.example", Role.TRIAGE_CLINICIAN, service=personas.other_service
    )
    url, _level = _urls(records)[url_name]
    client = client_as(theirs)
    assert client.get(url).status_code == 404
    assert client.post(url, {"answer": "x"}).status_code == 404
    assert records.waiting.request_id not in client.get("/triage/").content.decode()
    viewed = AuditEvent.objects.filter(action=Action.VIEW, object_id=records.waiting.request_id)
    assert not viewed.filter(actor=theirs).exists()


def test_a_question_of_another_request_is_not_found(
    client_as: Callable[[User], Client], personas: Personas, records: Records
) -> None:
    other = make_request(personas.our_service)
    url = f"/triage/{other.request_id}/questions/{records.question.pk}/answer/"
    assert client_as(personas.triage).get(url).status_code == 404
