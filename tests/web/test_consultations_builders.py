"""Builders for the consultations tests (no tests here): a triaged request, an appointment, a senior."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from imsk.web.accounts.models import Role, Service, User
from imsk.web.consultations import services
from imsk.web.referrals import services as referrals
from imsk.web.referrals.models import Channel, Contact, Request, Status
from tests.web.personas import staff_member


def triaged_request(
    service: Service, *, actor: User | None = None, pathway: str = "assess_and_support"
) -> Request:
    """A GP request with a condition code, triaged to ``pathway`` (routine, band 6).

    The triage screens belong to another app; the triage fields are set here as a loaded data set
    would set them.
    """
    new = referrals.NewRequest(
        service=service,
        channel=Channel.WEB_FORM,
        source="gp",
        category="management_opinion",
        received_at=timezone.now() - timedelta(days=30),
        age=54,
        condition_code="KNEE.OA",
        person=referrals.PersonDetails(full_name="Ann Jones"),
    )
    request = referrals.create_request(new, actor=actor)
    Request.objects.filter(pk=request.pk).update(
        priority="routine",
        pathway=pathway,
        band=6,
        triaged_at=timezone.now() - timedelta(days=29),
        status=Status.TRIAGED,
    )
    request.refresh_from_db()
    return request


def contact(
    request: Request, *, status: str = "attended", when: datetime | None = None, kind: str = "first"
) -> Contact:
    """An appointment of ``request`` (the clinics app books them; here it is written directly)."""
    number = Contact.objects.filter(request=request).count() + 1
    return Contact.objects.create(
        contact_id=f"{request.request_id}-C{number}",
        request=request,
        kind=kind,
        scheduled_at=when or timezone.now() - timedelta(days=7),
        status=status,
        mode="in_person",
        band=6,
    )


def senior(service: Service, email: str = "sian.senior@msk.example", band: int = 7) -> User:
    """A clinician of ``service`` at ``band`` (7: senior)."""
    user = staff_member(email, Role.CLINICIAN, service=service)
    services.set_clinician_band(actor=None, user=user, band=band)
    return user
