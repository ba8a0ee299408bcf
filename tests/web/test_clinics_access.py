"""Who may reach each clinics page: every URL against every role, a visitor who has not signed in,
and the other health board's staff (404 for our records)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client

from imsk.web.accounts.models import Role, User
from imsk.web.audit.models import Action, AuditEvent
from imsk.web.clinics import services
from imsk.web.referrals.models import Contact
from tests.web.personas import Personas, staff_member
from tests.web.test_clinics_builders import clinic, first_slot, triaged_request

NO_ACCESS = ("referrer", "analyst", "national_analyst", "admin", "board_admin", "patient")
BOOKERS = ("triage", "clinician", "manager")


@dataclass(frozen=True)
class Urls:
    """One of each page, about our service's records."""

    clinics: str
    new: str
    waiting: str
    clinic: str
    cancel: str
    book: str
    appointment: str

    def all(self) -> dict[str, str]:
        return dict(self.__dict__)

    def of_records(self) -> dict[str, str]:
        """Pages about one record of ours (another board gets 404)."""
        return {"clinic": self.clinic, "book": self.book, "appointment": self.appointment}


@pytest.fixture
def urls(personas: Personas) -> Urls:
    made = clinic(personas.manager)
    booked = triaged_request(personas.our_service, name="Bethan Booked")
    contact = services.book(personas.clinician, booked, first_slot(made))
    waiting = triaged_request(personas.our_service, name="Wyn Waiting")
    return Urls(
        clinics="/clinics/",
        new="/clinics/new/",
        waiting="/clinics/waiting-list/",
        clinic=f"/clinics/{made.pk}/",
        cancel=f"/clinics/{made.pk}/cancel/",
        book=f"/clinics/book/{waiting.request_id}/",
        appointment=f"/clinics/appointments/{contact.contact_id}/",
    )


def _unchanged() -> tuple[int, int, list[str]]:
    statuses = list(Contact.objects.order_by("id").values_list("status", flat=True))
    return Contact.objects.count(), AuditEvent.objects.exclude(action=Action.VIEW).count(), statuses


def test_a_visitor_who_has_not_signed_in_is_sent_to_sign_in(client: Client, urls: Urls) -> None:
    before = _unchanged()
    for url in urls.all().values():
        for response in (client.get(url), client.post(url, {"status": "attended", "slot": 1})):
            assert response.status_code == 302, url
            assert response["Location"].startswith("/accounts/sign-in/"), url
    assert _unchanged() == before


@pytest.mark.parametrize("name", NO_ACCESS)
def test_roles_without_clinics_work_are_refused_every_page_and_change_nothing(
    client_as: Callable[[User], Client], personas: Personas, urls: Urls, name: str
) -> None:
    client = client_as(getattr(personas, name))
    before = _unchanged()
    for url in urls.all().values():
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"status": "did_not_attend", "slot": 1}).status_code == 403, url
    assert _unchanged() == before


@pytest.mark.parametrize("name", ["triage", "clinician"])
def test_clinicians_work_the_lists_but_cannot_create_or_cancel_clinics(
    client_as: Callable[[User], Client], personas: Personas, urls: Urls, name: str
) -> None:
    client = client_as(getattr(personas, name))
    for key in ("clinics", "waiting", "clinic", "book", "appointment"):
        assert client.get(getattr(urls, key)).status_code == 200, key
    before = _unchanged()
    assert client.get(urls.new).status_code == 403
    assert client.post(urls.cancel).status_code == 403
    assert client.get(urls.cancel).status_code == 403
    assert _unchanged() == before


def test_a_service_manager_reaches_every_page(
    client_as: Callable[[User], Client], personas: Personas, urls: Urls
) -> None:
    client = client_as(personas.manager)
    for url in urls.all().values():
        assert client.get(url).status_code == 200, url


def test_another_boards_clinician_finds_none_of_our_records(
    client_as: Callable[[User], Client], personas: Personas, urls: Urls
) -> None:
    client = client_as(personas.other_board_clinician)
    before = _unchanged()
    for key, url in urls.of_records().items():
        assert client.get(url).status_code == 404, key
        assert client.post(url, {"status": "did_not_attend", "slot": 1}).status_code == 404, key
    assert client.get(urls.new).status_code == 403
    assert client.get(urls.cancel).status_code == 403
    for key in ("clinics", "waiting"):
        page = client.get(getattr(urls, key)).content.decode()
        assert "Llandough" not in page, key
        assert "Wyn Waiting" not in page, key
    assert _unchanged() == before
    theirs = AuditEvent.objects.filter(action=Action.VIEW, actor=personas.other_board_clinician)
    assert not theirs.filter(service_id=personas.our_service.service_id).exists()


def test_another_boards_service_manager_cannot_cancel_our_clinic(
    client_as: Callable[[User], Client], personas: Personas, urls: Urls
) -> None:
    theirs = staff_member(
        "gethin.manager@msk.example", Role.SERVICE_MANAGER, service=personas.other_service
    )
    client = client_as(theirs)
    before = _unchanged()
    assert client.get(urls.cancel).status_code == 404
    assert client.post(urls.cancel).status_code == 404
    assert client.get(urls.clinic).status_code == 404
    assert _unchanged() == before
