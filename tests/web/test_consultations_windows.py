"""SOS and PIFU windows: a return is accepted iff today <= window end and the window is unused;
expired windows close by the scheduled task, idempotently, with one audit event a run."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imsk.core.codes import ExitCode
from imsk.web.audit.models import Action, AuditEvent
from imsk.web.consultations import services
from imsk.web.consultations.errors import ReturnRefusedError
from imsk.web.consultations.windows import is_return_allowed
from imsk.web.referrals.models import Exit, Request
from tests.web.personas import Personas
from tests.web.test_consultations_builders import triaged_request


@given(
    ends=st.none() | st.dates(),
    today=st.dates(),
    is_used=st.booleans(),
)
def test_the_window_rule_is_today_on_or_before_the_end_of_an_unused_window(
    ends: date | None, today: date, is_used: bool
) -> None:
    allowed = is_return_allowed(window_ends=ends, is_used=is_used, today=today)
    assert allowed == (ends is not None and not is_used and today <= ends)


def _exited(personas: Personas, code: ExitCode = ExitCode.SEE_ON_SYMPTOM) -> Request:
    request = triaged_request(personas.our_service)
    services.record_exit(
        actor=personas.clinician, request=request, code=code, outcome="resolved", window_ends=None
    )
    request.refresh_from_db()
    return request


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(offset=st.integers(min_value=-400, max_value=400), used=st.booleans())
def test_a_return_is_accepted_iff_today_is_within_an_unused_window(
    personas: Personas, offset: int, used: bool
) -> None:
    old = _exited(personas)
    today = services.london_today()
    closed = datetime(2026, 1, 1, tzinfo=UTC) if used else None
    Exit.objects.filter(request=old).update(
        window_ends=today + timedelta(days=offset), window_closed_at=closed
    )
    try:
        new = services.record_return(actor=personas.clinician, old=old, red_flags=[])
    except ReturnRefusedError:
        accepted = False
    else:
        accepted = new.returned_from == old
    assert accepted == (offset >= 0 and not used)
    assert Request.objects.filter(returned_from=old).count() == int(accepted)


def test_the_last_day_of_the_window_is_a_london_date(personas: Personas) -> None:
    old = _exited(personas)
    Exit.objects.filter(request=old).update(window_ends=date(2026, 6, 30))
    # 23:30 UTC on 30 June is 00:30 on 1 July in London (BST): the window has ended.
    with (
        time_machine.travel(datetime(2026, 6, 30, 23, 30, tzinfo=UTC), tick=False),
        pytest.raises(ReturnRefusedError, match="ended on 30 June 2026"),
    ):
        services.record_return(actor=personas.clinician, old=old, red_flags=[])
    with time_machine.travel(datetime(2026, 6, 30, 22, 30, tzinfo=UTC), tick=False):
        assert services.record_return(actor=personas.clinician, old=old, red_flags=[])


def test_the_command_closes_expired_windows_once_and_audits_each_run(personas: Personas) -> None:
    expired_sos = _exited(personas)
    expired_pifu = _exited(personas, ExitCode.PATIENT_INITIATED_FOLLOW_UP)
    open_sos = _exited(personas)
    ends_today = _exited(personas)
    discharged = _exited(personas, ExitCode.DISCHARGED)
    today = date(2027, 3, 1)
    Exit.objects.filter(request__in=[expired_sos, expired_pifu]).update(
        window_ends=date(2027, 2, 28)
    )
    Exit.objects.filter(request=open_sos).update(window_ends=date(2027, 3, 2))
    Exit.objects.filter(request=ends_today).update(window_ends=today)
    out = StringIO()
    call_command("imsk_close_expired_windows", "--today", today.isoformat(), stdout=out)
    assert "closed 2 expired window(s) as of 2027-03-01" in out.getvalue()
    assert "patient_initiated_follow_up 1" in out.getvalue()
    closed = set(
        Exit.objects.filter(window_closed_at__isnull=False).values_list("request_id", flat=True)
    )
    assert closed == {expired_sos.pk, expired_pifu.pk}
    first_closed_at = Exit.objects.get(request=expired_sos).window_closed_at
    again = StringIO()
    call_command("imsk_close_expired_windows", "--today", today.isoformat(), stdout=again)
    assert "closed 0 expired window(s)" in again.getvalue()
    assert Exit.objects.get(request=expired_sos).window_closed_at == first_closed_at
    assert Exit.objects.get(request=discharged).window_closed_at is None
    runs = AuditEvent.objects.filter(action=Action.UPDATE, object_id="expired-windows")
    assert [e.details["closed"] for e in runs.order_by("id")] == [
        {"see_on_symptom": 1, "patient_initiated_follow_up": 1},
        {"see_on_symptom": 0, "patient_initiated_follow_up": 0},
    ]


def test_a_closed_window_refuses_a_return(personas: Personas) -> None:
    old = _exited(personas)
    Exit.objects.filter(request=old).update(window_ends=date(2020, 1, 1))
    services.close_expired_windows(today=services.london_today())
    with pytest.raises(ReturnRefusedError, match="closed"):
        services.record_return(actor=personas.clinician, old=old, red_flags=[])


def test_the_command_refuses_a_date_it_cannot_read(db: None) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="not a date"):
        call_command("imsk_close_expired_windows", "--today", "1/3/2027")


def test_the_band_command_makes_a_clinician_senior_and_refuses_an_unknown_email(
    personas: Personas,
) -> None:
    from django.core.management.base import CommandError

    out = StringIO()
    call_command("imsk_set_clinician_band", personas.clinician.email.upper(), "8", stdout=out)
    assert list(services.senior_clinicians(personas.our_service)) == [personas.clinician]
    assert AuditEvent.objects.filter(object_type="consultations.clinicianband").count() == 1
    with pytest.raises(CommandError, match="no user"):
        call_command("imsk_set_clinician_band", "nobody@msk.example", "8")
    with pytest.raises(CommandError, match="not a clinician"):
        call_command("imsk_set_clinician_band", personas.manager.email, "8")


def test_a_return_on_its_previous_pathway_joins_that_pathways_waiting_list(
    personas: Personas,
) -> None:
    from imsk.core.dataset.enums import Pathway
    from imsk.web.clinics.waiting import waiting_list

    old = _exited(personas, ExitCode.PATIENT_INITIATED_FOLLOW_UP)
    new = services.record_return(actor=personas.clinician, old=old, red_flags=[])
    listed = waiting_list(personas.our_service, Pathway.ASSESS_AND_SUPPORT, services.london_today())
    assert [entry.request for entry in listed.entries] == [new]
