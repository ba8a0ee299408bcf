"""What the clinical application writes is a valid MSK service data set, and the KPI engine reads it.

A day of the demo service (``imsk_demo_today``: arrivals, triage, clinics, bookings, a PIFU exit,
feedback), plus one person's whole journey written through the apps' services (triaged, booked,
attended, discharged with MSK-HQ at baseline and discharge), is exported with
``imsk_export_dataset``'s service; the data set validator finds no error in it, and the KPI engine
counts from it what was done.
"""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from pytest_django import Settings

from imsk.analytics.kpis.inputs import Level, Period
from imsk.analytics.loading import load_dataset
from imsk.analytics.report import compute_kpis
from imsk.core.codes import ExitCode
from imsk.dataio.dataset import validate_dataset
from imsk.web.accounts.models import User
from imsk.web.clinics import services as clinics
from imsk.web.consultations import services as care
from imsk.web.outcomes import questionnaires
from imsk.web.outcomes import services as outcomes
from imsk.web.referrals import services as referrals
from imsk.web.referrals.models import Channel, Contact, Exit, Request
from imsk.web.triage import services as triage
from tests.web.test_clinics_builders import appointment_time_comes, clinic

pytestmark = pytest.mark.django_db


def _msk_hq(code: str) -> questionnaires.Answers:
    found = questionnaires.questionnaire("msk_hq")
    return questionnaires.Answers("msk_hq", {item.id: code for item in found.items})


def test_the_record_exports_as_a_valid_data_set_the_kpi_engine_reads(
    settings: Settings, tmp_path: Path
) -> None:
    settings.DEBUG = True
    call_command("imsk_demo_users", stdout=io.StringIO())
    call_command("imsk_demo_today", stdout=io.StringIO())
    users = {u.email.split("@")[0]: u for u in User.objects.all()}
    manager, clinician = users["manager"], users["clinician"]
    service = manager.service
    assert service is not None

    # One person's journey, end to end, through the services.
    received = timezone.now() - timedelta(days=3)
    new = referrals.NewRequest(
        service=service,
        channel=Channel.WEB_FORM,
        source="gp",
        category="management_opinion",
        received_at=received,
        age=58,
        condition_code="KNEE.OA",
    )
    person = referrals.create_request(new, actor=users["referrer"])
    engine = triage.engine_decision(person)
    assert engine.pathway is not None
    triage.allocate(
        actor=users["triage"],
        request_id=person.request_id,
        allocation=triage.Allocation(
            priority=engine.priority, pathway=engine.pathway, band=engine.band or 6
        ),
    )
    person.refresh_from_db()
    outcomes.enter_measure(
        actor=clinician,
        request=person,
        answers=_msk_hq("2"),
        timepoint="baseline",
        completed_at=timezone.now(),
    )
    day = clinic(manager, location="Penarth Clinic")
    slot = day.slots.order_by("starts_at", "seat").first()
    assert slot is not None
    booked = clinics.book(manager, person, slot)
    appointment_time_comes(booked)
    clinics.record_outcome(manager, booked, "attended")
    outcomes.enter_measure(
        actor=clinician,
        request=person,
        answers=_msk_hq("4"),
        timepoint="discharge",
        completed_at=timezone.now(),
    )
    care.record_exit(
        actor=clinician,
        request=person,
        code=ExitCode.DISCHARGED,
        outcome="resolved",
        window_ends=None,
    )

    # Out, checked, read.
    folder = tmp_path / "dataset"
    counts = referrals.export_dataset(actor=None, out_dir=folder)
    assert counts["requests"] == Request.objects.count()
    report = validate_dataset(folder)
    assert report.is_valid, report.summary()

    today = timezone.localdate()
    data = load_dataset(folder)
    try:
        kpis = compute_kpis(data, Period(today - timedelta(days=200), today), Level.SERVICE)
    finally:
        data.release()
    ours = next(g["kpis"] for g in kpis["groups"] if g["key"] == service.service_id)
    attended_first = Contact.objects.filter(
        request__service=service, kind="first", status="attended"
    ).count()
    assert ours["first_contacts_attended"] == attended_first >= 1
    exits = ours["exits_by_code"]
    assert exits["discharged"] >= 1
    assert (
        exits["patient_initiated_follow_up"]
        == Exit.objects.filter(code="patient_initiated_follow_up", request__service=service).count()
    )
    assert ours["feedback"]["complaint"] == 1
    assert ours["feedback"]["compliment"] == 1
    mcid = ours["msk_hq_mcid_achieved"]
    assert mcid["denominator"] >= 1
    assert mcid["numerator"] >= 1
