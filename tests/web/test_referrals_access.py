"""Who may reach each referrals page: a deny test for every URL, role and the other health board."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from imsk.web.accounts.models import User
from imsk.web.audit.models import Action, AuditEvent
from imsk.web.referrals import services
from imsk.web.referrals.models import Channel, Request
from tests.web.personas import Personas

SERVICE_STAFF = ("referrer", "triage", "clinician", "manager")
NO_RECORDS = ("analyst", "national_analyst", "admin", "board_admin", "patient")


def _our_request(personas: Personas) -> Request:
    new = services.NewRequest(
        service=personas.our_service,
        channel=Channel.WEB_FORM,
        source="gp",
        category="management_opinion",
        received_at=timezone.now(),
        age=40,
    )
    return services.create_request(new, actor=personas.referrer)


@pytest.mark.parametrize("url", ["/referrals/", "/referrals/new/", "/referrals/MSK-7A4-000001/"])
def test_a_visitor_who_has_not_signed_in_is_sent_to_sign_in(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/")


@pytest.mark.parametrize("name", [*SERVICE_STAFF[1:], *NO_RECORDS, "other_board_clinician"])
def test_only_a_referrer_may_open_the_request_form(
    client_as: Callable[[User], Client], personas: Personas, name: str
) -> None:
    assert client_as(getattr(personas, name)).get("/referrals/new/").status_code == 403


def test_a_referrer_opens_the_request_form(
    client_as: Callable[[User], Client], personas: Personas
) -> None:
    assert client_as(personas.referrer).get("/referrals/new/").status_code == 200


@pytest.mark.parametrize("name", NO_RECORDS)
def test_roles_without_record_access_see_no_request_list_or_request(
    client_as: Callable[[User], Client], personas: Personas, name: str
) -> None:
    request = _our_request(personas)
    client = client_as(getattr(personas, name))
    assert client.get("/referrals/").status_code == 403
    assert client.get(f"/referrals/{request.request_id}/").status_code == 403


@pytest.mark.parametrize("name", SERVICE_STAFF)
def test_service_staff_see_their_services_requests_and_each_view_is_audited(
    client_as: Callable[[User], Client], personas: Personas, name: str
) -> None:
    request = _our_request(personas)
    client = client_as(getattr(personas, name))
    assert request.request_id in client.get("/referrals/").content.decode()
    assert client.get(f"/referrals/{request.request_id}/").status_code == 200
    viewed = AuditEvent.objects.filter(action=Action.VIEW, object_id=request.request_id)
    assert viewed.get().actor == getattr(personas, name)


def test_another_boards_clinician_sees_nothing_of_ours(
    client_as: Callable[[User], Client], personas: Personas
) -> None:
    request = _our_request(personas)
    client = client_as(personas.other_board_clinician)
    assert request.request_id not in client.get("/referrals/").content.decode()
    assert client.get(f"/referrals/{request.request_id}/").status_code == 404
    assert not AuditEvent.objects.filter(action=Action.VIEW, object_id=request.request_id)
