"""Patient self-referral: safety questions first, a red flag stops the form, consent before storing."""

from __future__ import annotations

import pytest
from django.test import Client

from imsk.core.triage import RED_FLAG_FLOOR, RED_FLAG_GROUPS, RedFlag
from imsk.web.audit.models import Action, AuditEvent
from imsk.web.referrals.forms import PATIENT_RED_FLAG_WORDING, SAFETY_ORDER
from imsk.web.referrals.models import Person, Request
from imsk.web.referrals.self_referral import ADVICE, SESSION_KEY
from tests.web.personas import Personas

START = "/self-referral/"


def _start(client: Client) -> None:
    response = client.post(START, {"service": "cav-msk"})
    assert response.status_code == 302
    assert response["Location"] == "/self-referral/cav-msk/safety/1/"


def _answer_safety(client: Client, answers: list[str]) -> str:
    location = ""
    for number, answer in enumerate(answers, start=1):
        response = client.post(f"/self-referral/cav-msk/safety/{number}/", {"answer": answer})
        assert response.status_code == 302
        location = response["Location"]
    return location


def _complete(client: Client, *, consent: bool = True) -> object:
    _start(client)
    assert _answer_safety(client, ["no"] * 5) == "/self-referral/cav-msk/about-you/"
    steps = {
        "about-you": {
            "full_name": "Siân Jones",
            "dob_day": "3",
            "dob_month": "7",
            "dob_year": "1980",
            "nhs_number": "943 476 5919",
        },
        "contact": {"phone": "029 2000 0000", "email": "sian@example.com"},
        "problem": {"body_area": "knee"},
        "impact": {"impact": ["high_pain", "disturbed_sleep"]},
    }
    for step, data in steps.items():
        response = client.post(f"/self-referral/cav-msk/{step}/", data)
        assert response.status_code == 302, response.content
    return client.post("/self-referral/cav-msk/consent/", {"consent": "on"} if consent else {})


def test_every_red_flag_has_patient_wording_and_every_group_a_safety_question() -> None:
    """The safety questions are the triage engine's red-flag groups, not a second list."""
    assert set(PATIENT_RED_FLAG_WORDING) == set(RedFlag)
    assert sorted(SAFETY_ORDER) == sorted(RED_FLAG_GROUPS)
    assert {RED_FLAG_FLOOR[group] for group in SAFETY_ORDER} <= set(ADVICE)


def test_the_first_page_asks_about_cauda_equina_symptoms(
    client: Client, personas: Personas
) -> None:
    _start(client)
    page = client.get("/self-referral/cav-msk/safety/1/").content.decode()
    assert "numbness around your bottom or genitals" in page


def test_a_cauda_equina_answer_stops_the_form_with_emergency_advice_and_keeps_nothing(
    client: Client, personas: Personas
) -> None:
    """GIRFT National Suspected Cauda Equina Syndrome Pathway (2023): emergency assessment now."""
    _start(client)
    location = _answer_safety(client, ["yes"])
    assert location == "/self-referral/cav-msk/urgent/cauda_equina/"
    page = client.get(location).content.decode()
    assert "Go to an emergency department (A&amp;E) now" in page
    assert SESSION_KEY not in client.session
    assert Request.objects.count() == 0
    assert Person.objects.count() == 0
    assert not AuditEvent.objects.filter(action=Action.CREATE, object_type="referrals.request")


@pytest.mark.parametrize("position", range(len(SAFETY_ORDER)))
def test_each_red_flag_group_stops_the_form_with_the_advice_of_its_triage_floor(
    client: Client, personas: Personas, position: int
) -> None:
    _start(client)
    location = _answer_safety(client, ["no"] * position + ["yes"])
    group = SAFETY_ORDER[position]
    assert location == f"/self-referral/cav-msk/urgent/{group.value}/"
    advice = ADVICE[RED_FLAG_FLOOR[group]]
    assert str(advice.heading).replace("&", "&amp;") in client.get(location).content.decode()
    assert Request.objects.count() == 0


def test_the_safety_questions_cannot_be_skipped(client: Client, personas: Personas) -> None:
    _start(client)
    _answer_safety(client, ["no", "no"])
    assert client.get("/self-referral/cav-msk/about-you/")["Location"] == (
        "/self-referral/cav-msk/safety/1/"
    )
    assert client.get("/self-referral/cav-msk/safety/5/")["Location"] == (
        "/self-referral/cav-msk/safety/1/"
    )


def test_a_page_without_a_started_self_referral_is_not_found(client: Client, db: None) -> None:
    assert client.get("/self-referral/cav-msk/safety/1/").status_code == 404


def test_a_completed_self_referral_is_recorded_with_consent_and_acknowledged(
    client: Client, personas: Personas
) -> None:
    response = _complete(client)
    assert response["Location"] == "/self-referral/done/"
    request = Request.objects.select_related("person").get()
    assert request.source == "self"
    assert request.category is None
    assert request.channel == "self_referral"
    assert request.body_area == "knee"
    assert request.triage_facts == {"high_pain": True, "disturbed_sleep": True}
    assert request.person.nhs_number == "9434765919"
    assert request.person.phone == "029 2000 0000"
    assert request.age is not None
    assert request.age >= 45
    event = AuditEvent.objects.get(action=Action.CREATE, object_type="referrals.request")
    assert event.details["consent"] is True
    assert event.actor is None
    done = client.get("/self-referral/done/").content.decode()
    assert request.request_id in done


def test_without_consent_nothing_is_recorded(client: Client, personas: Personas) -> None:
    response = _complete(client, consent=False)
    assert response.status_code == 200
    assert "Tick the box to agree" in response.content.decode()
    assert Request.objects.count() == 0
    assert Person.objects.count() == 0


def test_a_wrong_date_of_birth_is_named(client: Client, personas: Personas) -> None:
    _start(client)
    _answer_safety(client, ["no"] * 5)
    data = {"full_name": "A", "dob_day": "31", "dob_month": "2", "dob_year": "1980"}
    response = client.post("/self-referral/cav-msk/about-you/", data)
    assert response.status_code == 200
    assert "Date of birth must be a real date" in response.content.decode()


def test_the_self_referral_pages_are_in_welsh(client: Client, personas: Personas) -> None:
    client.cookies["django_language"] = "cy"
    page = client.get(START).content.decode()
    assert 'lang="cy"' in page
    assert "Cyfeiriwch eich hun" in page
