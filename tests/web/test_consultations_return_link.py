"""The person's own return link: single use, only within the window, safety questions first, and
a "yes" keeps nothing."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import pytest
from django.test import Client

from imsk.core.codes import ExitCode
from imsk.web.accounts.models import User
from imsk.web.audit.models import Action, AuditEvent
from imsk.web.consultations import services
from imsk.web.consultations.errors import ReturnRefusedError
from imsk.web.consultations.models import ReturnLink
from imsk.web.referrals.models import Channel, Exit, Request, Status
from tests.web.personas import Personas
from tests.web.test_consultations_builders import triaged_request


def _exited(personas: Personas, code: ExitCode = ExitCode.PATIENT_INITIATED_FOLLOW_UP) -> Request:
    request = triaged_request(personas.our_service)
    services.record_exit(
        actor=personas.clinician,
        request=request,
        code=code,
        outcome="living_well",
        window_ends=None,
    )
    request.refresh_from_db()
    return request


def _answer_all_no(client: Client, token: str) -> None:
    client.post(f"/return/{token}/")
    for number in range(1, 6):
        response = client.post(f"/return/{token}/safety/{number}/", {"answer": "no"})
        assert response.status_code == 302


def test_only_the_digest_of_the_link_is_stored_and_its_creation_is_audited(
    personas: Personas,
) -> None:
    old = _exited(personas)
    token = services.issue_return_link(actor=personas.clinician, request=old)
    stored = ReturnLink.objects.get()
    assert token not in stored.digest
    assert len(stored.digest) == 64
    event = AuditEvent.objects.get(action=Action.CREATE, object_type="consultations.returnlink")
    assert token not in str(event.details)


def test_a_link_needs_an_open_window(personas: Personas) -> None:
    discharged = _exited(personas, ExitCode.DISCHARGED)
    with pytest.raises(ReturnRefusedError):
        services.issue_return_link(actor=personas.clinician, request=discharged)


def test_the_person_returns_with_the_link_after_answering_no_to_every_safety_question(
    client: Client, personas: Personas
) -> None:
    old = _exited(personas)
    token = services.issue_return_link(actor=personas.clinician, request=old)
    assert "Cardiff and Vale MSK" in client.get(f"/return/{token}/").content.decode()
    _answer_all_no(client, token)
    done = client.post(f"/return/{token}/confirm/", follow=True).content.decode()
    new = Request.objects.get(returned_from=old)
    assert new.request_id in done
    assert (new.channel, new.status, new.created_by) == (Channel.RETURN, Status.TRIAGED, None)
    assert ReturnLink.objects.get().used_at is not None
    created = AuditEvent.objects.get(action=Action.CREATE, object_id=new.request_id)
    assert created.details["by"] == "person_link"


def test_a_link_works_once(client: Client, personas: Personas) -> None:
    old = _exited(personas)
    token = services.issue_return_link(actor=personas.clinician, request=old)
    _answer_all_no(client, token)
    client.post(f"/return/{token}/confirm/")
    assert client.get(f"/return/{token}/").status_code == 404
    with pytest.raises(ReturnRefusedError):
        services.return_by_link(token=token)
    assert Request.objects.filter(returned_from=old).count() == 1


def test_a_second_link_stops_working_once_the_window_is_used(
    client: Client, personas: Personas
) -> None:
    old = _exited(personas)
    first = services.issue_return_link(actor=personas.clinician, request=old)
    second = services.issue_return_link(actor=personas.clinician, request=old)
    _answer_all_no(client, first)
    client.post(f"/return/{first}/confirm/")
    assert client.get(f"/return/{second}/").status_code == 404


def test_a_link_after_the_window_end_is_not_found(client: Client, personas: Personas) -> None:
    old = _exited(personas)
    token = services.issue_return_link(actor=personas.clinician, request=old)
    Exit.objects.filter(request=old).update(window_ends=date(2024, 1, 1))
    assert client.get(f"/return/{token}/").status_code == 404
    assert client.get("/return/not-a-real-token/").status_code == 404


def test_a_yes_stops_with_urgent_advice_and_records_nothing(
    client: Client, personas: Personas
) -> None:
    old = _exited(personas)
    token = services.issue_return_link(actor=personas.clinician, request=old)
    client.post(f"/return/{token}/")
    page = client.post(f"/return/{token}/safety/1/", {"answer": "yes"}).content.decode()
    assert "Go to an emergency department (A&amp;E) now" in page
    assert client.get(f"/return/{token}/confirm/").status_code == 302  # must start again
    assert not Request.objects.filter(returned_from=old).exists()
    assert ReturnLink.objects.get().used_at is None


def test_the_safety_questions_cannot_be_skipped(client: Client, personas: Personas) -> None:
    old = _exited(personas)
    token = services.issue_return_link(actor=personas.clinician, request=old)
    client.post(f"/return/{token}/")
    skipped = client.get(f"/return/{token}/safety/4/")
    assert skipped["Location"] == f"/return/{token}/safety/1/"
    client.post(f"/return/{token}/confirm/")
    assert not Request.objects.filter(returned_from=old).exists()


def test_a_clinician_creates_the_link_on_the_record_and_sees_it_once(
    client_as: Callable[[User], Client], personas: Personas
) -> None:
    old = _exited(personas)
    client = client_as(personas.clinician)
    assert (
        "Create a return link for the person"
        in client.get(f"/care/{old.request_id}/").content.decode()
    )
    page = client.post(f"/care/{old.request_id}/return-link/").content.decode()
    found = re.search(r'<code id="return-link">http://testserver/return/([^/]+)/</code>', page)
    assert found is not None
    assert services.usable_link(found.group(1)) is not None
    again = client.get(f"/care/{old.request_id}/return-link/").content.decode()
    assert found.group(1) not in again
