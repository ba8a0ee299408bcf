"""What every writer of the care record shares: the code list, London's date, checks, the view."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext

from imsk.core.codes import ActivityCode, CodeList
from imsk.dataio.reference import load_activity_codes
from imsk.web.accounts.models import User
from imsk.web.audit.services import Subject
from imsk.web.consultations.errors import ConsultationError
from imsk.web.referrals import services as referrals
from imsk.web.referrals.models import Contact, Request, Status

LONDON = referrals.LONDON


@lru_cache(maxsize=1)
def activity_codes() -> CodeList[ActivityCode]:
    """The activity code list in use (bundled version 1 unless ``IMSK_ACTIVITY_CODES`` is set)."""
    return load_activity_codes()


def london_today(now: datetime | None = None) -> date:
    """Today's date in Europe/London (the day windows are counted in)."""
    return timezone.localdate(now or timezone.now(), LONDON)


def subject_of(obj: Any, request: Request) -> Subject:
    return Subject.of(obj, service_id=request.service_id, health_board=request.service.health_board)


def check_open(request: Request) -> None:
    if request.status == Status.CLOSED:
        raise ConsultationError(
            "", gettext("This request is closed: record a return to see the person again")
        )


def check_contact(request: Request, contact: Contact | None) -> None:
    if contact is not None and contact.request_id != request.pk:
        raise ConsultationError("contact", gettext("That appointment belongs to another request"))


# --- Viewing -------------------------------------------------------------------------------------


def view_record(*, actor: User, request: Request, page: str) -> Request:
    """Record that ``actor`` viewed the care record of ``request`` (on ``page``)."""
    return referrals.view_request(actor=actor, request=request, details={"page": page})
