"""Who may reach each care record page: every URL against every role, the visitor who has not signed
in, and another health board's clinician (404: the record's existence is not revealed)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from imsk.web.accounts.models import User
from imsk.web.audit.models import Action, AuditEvent
from imsk.web.consultations import services
from imsk.web.consultations.models import Escalation
from imsk.web.referrals.models import Request
from tests.web.personas import Personas
from tests.web.test_consultations_builders import senior, triaged_request

RECORD_PAGES = (
    "",
    "consultation/",
    "condition-code/",
    "activity/",
    "escalate/",
    "onward-referral/",
    "interface-clinic/",
    "exit/",
    "return/",
    "return-link/",
)
WRITE_PAGES = RECORD_PAGES[1:]
NO_ACCESS = ("referrer", "analyst", "national_analyst", "admin", "board_admin", "patient")
READ_ONLY = ("triage", "manager")


@pytest.fixture
def setting(personas: Personas) -> tuple[Request, Escalation]:
    """Our triaged request, with an escalation to our clinician (made senior) from a colleague."""
    request = triaged_request(personas.our_service)
    services.set_clinician_band(actor=None, user=personas.clinician, band=7)
    colleague = senior(personas.our_service, "dai.colleague@msk.example", band=6)
    escalation = services.raise_escalation(
        actor=colleague, request=request, to=personas.clinician, reason="Advice please"
    )
    return request, escalation


def _urls(request: Request, escalation: Escalation) -> list[str]:
    base = f"/care/{request.request_id}/"
    return [
        *(base + page for page in RECORD_PAGES),
        f"{base}escalations/{escalation.pk}/respond/",
    ]


def test_a_visitor_who_has_not_signed_in_is_sent_to_sign_in_from_every_page(
    client: Client, setting: tuple[Request, Escalation]
) -> None:
    for url in [*_urls(*setting), "/care/escalations/"]:
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302, url
            assert response["Location"].startswith("/accounts/sign-in/"), url


@pytest.mark.parametrize("name", NO_ACCESS)
def test_roles_without_care_record_access_get_403_on_every_page(
    client_as: Callable[[User], Client],
    personas: Personas,
    setting: tuple[Request, Escalation],
    name: str,
) -> None:
    client = client_as(getattr(personas, name))
    for url in [*_urls(*setting), "/care/escalations/"]:
        assert client.get(url).status_code == 403, url
        assert client.post(url).status_code == 403, url
    assert not AuditEvent.objects.filter(action=Action.VIEW, object_id=setting[0].request_id)


@pytest.mark.parametrize("name", READ_ONLY)
def test_triage_clinicians_and_managers_read_the_record_but_record_nothing(
    client_as: Callable[[User], Client],
    personas: Personas,
    setting: tuple[Request, Escalation],
    name: str,
) -> None:
    request, escalation = setting
    client = client_as(getattr(personas, name))
    page = client.get(f"/care/{request.request_id}/")
    assert page.status_code == 200
    assert f"/care/{request.request_id}/exit/" not in page.content.decode()
    for url in [*_urls(request, escalation)[1:], "/care/escalations/"]:
        assert client.get(url).status_code == 403, url
        assert client.post(url).status_code == 403, url


def test_a_clinician_of_the_service_opens_every_page_and_each_view_is_audited(
    client_as: Callable[[User], Client],
    personas: Personas,
    setting: tuple[Request, Escalation],
) -> None:
    request, escalation = setting
    client = client_as(personas.clinician)
    urls = _urls(request, escalation)
    for url in urls:
        assert client.get(url).status_code == 200, url
    viewed = AuditEvent.objects.filter(action=Action.VIEW, object_id=request.request_id)
    assert viewed.count() == len(urls)
    assert {e.actor for e in viewed} == {personas.clinician}
    assert viewed.filter(details__page="care_record").count() == 1
    listing = client.get("/care/escalations/")
    assert request.request_id in listing.content.decode()


def test_only_the_clinician_escalated_to_may_open_the_response_page(
    client_as: Callable[[User], Client],
    personas: Personas,
    setting: tuple[Request, Escalation],
) -> None:
    request, escalation = setting
    other = senior(personas.our_service, "eli.other@msk.example", band=8)
    url = f"/care/{request.request_id}/escalations/{escalation.pk}/respond/"
    assert client_as(other).get(url).status_code == 403
    assert client_as(other).post(url, {"response": "x"}).status_code == 403


def test_an_escalation_of_another_request_is_not_found_under_this_one(
    client_as: Callable[[User], Client],
    personas: Personas,
    setting: tuple[Request, Escalation],
) -> None:
    _request, escalation = setting
    another = triaged_request(personas.our_service)
    url = f"/care/{another.request_id}/escalations/{escalation.pk}/respond/"
    assert client_as(personas.clinician).get(url).status_code == 404


def test_another_boards_clinician_finds_nothing_and_no_view_is_recorded(
    client_as: Callable[[User], Client],
    personas: Personas,
    setting: tuple[Request, Escalation],
) -> None:
    request, escalation = setting
    client = client_as(personas.other_board_clinician)
    for url in _urls(request, escalation):
        assert client.get(url).status_code == 404, url
        assert client.post(url).status_code == 404, url
    assert not AuditEvent.objects.filter(action=Action.VIEW, object_id=request.request_id)
    assert request.request_id not in client.get("/care/escalations/").content.decode()


def test_an_unknown_reference_is_not_found(
    client_as: Callable[[User], Client], personas: Personas
) -> None:
    assert client_as(personas.clinician).get("/care/MSK-7A4-999999/").status_code == 404
