"""Builders shared by the clinics tests (no tests here): triaged requests, clinics, past slots."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from imsk.core.dataset.enums import ContactMode
from imsk.web.accounts.models import Service, User
from imsk.web.clinics import services
from imsk.web.clinics.models import Clinic, Slot
from imsk.web.referrals import services as referrals
from imsk.web.referrals.models import Channel, Contact, Request, Status

LONDON = services.LONDON


def next_working_day(service: Service, after: date) -> date:
    """The first working day of the service's nation strictly after ``after``."""
    from imsk.core.calendar import calendar_for

    return calendar_for(service.nation).add_working_days(after, 1)


def triaged_request(
    service: Service,
    *,
    received: datetime | None = None,
    priority: str = "routine",
    pathway: str = "assess_and_support",
    band: int | None = 6,
    name: str = "Ann Jones",
) -> Request:
    """A request received at ``received`` and triaged to ``pathway`` (the triage screens are
    another app's; the columns are set the way its service will set them)."""
    received = received or timezone.now() - timedelta(days=1)
    new = referrals.NewRequest(
        service=service,
        channel=Channel.WEB_FORM,
        source="gp",
        category="management_opinion",
        received_at=received,
        age=50,
        person=referrals.PersonDetails(full_name=name),
    )
    request = referrals.create_request(new, actor=None)
    Request.objects.filter(pk=request.pk).update(
        status=Status.TRIAGED,
        priority=priority,
        pathway=pathway,
        band=band,
        triaged_at=received + timedelta(hours=1),
    )
    request.refresh_from_db()
    return request


def clinic(
    manager: User,
    *,
    day: date | None = None,
    start: time = time(9, 0),
    slots: int = 4,
    minutes: int = 30,
    band: int = 6,
    mode: ContactMode = ContactMode.IN_PERSON,
    capacity: int = 1,
    location: str = "Llandough Hospital",
) -> Clinic:
    """A clinic of the manager's service on the next working day (by default)."""
    assert manager.service is not None
    today = timezone.localdate(timezone.now(), LONDON)
    new = services.NewClinic(
        service=manager.service,
        date=day or next_working_day(manager.service, today),
        start=start,
        slots=slots,
        minutes=minutes,
        band=band,
        mode=mode,
        location=location,
        capacity=capacity,
    )
    return services.create_clinic(manager, new, today=today)


def first_slot(clinic: Clinic) -> Slot:
    return clinic.slots.order_by("starts_at", "seat").first()  # type: ignore[return-value]


def appointment_time_comes(contact: Contact) -> None:
    """Move a booked appointment (and its slot) an hour into the past: its time has come."""
    past = timezone.now() - timedelta(hours=1)
    Slot.objects.filter(contact=contact).update(starts_at=past)
    Contact.objects.filter(pk=contact.pk).update(scheduled_at=past)
    contact.refresh_from_db()
