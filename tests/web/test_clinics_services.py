"""The clinics' services: creating clinics, the waiting list's order, booking, outcomes, DNAs."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone, translation

from imsk.core.dataset.enums import ContactKind, ContactMode, ContactStatus, Pathway
from imsk.core.waiting import WAITING_BANDS, waiting_band
from imsk.web.audit.models import Action, AuditEvent
from imsk.web.clinics import services
from imsk.web.clinics.errors import (
    ClinicError,
    NonWorkingDayError,
    NotWaitingError,
    OutcomeError,
    SlotUnavailableError,
)
from imsk.web.clinics.models import Slot
from imsk.web.referrals.models import Contact, Exit
from tests.web.personas import Personas
from tests.web.test_clinics_builders import (
    appointment_time_comes,
    clinic,
    first_slot,
    triaged_request,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english() -> Iterator[None]:
    """The refusals are matched in English, whatever an earlier test left active."""
    with translation.override("en"):
        yield


def _today() -> date:
    return timezone.localdate(timezone.now(), services.LONDON)


def _waiting_ids(personas: Personas, pathway: Pathway = Pathway.ASSESS_AND_SUPPORT) -> list[str]:
    listed = services.waiting_list(personas.our_service, pathway, _today())
    return [entry.request.request_id for entry in listed.entries]


# Clinics ------------------------------------------------------------------------------------------


def test_a_clinic_gets_consecutive_slots_in_london_time_and_is_audited(
    personas: Personas,
) -> None:
    made = clinic(personas.manager, start=time(9, 0), slots=3, minutes=20)
    starts = [
        timezone.localtime(s.starts_at, services.LONDON).strftime("%H:%M") for s in made.slots.all()
    ]
    assert starts == ["09:00", "09:20", "09:40"]
    assert AuditEvent.objects.filter(action=Action.CREATE, object_id=str(made.pk)).exists()


def test_a_group_clinic_has_one_slot_per_seat_at_each_time(personas: Personas) -> None:
    made = clinic(personas.manager, slots=2, mode=ContactMode.GROUP, capacity=5)
    assert made.slots.count() == 10
    assert made.slots.values("starts_at").distinct().count() == 2


def test_only_a_group_clinic_may_seat_more_than_one(personas: Personas) -> None:
    with pytest.raises(ClinicError) as error:
        clinic(personas.manager, capacity=3)
    assert error.value.field == "capacity"


def test_a_clinic_on_a_bank_holiday_needs_confirming(personas: Personas) -> None:
    christmas = date(_today().year + 1, 12, 25)
    new = services.NewClinic(
        service=personas.our_service,
        date=christmas,
        start=time(9, 0),
        slots=2,
        minutes=30,
        band=6,
        mode=ContactMode.IN_PERSON,
        location="Barry Hospital",
    )
    with pytest.raises(NonWorkingDayError):
        services.create_clinic(personas.manager, new, today=_today())
    confirmed = services.NewClinic(**{**new.__dict__, "confirm_non_working_day": True})
    assert services.create_clinic(personas.manager, confirmed, today=_today()).date == christmas


def test_a_clinic_cannot_be_created_in_the_past_or_run_past_midnight(personas: Personas) -> None:
    with pytest.raises(ClinicError, match="past"):
        clinic(personas.manager, day=_today() - timedelta(days=1))
    with pytest.raises(ClinicError, match="midnight"):
        clinic(personas.manager, start=time(23, 0), slots=3, minutes=30)


# The waiting list ---------------------------------------------------------------------------------


def test_the_waiting_list_puts_urgent_first_then_the_longest_wait(personas: Personas) -> None:
    now = timezone.now()
    recent = triaged_request(personas.our_service, received=now - timedelta(days=3))
    oldest = triaged_request(personas.our_service, received=now - timedelta(days=90))
    urgent = triaged_request(
        personas.our_service, received=now - timedelta(days=1), priority="urgent"
    )
    assert _waiting_ids(personas) == [urgent.request_id, oldest.request_id, recent.request_id]


def test_the_waiting_list_leaves_out_other_pathways_services_exits_and_the_booked(
    personas: Personas,
) -> None:
    waiting = triaged_request(personas.our_service)
    triaged_request(personas.our_service, pathway="self_management")
    triaged_request(personas.other_service)
    exited = triaged_request(personas.our_service)
    Exit.objects.create(request=exited, exited_at=timezone.now(), code="discharged")
    booked = triaged_request(personas.our_service)
    services.book(personas.clinician, booked, first_slot(clinic(personas.manager)))
    assert _waiting_ids(personas) == [waiting.request_id]


def test_weeks_waited_count_from_receipt_in_the_data_sets_bands(personas: Personas) -> None:
    triaged_request(personas.our_service, received=timezone.now() - timedelta(days=14 * 7))
    listed = services.waiting_list(personas.our_service, Pathway.ASSESS_AND_SUPPORT, _today())
    (entry,) = listed.entries
    assert (entry.weeks, entry.band, entry.kind) == (14, "14-17", ContactKind.FIRST)
    assert ("14-17", 1, 0) in listed.summary()


# Booking ------------------------------------------------------------------------------------------


def test_booking_creates_a_booked_first_contact_with_the_slots_time_mode_and_band(
    personas: Personas,
) -> None:
    request = triaged_request(personas.our_service, band=6)
    slot = first_slot(clinic(personas.manager, band=7, mode=ContactMode.VIDEO))
    contact = services.book(personas.clinician, request, slot)
    assert (contact.status, contact.kind, contact.mode, contact.band) == (
        "booked",
        "first",
        "video",
        7,
    )
    assert contact.scheduled_at == slot.starts_at
    assert contact.contact_id == f"{request.request_id}-C1"
    assert Slot.objects.get(pk=slot.pk).contact == contact
    event = AuditEvent.objects.get(action=Action.CREATE, object_id=contact.contact_id)
    assert event.actor == personas.clinician


def test_a_taken_slot_cannot_be_booked_twice(personas: Personas) -> None:
    slot = first_slot(clinic(personas.manager))
    services.book(personas.clinician, triaged_request(personas.our_service), slot)
    second = triaged_request(personas.our_service, name="Bea Evans")
    with pytest.raises(SlotUnavailableError):
        services.book(personas.triage, second, slot)
    assert Contact.objects.filter(request=second).count() == 0


def test_a_stale_copy_of_a_free_slot_is_still_refused(personas: Personas) -> None:
    """The booker's page showed the slot free; someone else booked it meanwhile."""
    slot = first_slot(clinic(personas.manager))
    stale = Slot.objects.get(pk=slot.pk)
    services.book(personas.clinician, triaged_request(personas.our_service), slot)
    with pytest.raises(SlotUnavailableError):
        services.book(personas.clinician, triaged_request(personas.our_service), stale)


def test_a_person_cannot_be_booked_twice_at_one_time_in_a_group(personas: Personas) -> None:
    group = clinic(personas.manager, mode=ContactMode.GROUP, capacity=4, slots=1)
    request = triaged_request(personas.our_service)
    seats = list(group.slots.all())
    services.book(personas.clinician, request, seats[0])
    with pytest.raises(NotWaitingError):
        services.book(personas.clinician, request, seats[1])
    # the same person, through another request, at the same time
    other = triaged_request(personas.our_service)
    other.person = request.person
    other.save(update_fields=["person"])
    with pytest.raises(SlotUnavailableError, match="already has an appointment at this time"):
        services.book(personas.clinician, other, seats[1])


def test_a_lower_band_clinic_cannot_take_higher_band_work(personas: Personas) -> None:
    request = triaged_request(personas.our_service, band=7)
    with pytest.raises(SlotUnavailableError, match="band 7"):
        services.book(personas.clinician, request, first_slot(clinic(personas.manager, band=6)))


def test_self_management_and_untriaged_requests_cannot_be_booked(personas: Personas) -> None:
    slot = first_slot(clinic(personas.manager))
    with pytest.raises(NotWaitingError):
        services.book(
            personas.clinician,
            triaged_request(personas.our_service, pathway="self_management"),
            slot,
        )


def test_another_services_slot_cannot_be_booked(personas: Personas) -> None:
    request = triaged_request(personas.other_service)
    with pytest.raises(SlotUnavailableError, match="another service"):
        services.book(personas.other_board_clinician, request, first_slot(clinic(personas.manager)))


# Outcomes -----------------------------------------------------------------------------------------


def test_a_dna_puts_the_request_back_on_the_list_at_its_original_wait(personas: Personas) -> None:
    received = timezone.now() - timedelta(days=40)
    request = triaged_request(personas.our_service, received=received)
    contact = services.book(personas.clinician, request, first_slot(clinic(personas.manager)))
    assert _waiting_ids(personas) == []
    appointment_time_comes(contact)
    services.record_outcome(personas.clinician, contact, ContactStatus.DID_NOT_ATTEND)
    listed = services.waiting_list(personas.our_service, Pathway.ASSESS_AND_SUPPORT, _today())
    (entry,) = listed.entries
    assert entry.request == request
    assert entry.waiting_since == timezone.localdate(received, services.LONDON)
    assert (entry.kind, entry.dna_count, entry.needs_review) == (ContactKind.FIRST, 1, False)
    event = AuditEvent.objects.get(action=Action.UPDATE, object_id=contact.contact_id)
    assert event.details["status"] == {"from": "booked", "to": "did_not_attend"}


def test_a_second_dna_flags_the_request_for_review_without_discharging_it(
    personas: Personas,
) -> None:
    request = triaged_request(personas.our_service)
    made = clinic(personas.manager)
    for slot in list(made.slots.all())[:2]:
        contact = services.book(personas.clinician, request, slot)
        appointment_time_comes(contact)
        services.record_outcome(personas.clinician, contact, ContactStatus.DID_NOT_ATTEND)
    (entry,) = services.waiting_list(
        personas.our_service, Pathway.ASSESS_AND_SUPPORT, _today()
    ).entries
    assert entry.needs_review
    assert not Exit.objects.filter(request=request).exists()


def test_after_an_attended_appointment_the_next_is_a_follow_up_waiting_from_it(
    personas: Personas,
) -> None:
    request = triaged_request(personas.our_service, received=timezone.now() - timedelta(days=60))
    contact = services.book(personas.clinician, request, first_slot(clinic(personas.manager)))
    appointment_time_comes(contact)
    services.record_outcome(personas.clinician, contact, ContactStatus.ATTENDED)
    (entry,) = services.waiting_list(
        personas.our_service, Pathway.ASSESS_AND_SUPPORT, _today()
    ).entries
    assert (entry.kind, entry.weeks) == (ContactKind.FOLLOW_UP, 0)
    follow_up = services.book(personas.clinician, request, first_slot(clinic(personas.manager)))
    assert follow_up.kind == "follow_up"


def test_attendance_cannot_be_recorded_before_the_appointment(personas: Personas) -> None:
    request = triaged_request(personas.our_service)
    contact = services.book(personas.clinician, request, first_slot(clinic(personas.manager)))
    with pytest.raises(OutcomeError):
        services.record_outcome(personas.clinician, contact, ContactStatus.ATTENDED)
    with pytest.raises(OutcomeError):
        services.record_outcome(personas.clinician, contact, ContactStatus.DID_NOT_ATTEND)


def test_a_patient_cancellation_frees_the_slot_and_an_outcome_is_final(personas: Personas) -> None:
    request = triaged_request(personas.our_service)
    slot = first_slot(clinic(personas.manager))
    contact = services.book(personas.clinician, request, slot)
    services.record_outcome(personas.clinician, contact, ContactStatus.PATIENT_CANCELLED)
    assert Slot.objects.get(pk=slot.pk).contact is None
    with pytest.raises(OutcomeError, match="already"):
        services.record_outcome(personas.clinician, contact, ContactStatus.SERVICE_CANCELLED)
    rebooked = services.book(personas.clinician, request, Slot.objects.get(pk=slot.pk))
    assert rebooked.contact_id == f"{request.request_id}-C2"


def test_a_patient_cannot_cancel_once_the_appointment_has_started(personas: Personas) -> None:
    request = triaged_request(personas.our_service)
    contact = services.book(personas.clinician, request, first_slot(clinic(personas.manager)))
    appointment_time_comes(contact)
    with pytest.raises(OutcomeError, match="did not attend"):
        services.record_outcome(personas.clinician, contact, ContactStatus.PATIENT_CANCELLED)


def test_cancelling_a_clinic_cancels_its_appointments_and_returns_them_to_the_list(
    personas: Personas,
) -> None:
    made = clinic(personas.manager)
    requests = [triaged_request(personas.our_service) for _ in range(2)]
    for request, slot in zip(requests, made.slots.all(), strict=False):
        services.book(personas.clinician, request, slot)
    cancelled = services.cancel_clinic(personas.manager, made, today=_today())
    assert {c.request_id for c in cancelled} == {r.pk for r in requests}
    assert set(Contact.objects.values_list("status", flat=True)) == {"service_cancelled"}
    assert sorted(_waiting_ids(personas)) == sorted(r.request_id for r in requests)
    with pytest.raises(SlotUnavailableError, match="cancelled"):
        services.book(personas.clinician, requests[0], first_slot(made))
    assert AuditEvent.objects.filter(action=Action.UPDATE).count() == 3


EDGES = [7 * lower + shift for _label, lower, _upper in WAITING_BANDS[1:] for shift in (-1, 0)]


def test_the_waiting_list_bands_each_wait_at_every_band_edge_as_the_kpi_does(
    personas: Personas,
) -> None:
    """Days waited either side of each band's lower edge; the London date of receipt counts."""
    today = _today()
    noon = datetime.combine(today, time(12, 0), tzinfo=services.LONDON)
    for days in EDGES:
        triaged_request(personas.our_service, received=noon - timedelta(days=days))
    listed = services.waiting_list(personas.our_service, Pathway.ASSESS_AND_SUPPORT, today)
    got = sorted((entry.weeks, entry.band) for entry in listed.entries)
    assert got == sorted((days // 7, waiting_band(days // 7)) for days in EDGES)
    assert sum(first for _label, first, _follow_up in listed.summary()) == len(EDGES)


def test_record_outcome_takes_the_data_set_code_as_a_string(personas: Personas) -> None:
    request = triaged_request(personas.our_service)
    contact = services.book(personas.clinician, request, first_slot(clinic(personas.manager)))
    appointment_time_comes(contact)
    services.record_outcome(personas.clinician, contact, "attended")
    assert contact.status == "attended"
    with pytest.raises(OutcomeError):
        services.record_outcome(personas.clinician, contact, "lost")
