"""Triage services: the worklist's order and marks, decisions, overrides, questions and redirects."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from imsk.core.codes import ExitCode
from imsk.core.triage import Pathway, Priority
from imsk.web.audit.models import Action, AuditEvent
from imsk.web.consultations import services as consultations
from imsk.web.referrals.models import Request, Status
from imsk.web.referrals.services import ruleset
from imsk.web.triage import services
from imsk.web.triage.errors import (
    NotOpenForTriageError,
    OverrideReasonRequiredError,
    RedFlagDowngradeError,
    RequestNotFoundError,
    TriageError,
)
from imsk.web.triage.models import (
    Addressee,
    Destination,
    InformationRequest,
    TriageDecision,
    TriageQueueEntry,
    TriageQueueMark,
)
from tests.web.personas import Personas
from tests.web.triage_builders import london, make_request

# Wednesday 4 November 2026: routine deadline WD(d, 3) = Monday 9 November; urgent WD(d, 1) = Thu 5.
WEDNESDAY = london(2026, 11, 4)


def test_the_worklist_puts_red_flags_first_then_the_earliest_deadline(personas: Personas) -> None:
    service = personas.our_service
    routine_old = make_request(service, received_at=london(2026, 11, 2))  # due Thu 5 Nov
    routine_new = make_request(service, received_at=WEDNESDAY)  # due Mon 9 Nov
    urgent = make_request(service, received_at=WEDNESDAY, recent_surgery_requiring_rehab=True)
    flagged = make_request(service, received_at=WEDNESDAY, red_flags=["history_of_cancer"])
    synovitis = make_request(
        service, received_at=london(2026, 11, 3), red_flags=["suspected_persistent_synovitis"]
    )
    listed = services.worklist(actor=personas.triage, page_number=1, today=date(2026, 11, 4))
    order = [row.request.request_id for row in listed.rows]
    assert order == [
        synovitis.request_id,  # red flag, due Wed 4 Nov
        flagged.request_id,  # red flag, due Thu 5 Nov, received later
        routine_old.request_id,  # due Thu 5 Nov, received Monday
        urgent.request_id,  # due Thu 5 Nov, received Wednesday
        routine_new.request_id,  # due Mon 9 Nov
    ]
    assert [row.is_red_flag for row in listed.rows] == [True, True, False, False, False]


def test_the_worklist_leaves_out_triaged_and_other_services_requests(
    personas: Personas,
) -> None:
    waiting = make_request(personas.our_service)
    triaged = make_request(personas.our_service)
    services.allocate(
        actor=personas.triage,
        request_id=triaged.request_id,
        allocation=services.Allocation(Priority.ROUTINE, Pathway.ASSESS_AND_SUPPORT, 6),
    )
    make_request(personas.other_service)
    listed = services.worklist(actor=personas.triage, page_number=1, today=date(2026, 11, 4))
    assert [row.request.request_id for row in listed.rows] == [waiting.request_id]


def test_an_overdue_request_is_marked_with_working_days_past_its_deadline(
    personas: Personas,
) -> None:
    # Received Thursday 24 December 2026, urgent: triage by Tuesday 29 December (bank holidays).
    late = make_request(
        personas.our_service, received_at=london(2026, 12, 24), recent_surgery_requiring_rehab=True
    )
    on_time = make_request(personas.our_service, received_at=london(2026, 12, 31))
    listed = services.worklist(actor=personas.triage, page_number=1, today=date(2027, 1, 4))
    rows = {row.request.request_id: row for row in listed.rows}
    assert rows[late.request_id].deadline == date(2026, 12, 29)
    assert rows[late.request_id].is_overdue
    # Wed 30, Thu 31 Dec, (Fri 1 Jan bank holiday), Mon 4 Jan: three working days late.
    assert rows[late.request_id].working_days_overdue == 3
    assert not rows[on_time.request_id].is_overdue


def test_the_worklist_is_one_audited_view_listing_the_requests_shown(personas: Personas) -> None:
    shown = [make_request(personas.our_service) for _ in range(3)]
    services.worklist(actor=personas.triage, page_number=1, today=date(2026, 11, 4))
    event = AuditEvent.objects.filter(action=Action.VIEW, actor=personas.triage).get()
    assert sorted(event.details["listed"]) == sorted(r.request_id for r in shown)
    assert event.details["worklist"] == "triage"


def test_the_worklist_is_paginated_25_to_a_page(personas: Personas) -> None:
    for _ in range(services.PAGE_SIZE + 2):
        make_request(personas.our_service)
    second = services.worklist(actor=personas.triage, page_number=2, today=date(2026, 11, 4))
    assert len(second.rows) == 2
    assert second.page.paginator.count == services.PAGE_SIZE + 2


def test_accepting_the_suggestion_triages_the_request_and_records_the_rule_set_version(
    personas: Personas,
) -> None:
    request = make_request(personas.our_service, received_at=WEDNESDAY, high_pain=True)
    decision = services.allocate(
        actor=personas.triage,
        request_id=request.request_id,
        allocation=services.Allocation(
            Priority.ROUTINE, Pathway.ASSESS_AND_SUPPORT, 6, condition_code="KNEE.OA"
        ),
    )
    request.refresh_from_db()
    assert decision.accepted
    assert decision.override_reason == ""
    assert decision.ruleset_version == ruleset().version
    assert decision.triage_deadline == date(2026, 11, 9)
    assert "no_risk_stratification" in [rule["id"] for rule in decision.fired_rules]
    assert (request.status, request.priority, request.pathway, request.band) == (
        Status.TRIAGED,
        "routine",
        "assess_and_support",
        6,
    )
    assert request.triaged_at is not None
    code = request.condition_codes.get()
    assert code.code == "KNEE.OA"
    assert code.recorded_at <= request.triaged_at  # coded at triage (KPI coded_at_triage)
    logged = AuditEvent.objects.filter(actor=personas.triage).values_list("action", "object_type")
    assert ("create", "triage.triagedecision") in logged
    assert ("update", "referrals.request") in logged
    assert ("create", "referrals.conditioncodeentry") in logged


def test_a_band_within_the_band_requirement_still_accepts_the_suggestion(
    personas: Personas,
) -> None:
    request = make_request(personas.our_service)
    decision = services.allocate(
        actor=personas.triage,
        request_id=request.request_id,
        allocation=services.Allocation(Priority.ROUTINE, Pathway.ASSESS_AND_SUPPORT, 5),
    )
    assert decision.accepted


def test_an_override_without_a_reason_is_refused_and_nothing_is_written(
    personas: Personas,
) -> None:
    request = make_request(personas.our_service)
    with pytest.raises(OverrideReasonRequiredError) as refused:
        services.allocate(
            actor=personas.triage,
            request_id=request.request_id,
            allocation=services.Allocation(Priority.URGENT, Pathway.ASSESS_AND_SUPPORT, 6),
        )
    assert refused.value.field == "override_reason"
    request.refresh_from_db()
    assert request.status == Status.RECEIVED
    assert request.priority is None
    assert not TriageDecision.objects.exists()


def test_an_override_with_a_reason_is_recorded_as_an_override(personas: Personas) -> None:
    request = make_request(personas.our_service)
    decision = services.allocate(
        actor=personas.triage,
        request_id=request.request_id,
        allocation=services.Allocation(
            Priority.URGENT,
            Pathway.SUPPORTED_HIGH_RISK,
            7,
            override=services.Override("Referrer phoned: off work and deteriorating."),
        ),
    )
    assert not decision.accepted
    assert decision.override_reason == "Referrer phoned: off work and deteriorating."
    assert not decision.downgrades_red_flag
    event = AuditEvent.objects.get(object_type="triage.triagedecision")
    assert event.details["override_reason"] == decision.override_reason


def test_a_red_flag_downgrade_needs_a_reason_and_an_explicit_confirmation(
    personas: Personas,
) -> None:
    request = make_request(personas.our_service, red_flags=["history_of_cancer"])
    routine = services.Allocation(
        Priority.ROUTINE,
        Pathway.ASSESS_AND_SUPPORT,
        7,
        override=services.Override("Cancer treated 20 years ago; discussed with the GP."),
    )
    with pytest.raises(RedFlagDowngradeError):
        services.allocate(actor=personas.triage, request_id=request.request_id, allocation=routine)
    confirmed = services.Allocation(
        routine.priority,
        routine.pathway,
        routine.band,
        override=services.Override(routine.override.reason, confirm_red_flag_downgrade=True),
    )
    decision = services.allocate(
        actor=personas.triage, request_id=request.request_id, allocation=confirmed
    )
    assert decision.downgrades_red_flag
    assert not decision.accepted
    assert decision.red_flags == ["history_of_cancer"]


def test_accepting_a_same_day_review_is_not_a_downgrade(personas: Personas) -> None:
    request = make_request(personas.our_service, red_flags=["fever_or_systemically_unwell"])
    decision = services.allocate(
        actor=personas.triage,
        request_id=request.request_id,
        allocation=services.Allocation(Priority.URGENT, Pathway.ASSESS_AND_SUPPORT, 7),
    )
    assert decision.accepted
    assert not decision.downgrades_red_flag
    assert decision.suggested_disposition == "urgent_medical_review"


def test_a_request_cannot_be_triaged_twice(personas: Personas) -> None:
    request = make_request(personas.our_service)
    allocation = services.Allocation(Priority.ROUTINE, Pathway.ASSESS_AND_SUPPORT, 6)
    services.allocate(actor=personas.triage, request_id=request.request_id, allocation=allocation)
    with pytest.raises(NotOpenForTriageError):
        services.allocate(
            actor=personas.triage, request_id=request.request_id, allocation=allocation
        )
    assert TriageDecision.objects.count() == 1


def test_another_boards_request_is_not_found_by_the_services(personas: Personas) -> None:
    theirs = make_request(personas.other_service)
    with pytest.raises(RequestNotFoundError):
        services.open_case(actor=personas.triage, request_id=theirs.request_id, today=date.today())
    with pytest.raises(RequestNotFoundError):
        services.allocate(
            actor=personas.triage,
            request_id=theirs.request_id,
            allocation=services.Allocation(Priority.ROUTINE, Pathway.ASSESS_AND_SUPPORT, 6),
        )


def test_an_unknown_condition_code_is_refused_naming_the_field(personas: Personas) -> None:
    request = make_request(personas.our_service)
    with pytest.raises(TriageError) as refused:
        services.allocate(
            actor=personas.triage,
            request_id=request.request_id,
            allocation=services.Allocation(
                Priority.ROUTINE, Pathway.ASSESS_AND_SUPPORT, 6, condition_code="NOT.A.CODE"
            ),
        )
    assert refused.value.field == "condition_code"
    assert not TriageDecision.objects.exists()


def test_asking_for_information_keeps_the_deadline_and_the_answer_reopens_the_request(
    personas: Personas,
) -> None:
    request = make_request(personas.our_service, received_at=WEDNESDAY)
    asked = services.ask_for_information(
        actor=personas.triage,
        request_id=request.request_id,
        asked_of=Addressee.REFERRER,
        question="Any bladder or bowel change?",
    )
    request.refresh_from_db()
    assert request.status == Status.AWAITING_INFORMATION
    listed = services.worklist(actor=personas.triage, page_number=1, today=date(2026, 11, 10))
    row = listed.rows[0]
    assert row.awaiting_since == asked.asked_at
    assert row.deadline == date(2026, 11, 9)
    assert row.is_overdue
    services.record_answer(
        actor=personas.triage, request_id=request.request_id, question_id=asked.pk, answer="None."
    )
    request.refresh_from_db()
    assert request.status == Status.RECEIVED
    asked.refresh_from_db()
    assert asked.answered_by == personas.triage
    assert asked.answer == "None."


def test_a_request_stays_awaiting_information_until_every_question_is_answered(
    personas: Personas,
) -> None:
    request = make_request(personas.our_service)
    first, second = (
        services.ask_for_information(
            actor=personas.triage, request_id=request.request_id, asked_of=who, question="?"
        )
        for who in (Addressee.REFERRER, Addressee.PERSON)
    )
    services.record_answer(
        actor=personas.triage, request_id=request.request_id, question_id=first.pk, answer="Yes"
    )
    assert Request.objects.get(pk=request.pk).status == Status.AWAITING_INFORMATION
    services.record_answer(
        actor=personas.triage, request_id=request.request_id, question_id=second.pk, answer="No"
    )
    assert Request.objects.get(pk=request.pk).status == Status.RECEIVED
    with pytest.raises(TriageError):
        services.record_answer(
            actor=personas.triage, request_id=request.request_id, question_id=first.pk, answer="!"
        )


def test_a_blank_question_is_refused(personas: Personas) -> None:
    request = make_request(personas.our_service)
    with pytest.raises(TriageError) as refused:
        services.ask_for_information(
            actor=personas.triage,
            request_id=request.request_id,
            asked_of=Addressee.PERSON,
            question="  ",
        )
    assert refused.value.field == "question"
    assert not InformationRequest.objects.exists()


def test_following_a_cauda_equina_suggestion_redirects_and_closes_the_request(
    personas: Personas,
) -> None:
    request = make_request(personas.our_service, red_flags=["saddle_anaesthesia"])
    decision = services.redirect(
        actor=personas.triage,
        request_id=request.request_id,
        redirection=services.Redirect(
            Destination.EMERGENCY_DEPARTMENT,
            "Saddle anaesthesia: suspected cauda equina syndrome.",
            Addressee.PERSON,
            Priority.URGENT,
        ),
    )
    request.refresh_from_db()
    assert decision.accepted
    assert decision.is_redirect
    assert decision.band is None
    assert (request.status, request.pathway, request.priority) == (
        Status.CLOSED,
        "redirected",
        "urgent",
    )
    item, letter = services.letter(actor=personas.triage, request_id=request.request_id)
    assert letter == decision
    assert item == request


def test_redirecting_a_cauda_equina_flag_to_the_gp_is_a_red_flag_downgrade(
    personas: Personas,
) -> None:
    request = make_request(personas.our_service, red_flags=["bladder_disturbance"])
    to_gp = services.Redirect(
        Destination.GP,
        "Long-standing, investigated.",
        Addressee.REFERRER,
        Priority.URGENT,
        override=services.Override("Known neurogenic bladder since 2010, urology follow-up."),
    )
    with pytest.raises(RedFlagDowngradeError):
        services.redirect(actor=personas.triage, request_id=request.request_id, redirection=to_gp)
    assert Request.objects.get(pk=request.pk).status == Status.RECEIVED


def test_a_redirect_to_another_service_must_name_it(personas: Personas) -> None:
    request = make_request(personas.our_service)
    with pytest.raises(TriageError) as refused:
        services.redirect(
            actor=personas.triage,
            request_id=request.request_id,
            redirection=services.Redirect(
                Destination.OTHER,
                "Pain clinic",
                Addressee.REFERRER,
                Priority.ROUTINE,
                override=services.Override("Chronic pain, no MSK need"),
            ),
        )
    assert refused.value.field == "destination_detail"


def test_a_letter_exists_only_for_a_redirected_request(personas: Personas) -> None:
    request = make_request(personas.our_service)
    with pytest.raises(RequestNotFoundError):
        services.letter(actor=personas.triage, request_id=request.request_id)


def test_opening_the_triage_screen_runs_the_engine_and_audits_the_view(
    personas: Personas,
) -> None:
    request = make_request(
        personas.our_service, received_at=WEDNESDAY, red_flags=["significant_trauma"]
    )
    case = services.open_case(
        actor=personas.triage, request_id=request.request_id, today=date(2026, 11, 6)
    )
    assert case.engine is not None
    assert case.engine.triage_deadline == date(2026, 11, 5)
    assert case.is_red_flag
    assert case.is_overdue
    assert "red_flag_suspected_fracture" in [rule.id for rule in case.engine.fired_rules]
    viewed = AuditEvent.objects.get(action=Action.VIEW, object_id=request.request_id)
    assert viewed.details == {"screen": "triage"}


def test_the_engine_sees_the_latest_condition_code(personas: Personas) -> None:
    from imsk.web.referrals.services import record_condition_code

    request = make_request(personas.our_service)
    record_condition_code(actor=personas.triage, request=request, code="INFLAM.SUSPECTED")
    case = services.open_case(
        actor=personas.triage, request_id=request.request_id, today=timezone.localdate()
    )
    assert case.engine is not None
    assert case.engine.disposition.value == "redirect_rheumatology"
    assert case.suggested_destination is Destination.RHEUMATOLOGY


def test_a_request_closed_elsewhere_leaves_the_worklist(personas: Personas) -> None:
    request = make_request(personas.our_service)
    services.worklist(actor=personas.triage, page_number=1, today=date(2026, 11, 4))
    Request.objects.filter(pk=request.pk).update(status=Status.CLOSED)  # e.g. an exit elsewhere
    listed = services.worklist(actor=personas.triage, page_number=1, today=date(2026, 11, 4))
    assert listed.rows == []
    assert not TriageQueueEntry.objects.filter(request=request).exists()


def test_an_untriaged_request_that_exits_leaves_the_worklist_count_at_once(
    personas: Personas,
) -> None:
    leaving, staying = make_request(personas.our_service), make_request(personas.our_service)
    before = services.worklist(actor=personas.triage, page_number=1, today=date(2026, 11, 4))
    assert before.page.paginator.count == 2
    consultations.record_exit(
        actor=personas.clinician,
        request=leaving,
        code=ExitCode.DISCHARGED,
        outcome="",
        window_ends=None,
    )
    assert not TriageQueueEntry.objects.filter(request=leaving).exists()
    after = services.worklist(actor=personas.triage, page_number=1, today=date(2026, 11, 4))
    assert after.page.paginator.count == 1
    assert [row.request.pk for row in after.rows] == [staying.pk]


def test_a_request_committed_late_below_the_mark_is_still_queued(personas: Personas) -> None:
    first = make_request(personas.our_service)
    services.sync_queue(personas.our_service.service_id)
    TriageQueueEntry.objects.filter(request=first).delete()  # as if it committed after the sync
    make_request(personas.our_service)
    assert services.sync_queue(personas.our_service.service_id) == 2
    assert TriageQueueMark.objects.get(service=personas.our_service).last_request_pk > first.pk


def test_a_request_without_a_suggestion_is_queued_by_running_the_engine(
    personas: Personas,
) -> None:
    request = make_request(
        personas.our_service, received_at=WEDNESDAY, red_flags=["bladder_disturbance"]
    )
    Request.objects.filter(pk=request.pk).update(triage_suggestion=None)  # e.g. a data set load
    listed = services.worklist(actor=personas.triage, page_number=1, today=date(2026, 11, 4))
    assert listed.rows[0].deadline == date(2026, 11, 5)
    assert listed.rows[0].is_red_flag


def test_a_decision_removes_the_request_from_the_queue(personas: Personas) -> None:
    request = make_request(personas.our_service)
    services.sync_queue(personas.our_service.service_id)
    services.allocate(
        actor=personas.triage,
        request_id=request.request_id,
        allocation=services.Allocation(Priority.ROUTINE, Pathway.ASSESS_AND_SUPPORT, 6),
    )
    assert not TriageQueueEntry.objects.filter(request=request).exists()
