"""The care record pages through HTTP: forms post to the services, errors come back on the field."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone, translation

from imsk.web.accounts.models import User
from imsk.web.consultations import services
from imsk.web.consultations.models import Consultation, Escalation, InterfaceClinicCase
from imsk.web.referrals.models import Activity, Exit, OnwardReferral, Request, Status
from tests.web.personas import Personas
from tests.web.test_consultations_builders import contact, senior, triaged_request


@pytest.fixture
def clinician(client_as: Callable[[User], Client], personas: Personas) -> Client:
    return client_as(personas.clinician)


@pytest.fixture
def ours(personas: Personas) -> Request:
    return triaged_request(personas.our_service)


def _post(client: Client, request: Request, page: str, data: dict[str, object]) -> str:
    response = client.post(f"/care/{request.request_id}/{page}/", data, follow=True)
    assert response.status_code == 200
    return response.content.decode()


def test_a_consultation_is_recorded_and_shown_on_the_timeline(
    clinician: Client, ours: Request
) -> None:
    seen = contact(ours)
    page = _post(
        clinician,
        ours,
        "consultation",
        {
            "contact": seen.contact_id,
            "what_matters": "Back to bowls by summer",
            "work_status": "off_sick",
            "signposting": ["peer_support", "employment"],
        },
    )
    assert "Consultation recorded" in page
    assert "Back to bowls by summer" in page
    assert "Peer support and condition charities" in page
    assert Consultation.objects.get().contact == seen


def test_an_empty_consultation_is_refused_with_an_error_linked_to_its_field(
    clinician: Client, ours: Request
) -> None:
    page = _post(clinician, ours, "consultation", {"work_status": "working"})
    assert 'href="#id_notes"' in page
    assert "Enter the clinical notes or what was discussed" in page
    assert not Consultation.objects.exists()


def test_an_activity_and_a_condition_code_are_recorded(clinician: Client, ours: Request) -> None:
    assert "Activity recorded" in _post(clinician, ours, "activity", {"code": "INV.XRAY"})
    page = _post(clinician, ours, "condition-code", {"code": "KNEE.PFP"})
    assert "KNEE.OA" in page
    assert "KNEE.PFP" in page
    assert Activity.objects.get().code == "INV.XRAY"


def test_an_escalation_is_raised_and_answered_through_the_pages(
    client_as: Callable[[User], Client], personas: Personas, ours: Request
) -> None:
    lead = senior(personas.our_service)
    page = _post(
        client_as(personas.clinician),
        ours,
        "escalate",
        {"to_clinician": lead.pk, "reason": "Night pain, unsure"},
    )
    assert "Escalated to a senior clinician" in page
    escalation = Escalation.objects.get()
    response = client_as(lead).post(
        f"/care/{ours.request_id}/escalations/{escalation.pk}/respond/",
        {"response": "Bloods and X-ray"},
    )
    assert response.status_code == 302
    escalation.refresh_from_db()
    assert escalation.response == "Bloods and X-ray"


def test_a_direct_referral_without_every_criterion_points_to_the_interface_clinic(
    clinician: Client, ours: Request
) -> None:
    page = _post(
        clinician,
        ours,
        "onward-referral",
        {"subspecialty": "spinal", "criteria_met": ["spinal:mri_concordant"], "summary": "S"},
    )
    assert "interface clinic instead" in page
    assert not OnwardReferral.objects.exists()


def test_an_interface_clinic_case_needs_a_real_mdt_date(clinician: Client, ours: Request) -> None:
    data = {
        "subspecialty": "rheumatology",
        "mdt_day": "31",
        "mdt_month": "2",
        "mdt_year": "2026",
        "attendees": "Rheumatologist, ESP",
        "discussion": "Raised CRP",
        "outcome": "accepted",
    }
    assert "The MDT date must be a real date" in _post(clinician, ours, "interface-clinic", data)
    today = services.london_today()
    data.update(mdt_day=str(today.day), mdt_month=str(today.month), mdt_year=str(today.year))
    assert "Interface clinic case recorded" in _post(clinician, ours, "interface-clinic", data)
    assert InterfaceClinicCase.objects.get().onward_referral.route == "interface_clinic"


def test_an_exit_is_refused_on_the_page_while_an_appointment_is_booked(
    clinician: Client, ours: Request
) -> None:
    contact(ours, status="booked", when=timezone.now() + timedelta(days=2))
    page = _post(clinician, ours, "exit", {"code": "discharged", "outcome": "resolved"})
    assert "An appointment is still booked" in page
    assert not Exit.objects.exists()


def test_a_pifu_exit_with_a_chosen_window_end_then_a_return_within_it(
    clinician: Client, ours: Request
) -> None:
    ends = services.london_today() + timedelta(days=90)
    page = _post(
        clinician,
        ours,
        "exit",
        {
            "code": "patient_initiated_follow_up",
            "outcome": "living_well",
            "window_day": ends.day,
            "window_month": ends.month,
            "window_year": ends.year,
        },
    )
    assert "Exit recorded" in page
    assert f"/care/{ours.request_id}/return/" in page
    assert Exit.objects.get().window_ends == ends
    page = _post(clinician, ours, "return", {"notes": "Flare-up"})
    new = Request.objects.get(returned_from=ours)
    assert "back on the previous pathway" in page
    assert new.status == Status.TRIAGED
    assert f"/care/{ours.request_id}/" in page  # the new record links back


def test_a_return_after_the_window_shows_why_it_was_refused(
    clinician: Client, ours: Request, personas: Personas
) -> None:
    _post(clinician, ours, "exit", {"code": "see_on_symptom", "outcome": "resolved"})
    Exit.objects.filter(request=ours).update(window_ends=date(2025, 1, 31))
    page = _post(clinician, ours, "return", {})
    assert "The window ended on 31 January 2025: a new referral is needed" in page
    assert not Request.objects.filter(returned_from=ours).exists()


@pytest.mark.parametrize(
    ("name", "sees_link"),
    [("clinician", True), ("triage", True), ("manager", True), ("referrer", False)],
)
def test_the_request_page_links_to_the_care_record_for_those_who_may_open_it(
    client_as: Callable[[User], Client],
    personas: Personas,
    ours: Request,
    name: str,
    sees_link: bool,
) -> None:
    page = client_as(getattr(personas, name)).get(f"/referrals/{ours.request_id}/")
    assert (f'href="/care/{ours.request_id}/"' in page.content.decode()) is sees_link


@pytest.mark.parametrize(("name", "has_entry"), [("clinician", True), ("manager", False)])
def test_clinicians_have_their_escalations_in_the_header(
    client_as: Callable[[User], Client], personas: Personas, name: str, has_entry: bool
) -> None:
    page = client_as(getattr(personas, name)).get("/")
    assert ('href="/care/escalations/"' in page.content.decode()) is has_entry


@pytest.fixture
def in_welsh(clinician: Client) -> Iterator[Client]:
    """The clinician's client with Welsh chosen; English is active again afterwards (the locale
    middleware leaves the last request's language active in the test's thread)."""
    clinician.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    yield clinician
    translation.activate(settings.LANGUAGE_CODE)


def test_the_care_record_and_a_refusal_read_in_welsh(in_welsh: Client, ours: Request) -> None:
    clinician = in_welsh
    page = clinician.get(f"/care/{ours.request_id}/").content.decode()
    assert "<h1>Cofnod gofal</h1>" in page
    assert "Llinell amser" in page
    refused = _post(clinician, ours, "return", {})
    assert "Nid oes gan y cais hwn gyfnod Gweld ar Symptom na PIFU" in refused
