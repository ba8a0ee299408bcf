"""The professional request form: server-side validation naming the field, the acknowledgement."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client

from imsk.web.accounts.models import User
from imsk.web.referrals.models import Request
from tests.web.personas import Personas


def _form(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "nhs_number": "943 476 5919",
        "full_name": "Ann Jones",
        "dob_day": "1",
        "dob_month": "5",
        "dob_year": "1970",
        "sex": "female",
        "referrer_practice": "W91042",
        "source": "gp",
        "category": "diagnosis_and_management_opinion",
        "condition_code": "BACK.RADICULAR",
        "findings": ["high_pain"],
        "referrer_priority": "routine",
        "free_text": "Leg pain.",
    }
    data.update(changes)
    return data


def test_a_referrer_sends_a_request_and_sees_the_reference(
    client_as: Callable[[User], Client], personas: Personas
) -> None:
    client = client_as(personas.referrer)
    response = client.post("/referrals/new/", _form())
    request = Request.objects.get()
    assert response["Location"] == f"/referrals/{request.request_id}/"
    assert request.service == personas.our_service
    assert request.created_by == personas.referrer
    assert request.category == "diagnosis_and_management_opinion"
    assert request.triage_facts == {"high_pain": True}
    assert request.condition_codes.get().code == "BACK.RADICULAR"
    page = client.get(response["Location"]).content.decode()
    assert "Request received" in page
    assert request.request_id in page


def test_a_red_flag_shows_the_same_day_action_on_the_acknowledgement(
    client_as: Callable[[User], Client], personas: Personas
) -> None:
    """NICE NG59 / IFOMPT 2020: suspected cancer needs a same-day medical review."""
    client = client_as(personas.referrer)
    response = client.post("/referrals/new/", _form(red_flags=["unexplained_weight_loss"]))
    page = client.get(response["Location"]).content.decode()
    assert "Act today" in page
    assert Request.objects.get().triage_facts["red_flags"] == ["unexplained_weight_loss"]


def test_an_invalid_nhs_number_is_named_and_nothing_is_recorded(
    client_as: Callable[[User], Client], personas: Personas
) -> None:
    response = client_as(personas.referrer).post("/referrals/new/", _form(nhs_number="9434765918"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "is not a valid 10-digit NHS number" in page
    assert 'href="#id_nhs_number"' in page
    assert Request.objects.count() == 0


def test_missing_answers_are_each_named(
    client_as: Callable[[User], Client], personas: Personas
) -> None:
    response = client_as(personas.referrer).post(
        "/referrals/new/", _form(source="", category="", dob_day="", dob_month="", dob_year="")
    )
    page = response.content.decode()
    assert "Select who is making the request" in page
    assert "Select the request category" in page
    assert Request.objects.count() == 0
