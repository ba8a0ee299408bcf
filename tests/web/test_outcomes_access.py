"""Who may reach each staff page of the outcomes app: every URL against every role, a visitor who
has not signed in, and the other health board's clinician (404 for our records)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from imsk.web.accounts.models import Role, User
from imsk.web.audit.models import Action, AuditEvent
from imsk.web.outcomes import services
from imsk.web.outcomes.models import Resource
from tests.web.personas import Personas, staff_member
from tests.web.test_outcomes_builders import our_request

pytestmark = pytest.mark.django_db
EVERYONE = (
    "referrer",
    "triage",
    "clinician",
    "manager",
    "analyst",
    "national_analyst",
    "admin",
    "board_admin",
    "patient",
)
REQUEST_PAGES = ("invite/", "invite/{pk}/resend/", "enter/", "enter/msk_hq/")
CLINICAL = {"triage", "clinician", "manager"}
FEEDBACK_PAGES = ("/outcomes/feedback/", "/outcomes/feedback/new/")
FEEDBACK = {"clinician", "manager"}
RESOURCE_PAGES = (
    "/outcomes/resources/",
    "/outcomes/resources/new/",
    "/outcomes/resources/{pk}/edit/",
)


def _fixtures(personas: Personas) -> tuple[str, int, int]:
    request = our_request(personas)
    issued = services.create_invitation(
        actor=personas.clinician, request=request, instruments=["fft"], timepoint="baseline"
    )
    resource = services.save_resource(
        actor=personas.manager,
        service=personas.our_service,
        values={"slug": "back-pain", "title": "Back pain", "body": "Keep moving."},
    )
    return request.request_id, issued.invitation.pk, resource.pk


def _request_urls(request_id: str, invitation: int) -> list[str]:
    return [f"/outcomes/{request_id}/{page.format(pk=invitation)}" for page in REQUEST_PAGES]


def _all_urls(personas: Personas) -> list[str]:
    request_id, invitation, resource = _fixtures(personas)
    return [
        *_request_urls(request_id, invitation),
        *FEEDBACK_PAGES,
        *(page.format(pk=resource) for page in RESOURCE_PAGES),
    ]


def test_a_visitor_who_has_not_signed_in_is_sent_to_sign_in_from_every_staff_page(
    client: Client, personas: Personas
) -> None:
    for url in _all_urls(personas):
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302, url
            assert response["Location"].startswith("/accounts/sign-in/"), url


@pytest.mark.parametrize("name", EVERYONE)
def test_each_role_reaches_exactly_the_pages_its_job_needs(
    client_as: Callable[[User], Client], personas: Personas, name: str
) -> None:
    request_id, invitation, resource = _fixtures(personas)
    client = client_as(getattr(personas, name))
    for url in _request_urls(request_id, invitation):
        expected = {200, 302} if name in CLINICAL else {403}
        assert client.get(url).status_code in expected, url
    for url in FEEDBACK_PAGES:
        assert client.get(url).status_code == (200 if name in FEEDBACK else 403), url
    for page in RESOURCE_PAGES:
        url = page.format(pk=resource)
        assert client.get(url).status_code == (200 if name == "manager" else 403), url


@pytest.mark.parametrize("name", EVERYONE)
def test_a_refused_role_cannot_post_to_any_page_it_cannot_open(
    client_as: Callable[[User], Client], personas: Personas, name: str
) -> None:
    request_id, invitation, resource = _fixtures(personas)
    client = client_as(getattr(personas, name))
    refused = [] if name in CLINICAL else _request_urls(request_id, invitation)
    refused += [] if name in FEEDBACK else list(FEEDBACK_PAGES)
    refused += [] if name == "manager" else [p.format(pk=resource) for p in RESOURCE_PAGES]
    for url in refused:
        assert client.post(url, {"kind": "complaint", "title": "x"}).status_code == 403, url
    assert Resource.objects.get().title == "Back pain"


def test_another_boards_clinician_finds_none_of_our_requests(
    client_as: Callable[[User], Client], personas: Personas
) -> None:
    request_id, invitation, _resource = _fixtures(personas)
    client = client_as(personas.other_board_clinician)
    for url in _request_urls(request_id, invitation):
        assert client.get(url).status_code == 404, url
        assert client.post(url).status_code == 404, url
    assert not AuditEvent.objects.filter(
        actor=personas.other_board_clinician, object_id=request_id
    ).exists()


def test_another_boards_clinician_sees_only_their_own_services_feedback(
    client_as: Callable[[User], Client], personas: Personas
) -> None:
    services.record_feedback(
        actor=personas.manager,
        service=personas.our_service,
        kind="complaint",
        nature="Waiting time in Cardiff",
        received_at=timezone.now(),
    )
    page = client_as(personas.other_board_clinician).get("/outcomes/feedback/")
    assert page.status_code == 200
    assert "Waiting time in Cardiff" not in page.content.decode()


def test_another_services_manager_cannot_open_our_resource(
    client_as: Callable[[User], Client], personas: Personas
) -> None:
    _request_id, _invitation, resource = _fixtures(personas)
    theirs = staff_member(
        "huw.manager@bcu.example", Role.SERVICE_MANAGER, service=personas.other_service
    )
    client = client_as(theirs)
    assert client.get(f"/outcomes/resources/{resource}/edit/").status_code == 404
    assert client.post(f"/outcomes/resources/{resource}/edit/", {"title": "x"}).status_code == 404
    assert Resource.objects.get(pk=resource).title == "Back pain"
    assert "Back pain" not in client.get("/outcomes/resources/").content.decode()


def test_opening_a_requests_invitations_is_an_audited_view(
    client_as: Callable[[User], Client], personas: Personas
) -> None:
    request_id, _invitation, _resource = _fixtures(personas)
    client_as(personas.clinician).get(f"/outcomes/{request_id}/invite/")
    viewed = AuditEvent.objects.filter(action=Action.VIEW, object_id=request_id)
    assert viewed.get().actor == personas.clinician


def test_the_public_resource_pages_need_no_sign_in(client: Client, personas: Personas) -> None:
    _fixtures(personas)
    assert "Back pain" in client.get("/my/resources/").content.decode()
    assert client.get("/my/resources/cav-msk/back-pain/").status_code == 200
    assert client.get("/my/resources/bcu-msk/back-pain/").status_code == 404


def test_another_boards_clinician_cannot_manage_resources(
    client_as: Callable[[User], Client], personas: Personas
) -> None:
    _request_id, _invitation, resource = _fixtures(personas)
    client = client_as(personas.other_board_clinician)
    for page in RESOURCE_PAGES:
        url = page.format(pk=resource)
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"title": "x"}).status_code == 403, url
