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


NEXT_STEPS = {
    # Received, untriaged: only the triage clinician triages; questionnaires may be sent at baseline.
    "referrer": set(),
    "triage": {
        "Triage this request",
        "Care record",
        "Send a questionnaire",
        "Enter a paper questionnaire",
    },
    "clinician": {"Care record", "Send a questionnaire", "Enter a paper questionnaire"},
    "manager": {"Care record", "Send a questionnaire", "Enter a paper questionnaire"},
}


@pytest.mark.parametrize("name", SERVICE_STAFF)
def test_the_request_page_offers_each_role_only_the_next_steps_it_may_take(
    client_as: Callable[[User], Client], personas: Personas, name: str
) -> None:
    request = _our_request(personas)
    html = client_as(getattr(personas, name)).get(f"/referrals/{request.request_id}/")
    text = html.content.decode()
    offered = {label for label in _ALL_STEPS if f">{label}</a>" in text}
    assert offered == NEXT_STEPS[name]
    for label in offered:  # every link offered opens for that user
        start = text.index(f">{label}</a>")
        href = text[
            text.rindex('href="', 0, start) + 6 : text.index(
                '"', text.rindex('href="', 0, start) + 6
            )
        ]
        assert client_as(getattr(personas, name)).get(href).status_code == 200, (label, href)


def test_a_triaged_request_offers_booking_to_clinic_staff(
    client_as: Callable[[User], Client], personas: Personas
) -> None:
    request = _our_request(personas)
    Request.objects.filter(pk=request.pk).update(
        status="triaged",
        priority="routine",
        pathway="assess_and_support",
        band=6,
        triaged_at=timezone.now(),
    )
    text = client_as(personas.clinician).get(f"/referrals/{request.request_id}/").content.decode()
    assert ">Book an appointment</a>" in text
    assert ">Triage this request</a>" not in text


_ALL_STEPS = (
    "Triage this request",
    "Care record",
    "Book an appointment",
    "Send a questionnaire",
    "Enter a paper questionnaire",
)
