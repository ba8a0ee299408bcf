"""The only writers of clinics and appointments, and the audited reads of them.

Wales specification 2.3 and 4.3: once the single point of access has allocated a pathway, the person
waits for a first appointment with a clinician of the band triage asked for; what became of each
appointment (attended, did not attend, cancelled by the person or by the service) is recorded in the
data set table ``contacts``. This module is the seam others call:

* :func:`create_clinic` and :func:`cancel_clinic` (service managers);
* :func:`waiting_list`: a pathway's open, triaged requests with no appointment booked, urgent first,
  then longest waiting, with weeks waited in the data set's bands (``imsk.core.waiting``);
* :func:`book`: a request into a free slot (concurrency-safe: row locks plus a compare-and-set on
  the slot, so two bookers can never both win one slot);
* :func:`record_outcome`: attended, did not attend (DNA), patient or service cancelled. A DNA or a
  cancellation puts the request straight back on its waiting list at its original wait.

Every write opens one transaction and records its audit event in it; every read that shows patient
records records a view event. The rules where the issue was silent are in ``docs/clinics.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from imsk.core.calendar import calendar_for
from imsk.core.dataset.enums import ContactKind, ContactMode, ContactStatus, Pathway
from imsk.web.accounts.models import Role, Service, User
from imsk.web.audit.models import Action
from imsk.web.audit.services import Subject, record
from imsk.web.clinics.errors import (
    ClinicError,
    NonWorkingDayError,
    NotWaitingError,
    OutcomeError,
    SlotUnavailableError,
)
from imsk.web.clinics.models import MAX_GROUP_CAPACITY, MAX_SLOTS_PER_CLINIC, Clinic, Slot

# The reads booking works from, re-exported so callers find the whole seam here.
from imsk.web.clinics.waiting import BOOKABLE_PATHWAYS as BOOKABLE_PATHWAYS
from imsk.web.clinics.waiting import DNA_REVIEW_THRESHOLD as DNA_REVIEW_THRESHOLD
from imsk.web.clinics.waiting import LONDON as LONDON
from imsk.web.clinics.waiting import WaitingEntry as WaitingEntry
from imsk.web.clinics.waiting import WaitingList as WaitingList
from imsk.web.clinics.waiting import dna_count as dna_count
from imsk.web.clinics.waiting import free_times as free_times
from imsk.web.clinics.waiting import needs_review as needs_review
from imsk.web.clinics.waiting import next_kind as next_kind
from imsk.web.clinics.waiting import slots_of as slots_of
from imsk.web.clinics.waiting import waiting_list as waiting_list
from imsk.web.clinics.waiting import waiting_requests as waiting_requests
from imsk.web.referrals.models import Contact, Exit, Person, Request, Status
from imsk.web.referrals.services import request_subject

#: Roles that work the waiting list: book and record outcomes.
BOOKING_ROLES = frozenset({Role.TRIAGE_CLINICIAN, Role.CLINICIAN, Role.SERVICE_MANAGER})
#: Roles that may be named as a clinic's clinician.
CLINIC_STAFF_ROLES = frozenset({Role.CLINICIAN, Role.TRIAGE_CLINICIAN, Role.SERVICE_MANAGER})
#: Outcomes that end an appointment without seeing the person: the request is waiting again.
RETURNS_TO_LIST = frozenset(
    {
        ContactStatus.DID_NOT_ATTEND,
        ContactStatus.PATIENT_CANCELLED,
        ContactStatus.SERVICE_CANCELLED,
    }
)
OUTCOMES: tuple[ContactStatus, ...] = (
    ContactStatus.ATTENDED,
    ContactStatus.DID_NOT_ATTEND,
    ContactStatus.PATIENT_CANCELLED,
    ContactStatus.SERVICE_CANCELLED,
)


# Clinics ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewClinic:
    """A clinic as asked for on the form: ``slots`` consecutive times of ``minutes`` from ``start``."""

    service: Service
    date: date
    start: time
    slots: int
    minutes: int
    band: int
    mode: ContactMode
    location: str
    clinician: User | None = None
    capacity: int = 1
    confirm_non_working_day: bool = False


def create_clinic(actor: User, new: NewClinic, *, today: date) -> Clinic:
    """Create a clinic and its slots (one per seat at each time for a group), audited.

    A date that is not a working day of the service's nation (weekend, bank holiday) is refused
    unless ``confirm_non_working_day``: weekend clinics do happen (waiting-list initiatives), but
    one set on a bank holiday by mistake would strand every person booked into it.
    """
    _check_new_clinic(new, today)
    with transaction.atomic():
        clinic = Clinic.objects.create(
            service=new.service,
            date=new.date,
            location=new.location,
            band=new.band,
            mode=new.mode.value,
            clinician=new.clinician,
            capacity=new.capacity,
            created_by=actor,
            updated_by=actor,
        )
        Slot.objects.bulk_create(_slots_of(clinic, new))
        record(
            Action.CREATE,
            actor=actor,
            subject=clinic_subject(clinic),
            details={
                "date": new.date.isoformat(),
                "start": new.start.isoformat(timespec="minutes"),
                "slots": new.slots,
                "minutes": new.minutes,
                "band": new.band,
                "mode": new.mode.value,
                "capacity": new.capacity,
                "non_working_day": not _is_working_day(new.service, new.date),
            },
        )
    return clinic


def _check_new_clinic(new: NewClinic, today: date) -> None:
    if new.date < today:
        raise ClinicError("date", gettext("A clinic cannot be created in the past"))
    if not _is_working_day(new.service, new.date) and not new.confirm_non_working_day:
        raise NonWorkingDayError(
            "date",
            gettext(
                "%(date)s is not a working day in %(nation)s: confirm to hold the clinic anyway"
            )
            % {"date": f"{new.date:%d/%m/%Y}", "nation": new.service.get_nation_display()},
        )
    if not 1 <= new.slots <= MAX_SLOTS_PER_CLINIC:
        raise ClinicError(
            "slots",
            gettext("A clinic has from 1 to %(most)s slots") % {"most": MAX_SLOTS_PER_CLINIC},
        )
    if not 5 <= new.minutes <= 240:
        raise ClinicError("minutes", gettext("A slot lasts from 5 to 240 minutes"))
    if not 1 <= new.band <= 9:
        raise ClinicError("band", gettext("Agenda for Change bands run from 1 to 9"))
    _check_capacity(new)
    start = datetime.combine(new.date, new.start)
    if start + timedelta(minutes=new.slots * new.minutes) > datetime.combine(
        new.date + timedelta(days=1), time()
    ):
        raise ClinicError("slots", gettext("The last slot must end by midnight"))
    _check_clinician(new)


def _check_capacity(new: NewClinic) -> None:
    if new.mode is ContactMode.GROUP:
        if not 1 <= new.capacity <= MAX_GROUP_CAPACITY:
            raise ClinicError(
                "capacity",
                gettext("A group seats from 1 to %(most)s people") % {"most": MAX_GROUP_CAPACITY},
            )
    elif new.capacity != 1:
        raise ClinicError(
            "capacity", gettext("Only a group clinic sees more than one person at a time")
        )


def _check_clinician(new: NewClinic) -> None:
    clinician = new.clinician
    if clinician is None:
        return
    if clinician.service_id != new.service.service_id or clinician.role_enum not in (
        CLINIC_STAFF_ROLES
    ):
        raise ClinicError("clinician", gettext("The clinician must be a clinician of this service"))


def _is_working_day(service: Service, day: date) -> bool:
    return calendar_for(service.nation).is_working_day(day)


def _slots_of(clinic: Clinic, new: NewClinic) -> list[Slot]:
    first = datetime.combine(new.date, new.start, tzinfo=LONDON)
    return [
        Slot(
            clinic=clinic,
            starts_at=first + timedelta(minutes=index * new.minutes),
            minutes=new.minutes,
            seat=seat,
        )
        for index in range(new.slots)
        for seat in range(1, new.capacity + 1)
    ]


def clinic_subject(clinic: Clinic) -> Subject:
    return Subject.of(
        clinic, service_id=clinic.service_id, health_board=clinic.service.health_board
    )


def cancel_clinic(actor: User, clinic: Clinic, *, today: date) -> list[Contact]:
    """Cancel a clinic: its booked appointments become ``service_cancelled``, audited one by one.

    Those people are back on their waiting lists at once, at their original wait (a wait is counted
    from receipt, or from the last attended appointment, never from a cancellation). The slots keep
    their contacts, so the cancelled clinic's day view still shows who was affected.
    """
    with transaction.atomic():
        locked = Clinic.objects.select_for_update().get(pk=clinic.pk)
        if locked.is_cancelled:
            raise ClinicError("clinic", gettext("The clinic is already cancelled"))
        if locked.date < today:
            raise ClinicError(
                "clinic", gettext("A clinic that has already been held cannot be cancelled")
            )
        now = timezone.now()
        Clinic.objects.filter(pk=locked.pk).update(
            cancelled_at=now, cancelled_by=actor, updated_at=now, updated_by=actor
        )
        contacts = list(
            Contact.objects.select_for_update()
            .filter(slot__clinic=locked, status=ContactStatus.BOOKED)
            .order_by("scheduled_at", "id")
        )
        for contact in contacts:
            _settle(actor, contact, ContactStatus.SERVICE_CANCELLED, now, reason="clinic cancelled")
        record(
            Action.UPDATE,
            actor=actor,
            subject=clinic_subject(clinic),
            details={"cancelled": True, "contacts_cancelled": [c.contact_id for c in contacts]},
        )
    clinic.refresh_from_db()
    return contacts


def view_clinic(actor: User, clinic: Clinic) -> list[Slot]:
    """The clinic's slots with who is booked, recorded as one view event naming the requests."""
    slots = list(
        clinic.slots.select_related("contact__request__person").order_by("starts_at", "seat")
    )
    with transaction.atomic():
        record(
            Action.VIEW,
            actor=actor,
            subject=clinic_subject(clinic),
            details={
                "listed": [s.contact.request.request_id for s in slots if s.contact is not None]
            },
        )
    return slots


# The waiting list (reads in imsk.web.clinics.waiting) ---------------------------------------


def list_waiting(actor: User, pathway: Pathway, *, today: date, shown: int) -> WaitingList:
    """The actor's service's waiting list, with one view event naming the first ``shown`` rows."""
    assert actor.service is not None  # booking roles always belong to a service
    listed = waiting_list(actor.service, pathway, today)
    with transaction.atomic():
        record(
            Action.VIEW,
            actor=actor,
            subject=Subject("referrals.request", "", actor.service_id or "", actor.health_board),
            details={
                "waiting_list": pathway.value,
                "listed": [e.request.request_id for e in listed.entries[:shown]],
            },
        )
    return listed


# Booking -----------------------------------------------------------------------------------------


def book(actor: User, request: Request, slot: Slot, kind: ContactKind | None = None) -> Contact:
    """Book ``request`` into ``slot``: a ``booked`` contact with the slot's time, mode and band.

    The request must be waiting (:func:`waiting_requests`); the slot free, in the future, in a
    clinic of the request's service that is not cancelled, at the request's band or above (a
    clinician of a higher band may see lower-band work, never the reverse). ``kind`` defaults to
    :func:`next_kind`. Concurrency: the request, its person and the slot are locked, and the slot is
    taken with a conditional update that only one transaction can win.
    """
    now = timezone.now()
    with transaction.atomic():
        locked = Request.objects.select_for_update().get(pk=request.pk)
        Person.objects.select_for_update().filter(pk=locked.person_id).exists()
        target = Slot.objects.select_for_update().get(pk=slot.pk)
        clinic = Clinic.objects.select_related("service").get(pk=target.clinic_id)
        _check_waiting(locked)
        _check_slot(target, clinic, locked, now)
        contact = Contact.objects.create(
            contact_id=_new_contact_id(locked),
            request=locked,
            kind=ContactKind(kind or next_kind(locked)).value,
            scheduled_at=target.starts_at,
            status=ContactStatus.BOOKED.value,
            mode=clinic.mode,
            band=clinic.band,
            created_by=actor,
            updated_by=actor,
        )
        if Slot.objects.filter(pk=target.pk, contact__isnull=True).update(contact=contact) != 1:
            raise SlotUnavailableError(
                "slot", gettext("This slot has just been booked by someone else")
            )
        record(
            Action.CREATE,
            actor=actor,
            subject=contact_subject(contact, clinic.service),
            details={
                "request_id": locked.request_id,
                "kind": contact.kind,
                "scheduled_at": target.starts_at.isoformat(),
                "clinic": clinic.pk,
                "slot": target.pk,
            },
        )
    return contact


def _check_waiting(request: Request) -> None:
    if request.status != Status.TRIAGED or Exit.objects.filter(request=request).exists():
        raise NotWaitingError(
            "request", gettext("Only a triaged request that is still open can be booked")
        )
    if request.pathway not in BOOKABLE_PATHWAYS:
        raise NotWaitingError(
            "request",
            gettext("This request's pathway is not seen in clinics"),
        )
    if request.contacts.filter(status=ContactStatus.BOOKED).exists():
        raise NotWaitingError("request", gettext("This request already has an appointment booked"))


def _check_slot(slot: Slot, clinic: Clinic, request: Request, now: datetime) -> None:
    if clinic.service_id != request.service_id:
        raise SlotUnavailableError("slot", gettext("The slot belongs to another service"))
    if clinic.is_cancelled:
        raise SlotUnavailableError("slot", gettext("The clinic has been cancelled"))
    if slot.contact_id is not None:
        raise SlotUnavailableError("slot", gettext("This slot is already booked"))
    if slot.starts_at <= now:
        raise SlotUnavailableError("slot", gettext("The slot's time has passed"))
    if request.band is not None and clinic.band < request.band:
        raise SlotUnavailableError(
            "slot",
            gettext("The request needs a band %(band)s clinician or above")
            % {"band": request.band},
        )
    same_time = Contact.objects.filter(
        request__person_id=request.person_id,
        status=ContactStatus.BOOKED,
        scheduled_at=slot.starts_at,
    )
    if same_time.exists():
        raise SlotUnavailableError(
            "slot", gettext("The person already has an appointment at this time")
        )


def _new_contact_id(request: Request) -> str:
    """``<request_id>-C<n>``: unique, and tells the reader whose appointment it is."""
    number = request.contacts.count() + 1
    while Contact.objects.filter(contact_id=f"{request.request_id}-C{number}").exists():
        number += 1
    return f"{request.request_id}-C{number}"


def contact_subject(contact: Contact, service: Service) -> Subject:
    return Subject(
        "referrals.contact", contact.contact_id, service.service_id, service.health_board
    )


# Outcomes ----------------------------------------------------------------------------------------


def record_outcome(actor: User, contact: Contact, status: ContactStatus | str) -> Contact:
    """Record what became of a booked appointment, audited.

    ``attended`` and ``did_not_attend`` only once the appointment's time has come; a patient
    cancellation only before it (afterwards it is a DNA); a service cancellation at any time. An
    outcome is final. A DNA or a cancellation puts the request back on its waiting list at its
    original wait; a cancellation also frees the slot for someone else.
    """
    try:
        status = ContactStatus(status)  # callers may pass the data set code as a string
    except ValueError:
        raise OutcomeError(
            "status", gettext("%(status)s is not an outcome") % {"status": status}
        ) from None
    now = timezone.now()
    with transaction.atomic():
        locked = Contact.objects.select_for_update().get(pk=contact.pk)
        _check_outcome(locked, status, now)
        _settle(actor, locked, status, now)
    contact.refresh_from_db()
    return contact


def _check_outcome(contact: Contact, status: ContactStatus, now: datetime) -> None:
    if status not in OUTCOMES:
        raise OutcomeError("status", gettext("%(status)s is not an outcome") % {"status": status})
    if contact.status != ContactStatus.BOOKED:
        raise OutcomeError(
            "status",
            gettext("The outcome of this appointment was already recorded"),
        )
    has_started = contact.scheduled_at <= now
    if status in (ContactStatus.ATTENDED, ContactStatus.DID_NOT_ATTEND) and not has_started:
        raise OutcomeError(
            "status", gettext("Attendance can be recorded once the appointment has started")
        )
    if status is ContactStatus.PATIENT_CANCELLED and has_started:
        raise OutcomeError(
            "status", gettext("The appointment has started: record attended or did not attend")
        )


def _settle(
    actor: User, contact: Contact, status: ContactStatus, now: datetime, reason: str = ""
) -> None:
    """Set the outcome, free the slot of a cancelled appointment, and audit it."""
    Contact.objects.filter(pk=contact.pk).update(
        status=status.value, updated_at=now, updated_by=actor
    )
    if status in (ContactStatus.PATIENT_CANCELLED, ContactStatus.SERVICE_CANCELLED) and not reason:
        Slot.objects.filter(contact=contact).update(contact=None)
    request = Request.objects.select_related("service").get(pk=contact.request_id)
    details: dict[str, object] = {
        "request_id": request.request_id,
        "status": {"from": contact.status, "to": status.value},
        "returns_to_waiting_list": status in RETURNS_TO_LIST,
        "dna_count": dna_count(request),
    }
    if reason:
        details["reason"] = reason
    record(
        Action.UPDATE,
        actor=actor,
        subject=contact_subject(contact, request.service),
        details=details,
    )


def view_contact(actor: User, contact: Contact) -> Contact:
    """Record that ``actor`` viewed an appointment (and so the person's request)."""
    with transaction.atomic():
        record(
            Action.VIEW,
            actor=actor,
            subject=request_subject(contact.request),
            details={"contact_id": contact.contact_id},
        )
    return contact
