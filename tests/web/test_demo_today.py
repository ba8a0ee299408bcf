"""The ``imsk_demo_today`` command: a current picture for the demo service, idempotent and audited."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from pytest_django import Settings

from imsk.core.calendar import Nation, calendar_for
from imsk.core.dataset.enums import Pathway
from imsk.core.triage import facts_from_mapping, triage
from imsk.web.accounts.models import User
from imsk.web.audit.models import Action, AuditEvent
from imsk.web.clinics import services as clinics
from imsk.web.clinics.models import Clinic
from imsk.web.consultations.models import Escalation
from imsk.web.demo_content import RED_FLAG_PROFILES, URGENT_PROFILES, WAITING_PROFILES, Profile
from imsk.web.demo_today import LONDON, SERVICE_ID
from imsk.web.referrals import services as referrals
from imsk.web.referrals.models import Contact, Exit, Request, Status
from imsk.web.triage import services as triage_services

pytestmark = pytest.mark.django_db


def _today_picture(seed: int = 2026) -> str:
    out = io.StringIO()
    call_command("imsk_demo_today", "--seed", str(seed), stdout=out)
    return out.getvalue()


@pytest.fixture
def demo_site(settings: Settings) -> None:
    settings.DEBUG = True
    call_command("imsk_demo_users", stdout=io.StringIO())


def _counts() -> dict[str, int]:
    return {
        "requests": Request.objects.count(),
        "clinics": Clinic.objects.count(),
        "appointments": Contact.objects.count(),
        "exits": Exit.objects.count(),
        "escalations": Escalation.objects.count(),
        "audit events": AuditEvent.objects.count(),
    }


def test_the_command_refuses_to_run_when_debug_is_off(settings: Settings) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only when DJANGO_DEBUG is true"):
        _today_picture()
    assert not Request.objects.exists()


def test_the_command_refuses_clearly_without_the_demo_users(settings: Settings) -> None:
    settings.DEBUG = True
    with pytest.raises(CommandError, match=f"service {SERVICE_ID}.*run imsk_demo_users first"):
        _today_picture()
    assert not Request.objects.exists()


def test_a_second_run_the_same_day_adds_nothing_and_every_request_was_audited(
    demo_site: None,
) -> None:
    first = _today_picture()
    after_first = _counts()
    second = _today_picture()
    assert _counts() == after_first
    assert "created nothing" in second
    assert "created nothing" not in first
    assert after_first["requests"] == 70
    assert after_first["exits"] == 1
    created = set(
        AuditEvent.objects.filter(
            action=Action.CREATE, object_type="referrals.request"
        ).values_list("object_id", flat=True)
    )
    assert set(Request.objects.values_list("request_id", flat=True)) <= created


def test_the_worklist_shows_the_untriaged_arrivals_red_flags_first_some_overdue(
    demo_site: None,
) -> None:
    _today_picture()
    triage_clinician = User.objects.get(email="triage@demo.imsk.invalid")
    triage_services.sync_queue(SERVICE_ID)
    ordered = list(triage_services.worklist_queryset(triage_clinician).select_related("request"))
    ranks = [entry.red_flag_rank for entry in ordered]
    assert len(ordered) == 40
    assert ranks == sorted(ranks)
    assert ranks[0] == 0
    assert ranks[-1] == 1
    assert all(e.request.status in triage_services.OPEN_STATUSES for e in ordered)
    today = timezone.localdate(timezone.now(), LONDON)
    assert any(entry.triage_deadline < today for entry in ordered)  # overdue shows
    waiting_for_answers = [e for e in ordered if e.request.status == Status.AWAITING_INFORMATION]
    assert len(waiting_for_answers) == 2


def test_clinics_fall_on_working_days_and_the_waiting_lists_spread_over_weeks(
    demo_site: None,
) -> None:
    _today_picture()
    service = User.objects.get(email="manager@demo.imsk.invalid").service
    assert service is not None
    calendar = calendar_for(service.nation)
    today = timezone.localdate(timezone.now(), LONDON)
    dates = set(Clinic.objects.values_list("date", flat=True))
    assert len(dates) == 5
    assert all(calendar.is_working_day(day) and day >= today for day in dates)
    assert Counter(Clinic.objects.values_list("mode", flat=True))["group"] == 1
    assert Contact.objects.filter(status="booked").count() >= 10
    weeks = {
        entry.weeks
        for pathway in (Pathway.ASSESS_AND_SUPPORT, Pathway.SUPPORTED_HIGH_RISK)
        for entry in clinics.waiting_list(service, pathway, today).entries
    }
    assert len(weeks) >= 8
    assert max(weeks) >= 18


def test_a_different_seed_makes_different_people_on_the_same_day(demo_site: None) -> None:
    _today_picture(seed=1)
    names_1 = set(Request.objects.values_list("person__full_name", "age"))
    _today_picture(seed=2)
    assert Request.objects.count() == 140
    assert set(Request.objects.values_list("person__full_name", "age")) != names_1


@pytest.mark.parametrize(
    ("profile", "expected"),
    [(p, "red flag") for p in RED_FLAG_PROFILES]
    + [(p, "urgent") for p in URGENT_PROFILES]
    + [(p, "waiting list") for p in WAITING_PROFILES],
)
def test_each_kind_of_demo_request_gets_the_triage_its_role_in_the_demo_needs(
    profile: Profile, expected: str
) -> None:
    facts = {
        **profile.facts,
        "received_at": "2026-11-19T10:00:00",
        "source": profile.source,
        "age": 60,
        **({"category": profile.category} if profile.category else {}),
        **({"condition_code": profile.code} if profile.code else {}),
    }
    decision = triage(
        facts_from_mapping(facts, referrals.condition_codes()),
        referrals.ruleset(),
        calendar_for(Nation.WALES),
    )
    if expected == "red flag":
        assert triage_services.red_flag_rank(dict(profile.facts), decision.as_dict()) == 0
    elif expected == "urgent":
        assert decision.priority.value == "urgent"
        assert decision.pathway.value in clinics.BOOKABLE_PATHWAYS
    else:
        assert decision.pathway.value in clinics.BOOKABLE_PATHWAYS
        assert decision.band in (6, 7)
