"""Properties of the triage service (Hypothesis): the clinical-safety floor and working-day deadlines.

1. For any facts with a red flag and any choice a clinician could make, a *recorded* decision is
   never less urgent than the engine's suggestion unless it went the override path: not accepted,
   with a reason and the explicit red-flag confirmation. The oracle below is written from the
   engine's severity order (docs/triage-rules.md), not from the service's code.
2. Every triage deadline stored or shown falls on a working day of the service's nation, and is
   WD(d, 1) for urgent and WD(d, 3) for routine requests.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imsk.core.calendar import calendar_for
from imsk.core.triage import Pathway, Priority, RedFlag
from imsk.web.referrals.models import Request, Status
from imsk.web.triage import services
from imsk.web.triage.errors import OverrideReasonRequiredError, RedFlagDowngradeError
from imsk.web.triage.models import Addressee, Destination, TriageDecision, TriageQueueEntry
from tests.web.personas import Personas
from tests.web.triage_builders import LONDON, make_request

pytestmark = pytest.mark.django_db

PROPERTY_SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

#: Oracle: what a recorded decision must do to be at least as urgent as each engine disposition.
#: ``"in service"`` = allocated a pathway in the service (not redirected).
AT_LEAST_AS_URGENT: dict[str, set[str]] = {
    "emergency_redirect": {"emergency_department"},
    "urgent_medical_review": {"in service", "emergency_department"},
    "redirect_paediatrics": {"paediatrics", "emergency_department"},
    "redirect_rheumatology": {"rheumatology", "paediatrics", "emergency_department"},
    "accept": {"in service", "rheumatology", "paediatrics", "emergency_department", "gp", "other"},
}

FLAG_FACTS = (
    "recent_surgery_requiring_rehab",
    "recent_injury_requiring_rehab",
    "high_pain",
    "significant_loss_of_function",
    "disturbed_sleep",
    "unable_to_work_or_care",
    "meets_subspecialty_criteria",
)

received_ats = st.builds(
    lambda day, minutes: datetime.combine(day, time(0, 0), tzinfo=LONDON).replace(
        hour=minutes // 60, minute=minutes % 60
    ),
    st.dates(min_value=date(2026, 1, 1), max_value=date(2030, 12, 31)),
    st.integers(min_value=0, max_value=24 * 60 - 1),
)

request_facts = st.fixed_dictionaries(
    {
        "red_flags": st.sets(st.sampled_from([f.value for f in RedFlag]), min_size=1).map(sorted),
        "age": st.integers(min_value=0, max_value=130),
        "category": st.sampled_from(
            [
                "rehabilitation_intervention",
                "diagnosis_and_management_opinion",
                "management_opinion",
            ]
        ),
        "start_back": st.sampled_from(["low", "medium", "high"]),
        "activation": st.sampled_from(["low", "high", "unknown"]),
        **{name: st.booleans() for name in FLAG_FACTS},
    }
)

overrides = st.builds(
    services.Override,
    reason=st.sampled_from(["", "Discussed with the referrer by phone."]),
    confirm_red_flag_downgrade=st.booleans(),
)

allocations = st.builds(
    services.Allocation,
    priority=st.sampled_from(list(Priority)),
    pathway=st.sampled_from([p for p in Pathway if p is not Pathway.REDIRECTED]),
    band=st.integers(min_value=5, max_value=9),
    override=overrides,
)

redirects = st.builds(
    services.Redirect,
    destination=st.sampled_from(list(Destination)),
    reason=st.just("Not for this service."),
    letter_to=st.sampled_from(list(Addressee)),
    priority=st.sampled_from(list(Priority)),
    destination_detail=st.just("Pain clinic"),
    override=overrides,
)


def _decide(personas: Personas, request_id: str, choice: Any) -> TriageDecision:
    if isinstance(choice, services.Allocation):
        return services.allocate(actor=personas.triage, request_id=request_id, allocation=choice)
    return services.redirect(actor=personas.triage, request_id=request_id, redirection=choice)


def _is_at_least_as_urgent(decision: TriageDecision) -> bool:
    where = decision.destination or "in service"
    priority_kept = not (decision.suggested_priority == "urgent" and decision.priority == "routine")
    return priority_kept and where in AT_LEAST_AS_URGENT[decision.suggested_disposition]


@PROPERTY_SETTINGS
@given(facts=request_facts, choice=st.one_of(allocations, redirects))
def test_a_red_flag_decision_is_never_less_urgent_unless_overridden_with_reason_and_confirmation(
    personas: Personas, facts: dict[str, Any], choice: Any
) -> None:
    request = make_request(personas.our_service, **facts)
    try:
        decision = _decide(personas, request.request_id, choice)
    except (OverrideReasonRequiredError, RedFlagDowngradeError):
        assert not TriageDecision.objects.filter(request=request).exists()
        request.refresh_from_db()
        assert request.triaged_at is None
        return
    assert decision.red_flags == facts["red_flags"]
    if not _is_at_least_as_urgent(decision):
        assert not decision.accepted
        assert decision.override_reason.strip() != ""
        assert decision.downgrades_red_flag
        assert choice.override.confirm_red_flag_downgrade


@PROPERTY_SETTINGS
@given(received_at=received_ats, urgent=st.booleans(), red_flag=st.booleans())
def test_every_deadline_stored_or_shown_is_the_right_working_day(
    personas: Personas, received_at: datetime, urgent: bool, red_flag: bool
) -> None:
    request = make_request(
        personas.our_service,
        received_at=received_at,
        recent_surgery_requiring_rehab=urgent,
        red_flags=["significant_trauma"] if red_flag else None,
    )
    wales = calendar_for(personas.our_service.nation)
    received_on = received_at.date()
    expected = wales.add_working_days(received_on, 1 if urgent or red_flag else 3)
    listed = services.worklist(actor=personas.triage, page_number=1, today=received_on)
    shown = next(r for r in listed.rows if r.request.pk == request.pk)
    assert shown.deadline == expected
    assert wales.is_working_day(expected)
    assert not shown.is_overdue
    decision = services.allocate(
        actor=personas.triage,
        request_id=request.request_id,
        allocation=services.Allocation(
            Priority.URGENT,
            Pathway.SUBSPECIALTY,
            8,
            override=services.Override("test", confirm_red_flag_downgrade=True),
        ),
    )
    assert decision.triage_deadline == expected
    assert wales.is_working_day(decision.triage_deadline)


waiting_requests = st.lists(
    st.fixed_dictionaries(
        {
            "received_at": received_ats,
            "red_flag": st.booleans(),
            "urgent": st.booleans(),
        }
    ),
    min_size=1,
    max_size=6,
)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(waiting=waiting_requests)
def test_the_worklist_shows_every_red_flag_first_then_deadlines_in_order(
    personas: Personas, waiting: list[dict[str, Any]]
) -> None:
    made = [
        make_request(
            personas.our_service,
            received_at=w["received_at"],
            recent_surgery_requiring_rehab=w["urgent"],
            red_flags=["history_of_cancer"] if w["red_flag"] else None,
        )
        for w in waiting
    ]
    listed = services.worklist(actor=personas.triage, page_number=1, today=date(2026, 1, 1))
    keys = [(0 if r.is_red_flag else 1, r.deadline) for r in listed.rows]
    assert keys == sorted(keys)
    flagged = {m.request_id for m, w in zip(made, waiting, strict=True) if w["red_flag"]}
    assert {r.request.request_id for r in listed.rows if r.is_red_flag} == flagged
    assert sorted(r.request.pk for r in listed.rows) == sorted(m.pk for m in made)
    # leave the next example an empty worklist
    TriageQueueEntry.objects.all().delete()
    Request.objects.filter(pk__in=[m.pk for m in made]).update(status=Status.CLOSED)
