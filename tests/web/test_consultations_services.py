"""The consultation record's services: each writes its row and its audit event, or refuses clearly."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from imsk.core.codes import ExitCode
from imsk.web.audit.models import Action, AuditEvent
from imsk.web.consultations import services
from imsk.web.consultations.errors import (
    ConsultationError,
    ExitRefusedError,
    ReturnRefusedError,
)
from imsk.web.consultations.models import Consultation, InterfaceClinicCase
from imsk.web.referrals.errors import ReferralError
from imsk.web.referrals.models import Activity, ConditionCodeEntry, Exit, Request, Status
from tests.web.personas import Personas
from tests.web.test_consultations_builders import contact, senior, triaged_request


def test_a_consultation_keeps_what_matters_the_shared_decision_work_and_signposting(
    personas: Personas,
) -> None:
    request = triaged_request(personas.our_service)
    seen = contact(request)
    given = services.ConsultationInput(
        contact=seen,
        what_matters="Walking the dog again",
        options_discussed="Exercise, injection",
        decision="Exercise programme first",
        work_status="fit_note_issued",
        fit_note_advice="Amended duties for 4 weeks",
        signposting=["physical_activity"],
        signposting_other="Cardiff walking group",
    )
    made = services.record_consultation(actor=personas.clinician, request=request, given=given)
    stored = Consultation.objects.get()
    assert (stored.contact, stored.work_status, stored.signposting) == (
        seen,
        "fit_note_issued",
        ["physical_activity"],
    )
    event = AuditEvent.objects.get(action=Action.CREATE, object_type="consultations.consultation")
    assert event.object_id == str(made.pk)
    assert event.service_id == "cav-msk"


def test_an_appointment_of_another_request_is_refused(personas: Personas) -> None:
    request = triaged_request(personas.our_service)
    other = contact(triaged_request(personas.our_service))
    with pytest.raises(ConsultationError) as refused:
        services.record_activity(
            actor=personas.clinician, request=request, code="INT.EXERCISE", contact=other
        )
    assert refused.value.field == "contact"


def test_an_activity_code_comes_from_the_activity_code_list(personas: Personas) -> None:
    request = triaged_request(personas.our_service)
    services.record_activity(actor=personas.clinician, request=request, code="INV.MRI")
    with pytest.raises(ConsultationError, match=r"INV\.PET"):
        services.record_activity(actor=personas.clinician, request=request, code="INV.PET")
    assert list(Activity.objects.values_list("code", flat=True)) == ["INV.MRI"]


def test_a_condition_code_update_adds_to_the_history_and_keeps_the_first(
    personas: Personas,
) -> None:
    request = triaged_request(personas.our_service)
    services.update_condition_code(actor=personas.clinician, request=request, code="KNEE.PFP")
    codes = list(ConditionCodeEntry.objects.filter(request=request).values_list("code", flat=True))
    assert codes == ["KNEE.OA", "KNEE.PFP"]
    with pytest.raises(ReferralError):
        services.update_condition_code(actor=personas.clinician, request=request, code="NOPE.X")


def test_an_escalation_goes_only_to_a_senior_clinician_of_the_same_service(
    personas: Personas,
) -> None:
    request = triaged_request(personas.our_service)
    junior = senior(personas.our_service, "jo.junior@msk.example", band=6)
    lead = senior(personas.our_service)
    theirs = senior(personas.other_service, "bryn.senior@msk.example", band=8)
    for wrong in (junior, theirs, personas.triage):
        with pytest.raises(ConsultationError) as refused:
            services.raise_escalation(
                actor=personas.clinician, request=request, to=wrong, reason="Advice"
            )
        assert refused.value.field == "to_clinician"
    made = services.raise_escalation(
        actor=personas.clinician, request=request, to=lead, reason="Unclear diagnosis"
    )
    assert services.open_escalations_for(lead) == [made]


def test_a_senior_clinician_cannot_escalate_to_themselves(personas: Personas) -> None:
    request = triaged_request(personas.our_service)
    lead = senior(personas.our_service)
    with pytest.raises(ConsultationError):
        services.raise_escalation(actor=lead, request=request, to=lead, reason="Advice")


def test_only_the_senior_clinician_escalated_to_answers_and_only_once(personas: Personas) -> None:
    request = triaged_request(personas.our_service)
    lead = senior(personas.our_service)
    made = services.raise_escalation(
        actor=personas.clinician, request=request, to=lead, reason="Advice"
    )
    with pytest.raises(ConsultationError):
        services.respond_to_escalation(actor=personas.clinician, escalation=made, response="x")
    services.respond_to_escalation(actor=lead, escalation=made, response="MRI, then review")
    made.refresh_from_db()
    assert made.response == "MRI, then review"
    assert made.responded_at is not None
    with pytest.raises(ConsultationError, match="already"):
        services.respond_to_escalation(actor=lead, escalation=made, response="again")
    assert services.open_escalations_for(lead) == []


def test_a_direct_onward_referral_needs_every_criterion_of_its_subspecialty(
    personas: Personas,
) -> None:
    request = triaged_request(personas.our_service)
    with pytest.raises(ConsultationError, match="interface clinic"):
        services.refer_onward(
            actor=personas.clinician,
            request=request,
            subspecialty="orthopaedics",
            criteria_met=["imaging_supports"],
            summary="Summary",
        )
    referral = services.refer_onward(
        actor=personas.clinician,
        request=request,
        subspecialty="orthopaedics",
        criteria_met=[
            "conservative_care_tried",
            "imaging_supports",
            "wants_surgery",
            "fit_for_opinion",
        ],
        summary="Knee OA, failed 12 weeks exercise; wants TKR opinion",
    )
    assert (referral.route, referral.subspecialty) == ("direct", "orthopaedics")
    assert referral.detail.summary.startswith("Knee OA")


def test_an_interface_clinic_case_writes_an_interface_clinic_referral_and_the_mdt_record(
    personas: Personas,
) -> None:
    request = triaged_request(personas.our_service)
    given = services.InterfaceCaseInput(
        subspecialty="spinal",
        mdt_date=services.london_today(),
        attendees="Spinal surgeon, ESP",
        discussion="Discussed imaging",
        outcome="investigate_first",
    )
    case = services.record_interface_case(actor=personas.clinician, request=request, given=given)
    assert case.onward_referral.route == "interface_clinic"
    assert InterfaceClinicCase.objects.get().discussion == "Discussed imaging"
    future = services.InterfaceCaseInput(**{**given.__dict__, "mdt_date": date.max})
    with pytest.raises(ConsultationError):
        services.record_interface_case(actor=personas.clinician, request=request, given=future)


def test_a_pifu_exit_closes_the_request_with_the_default_window(personas: Personas) -> None:
    request = triaged_request(personas.our_service)
    contact(request)
    made = services.record_exit(
        actor=personas.clinician,
        request=request,
        code=ExitCode.PATIENT_INITIATED_FOLLOW_UP,
        outcome="living_well",
        window_ends=None,
    )
    assert made.window_ends == services.london_today() + timedelta(days=365)
    request.refresh_from_db()
    assert request.status == Status.CLOSED
    assert (
        AuditEvent.objects.filter(object_type="referrals.exit", action=Action.CREATE).count() == 1
    )


def test_the_window_lengths_are_settings(personas: Personas, settings: object) -> None:
    settings.IMSK_SOS_WINDOW_DAYS = 30  # type: ignore[attr-defined]
    request = triaged_request(personas.our_service)
    made = services.record_exit(
        actor=personas.clinician,
        request=request,
        code=ExitCode.SEE_ON_SYMPTOM,
        outcome="resolved",
        window_ends=None,
    )
    assert made.window_ends == services.london_today() + timedelta(days=30)


def test_an_exit_is_refused_while_an_appointment_is_still_booked(personas: Personas) -> None:
    request = triaged_request(personas.our_service)
    contact(request, status="booked", when=timezone.now() + timedelta(days=3))
    with pytest.raises(ExitRefusedError, match="still booked"):
        services.record_exit(
            actor=personas.clinician,
            request=request,
            code=ExitCode.DISCHARGED,
            outcome="resolved",
            window_ends=None,
        )
    assert not Exit.objects.exists()


def test_a_discharge_has_no_window_and_a_window_cannot_end_in_the_past(
    personas: Personas,
) -> None:
    request = triaged_request(personas.our_service)
    today = services.london_today()
    with pytest.raises(ExitRefusedError) as refused:
        services.record_exit(
            actor=personas.clinician,
            request=request,
            code=ExitCode.DISCHARGED,
            outcome="resolved",
            window_ends=today,
        )
    assert refused.value.field == "window_ends"
    with pytest.raises(ExitRefusedError):
        services.record_exit(
            actor=personas.clinician,
            request=request,
            code=ExitCode.SEE_ON_SYMPTOM,
            outcome="resolved",
            window_ends=today - timedelta(days=1),
        )


def test_a_second_exit_is_refused_and_a_closed_record_takes_no_more_actions(
    personas: Personas,
) -> None:
    request = triaged_request(personas.our_service)
    services.record_exit(
        actor=personas.clinician,
        request=request,
        code=ExitCode.DISCHARGED,
        outcome="resolved",
        window_ends=None,
    )
    request.refresh_from_db()
    with pytest.raises(ExitRefusedError, match="already"):
        services.record_exit(
            actor=personas.clinician,
            request=request,
            code=ExitCode.OTHER,
            outcome="other",
            window_ends=None,
        )
    with pytest.raises(ConsultationError, match="closed"):
        services.record_activity(actor=personas.clinician, request=request, code="INT.ADVICE")


def _pifu(personas: Personas) -> Request:
    request = triaged_request(personas.our_service)
    services.record_exit(
        actor=personas.clinician,
        request=request,
        code=ExitCode.PATIENT_INITIATED_FOLLOW_UP,
        outcome="living_well",
        window_ends=None,
    )
    request.refresh_from_db()
    return request


def test_a_return_without_red_flags_goes_straight_back_to_the_previous_pathway(
    personas: Personas,
) -> None:
    old = _pifu(personas)
    new = services.record_return(actor=personas.clinician, old=old, red_flags=[])
    assert (new.channel, new.source, new.returned_from, new.person, new.service) == (
        "return",
        "self",
        old,
        old.person,
        old.service,
    )
    assert (new.status, new.pathway, new.priority, new.band) == (
        Status.TRIAGED,
        "assess_and_support",
        "routine",
        6,
    )
    assert new.request_id.startswith("MSK-7A4-")
    assert list(new.condition_codes.values_list("code", flat=True)) == ["KNEE.OA"]
    assert Exit.objects.get(request=old).window_closed_at is not None


def test_a_return_with_a_red_flag_goes_to_the_triage_worklist(personas: Personas) -> None:
    old = _pifu(personas)
    new = services.record_return(
        actor=personas.clinician, old=old, red_flags=["saddle_anaesthesia"]
    )
    assert (new.status, new.pathway, new.triaged_at) == (Status.RECEIVED, None, None)
    assert new.triage_suggestion is not None
    assert new.triage_suggestion["act_same_day"] is True


def test_a_window_is_used_once(personas: Personas) -> None:
    old = _pifu(personas)
    services.record_return(actor=personas.clinician, old=old, red_flags=[])
    with pytest.raises(ReturnRefusedError, match="already been used"):
        services.record_return(actor=personas.clinician, old=old, red_flags=[])
    assert Request.objects.filter(returned_from=old).count() == 1


def test_a_discharge_leaves_no_window_to_return_under(personas: Personas) -> None:
    request = triaged_request(personas.our_service)
    services.record_exit(
        actor=personas.clinician,
        request=request,
        code=ExitCode.DISCHARGED,
        outcome="resolved",
        window_ends=None,
    )
    with pytest.raises(ReturnRefusedError, match="new referral"):
        services.record_return(actor=personas.clinician, old=request, red_flags=[])


def test_a_return_after_the_window_end_is_refused_with_its_date(personas: Personas) -> None:
    old = _pifu(personas)
    Exit.objects.filter(request=old).update(window_ends=date(2020, 5, 1))
    with pytest.raises(ReturnRefusedError, match="ended on 1 May 2020"):
        services.record_return(actor=personas.clinician, old=old, red_flags=[])


def test_the_band_must_be_an_agenda_for_change_band_of_a_clinician(personas: Personas) -> None:
    with pytest.raises(ConsultationError):
        services.set_clinician_band(actor=None, user=personas.clinician, band=10)
    with pytest.raises(ConsultationError):
        services.set_clinician_band(actor=None, user=personas.manager, band=7)
