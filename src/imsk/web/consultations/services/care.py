"""The consultation, condition codes, activities, escalation, onward referral and interface clinic.

Each function opens one transaction and records its audit event in it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from imsk.core.dataset.enums import ReferralRoute, Subspecialty
from imsk.core.errors import ImskError
from imsk.web.accounts.models import Role, Service, User
from imsk.web.audit.models import Action
from imsk.web.audit.services import Subject, record
from imsk.web.consultations.errors import ConsultationError
from imsk.web.consultations.models import (
    ClinicianBand,
    Consultation,
    Escalation,
    InterfaceClinicCase,
    OnwardReferralDetail,
)
from imsk.web.consultations.registries import ONWARD_CRITERIA
from imsk.web.consultations.services.base import (
    activity_codes,
    check_contact,
    check_open,
    london_today,
    subject_of,
)
from imsk.web.referrals import services as referrals
from imsk.web.referrals.models import Activity, ConditionCodeEntry, Contact, OnwardReferral, Request

# --- The consultation ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConsultationInput:
    """What a clinician records of one consultation (all free text optional)."""

    contact: Contact | None = None
    notes: str = ""
    what_matters: str = ""
    options_discussed: str = ""
    decision: str = ""
    work_status: str = "not_applicable"
    fit_note_advice: str = ""
    signposting: list[str] = field(default_factory=list)
    signposting_other: str = ""


def record_consultation(*, actor: User, request: Request, given: ConsultationInput) -> Consultation:
    """Record a consultation: what matters to the person, the shared decision, work, signposting."""
    check_open(request)
    check_contact(request, given.contact)
    now = timezone.now()
    with transaction.atomic():
        consultation = Consultation.objects.create(
            request=request,
            clinician=actor,
            held_at=now,
            created_by=actor,
            updated_by=actor,
            **{name: getattr(given, name) for name in ConsultationInput.__dataclass_fields__},
        )
        record(
            Action.CREATE,
            actor=actor,
            subject=subject_of(consultation, request),
            details={
                "request_id": request.request_id,
                "work_status": given.work_status,
                "signposting": given.signposting,
            },
        )
    return consultation


def record_activity(
    *, actor: User, request: Request, code: str, contact: Contact | None = None
) -> Activity:
    """Record an investigation, intervention or supportive treatment (data set ``activities``)."""
    check_open(request)
    check_contact(request, contact)
    try:
        activity_codes().get(code)
    except ImskError as error:
        raise ConsultationError("code", str(error)) from None
    with transaction.atomic():
        activity = Activity.objects.create(
            request=request,
            contact=contact,
            code=code,
            recorded_at=timezone.now(),
            created_by=actor,
            updated_by=actor,
        )
        record(
            Action.CREATE,
            actor=actor,
            subject=subject_of(activity, request),
            details={"request_id": request.request_id, "code": code},
        )
    return activity


def update_condition_code(*, actor: User, request: Request, code: str) -> ConditionCodeEntry:
    """Append a condition code to the request's history (the history is kept, never rewritten)."""
    check_open(request)
    return referrals.record_condition_code(actor=actor, request=request, code=code)


# --- Escalation to a senior clinician ----------------------------------------------------------


def senior_clinicians(service: Service, *, excluding: User | None = None) -> QuerySet[User]:
    """Active clinicians of ``service`` at band ``IMSK_SENIOR_BAND`` (7) or above."""
    found = User.objects.filter(
        service=service,
        role=Role.CLINICIAN,
        is_active=True,
        clinician_band__band__gte=settings.IMSK_SENIOR_BAND,
    ).order_by("full_name", "pk")
    return found.exclude(pk=excluding.pk) if excluding is not None else found


def set_clinician_band(*, actor: User | None, user: User, band: int) -> ClinicianBand:
    """Record a clinician's Agenda for Change band (2-9), which says whether they are senior."""
    if user.role not in (Role.CLINICIAN, Role.TRIAGE_CLINICIAN):
        raise ConsultationError(
            "user", gettext("%(email)s is not a clinician") % {"email": user.email}
        )
    if not 2 <= band <= 9:
        raise ConsultationError(
            "band",
            gettext("Band %(band)s is not an Agenda for Change band (2 to 9)") % {"band": band},
        )
    with transaction.atomic():
        entry, _created = ClinicianBand.objects.update_or_create(user=user, defaults={"band": band})
        record(
            Action.UPDATE,
            actor=actor,
            subject=Subject.of(entry, service_id=user.service_id or ""),
            details={"user": user.email, "band": band},
        )
    return entry


def raise_escalation(*, actor: User, request: Request, to: User, reason: str) -> Escalation:
    """Ask a senior clinician of the same service for advice, without a referral."""
    check_open(request)
    if not senior_clinicians(request.service, excluding=actor).filter(pk=to.pk).exists():
        raise ConsultationError(
            "to_clinician", gettext("Choose a senior clinician (band 7 or above) of this service")
        )
    with transaction.atomic():
        escalation = Escalation.objects.create(
            request=request,
            from_clinician=actor,
            to_clinician=to,
            reason=reason,
            raised_at=timezone.now(),
            created_by=actor,
            updated_by=actor,
        )
        record(
            Action.CREATE,
            actor=actor,
            subject=subject_of(escalation, request),
            details={"request_id": request.request_id, "to": to.email},
        )
    return escalation


def respond_to_escalation(*, actor: User, escalation: Escalation, response: str) -> Escalation:
    """The senior clinician's answer; only the clinician escalated to answers, and only once."""
    if escalation.to_clinician_id != actor.pk:
        raise ConsultationError(
            "response", gettext("Only the clinician it was escalated to may respond")
        )
    if escalation.responded_at is not None:
        raise ConsultationError("response", gettext("This escalation has already been answered"))
    with transaction.atomic():
        escalation.response = response
        escalation.responded_at = timezone.now()
        escalation.updated_by = actor
        escalation.updated_at = escalation.responded_at
        escalation.save(update_fields=["response", "responded_at", "updated_by", "updated_at"])
        record(
            Action.UPDATE,
            actor=actor,
            subject=subject_of(escalation, escalation.request),
            details={"request_id": escalation.request.request_id, "responded": True},
        )
    return escalation


def open_escalations_for(user: User) -> list[Escalation]:
    """Escalations waiting for ``user``'s answer, oldest first (their worklist)."""
    return list(
        Escalation.objects.select_related("request", "from_clinician")
        .filter(to_clinician=user, responded_at__isnull=True, request__service_id=user.service_id)
        .order_by("raised_at", "pk")
    )


# --- Onward referral and the subspecialty interface clinic -----------------------------------------


def _new_referral(actor: User, request: Request, subspecialty: str, route: str) -> OnwardReferral:
    number = OnwardReferral.objects.filter(request=request).count() + 1
    return OnwardReferral.objects.create(
        referral_id=f"{request.request_id}-OR{number:02d}",
        request=request,
        referred_at=timezone.now(),
        subspecialty=subspecialty,
        route=route,
        created_by=actor,
        updated_by=actor,
    )


def refer_onward(
    *, actor: User, request: Request, subspecialty: str, criteria_met: list[str], summary: str
) -> OnwardReferral:
    """A direct onward referral: every local criterion of the subspecialty met, a summary sent."""
    check_open(request)
    criteria = [key for key, _label in ONWARD_CRITERIA[Subspecialty(subspecialty)]]
    unknown = sorted(set(criteria_met) - set(criteria))
    if unknown:
        raise ConsultationError(
            "criteria_met",
            gettext("Not criteria of this subspecialty: %(unknown)s")
            % {"unknown": ", ".join(unknown)},
        )
    if set(criteria_met) != set(criteria):
        raise ConsultationError(
            "criteria_met",
            gettext(
                "A direct referral needs every criterion met: discuss the case at the "
                "subspecialty interface clinic instead"
            ),
        )
    with transaction.atomic():
        referral = _new_referral(actor, request, subspecialty, ReferralRoute.DIRECT)
        OnwardReferralDetail.objects.create(
            onward_referral=referral,
            criteria_met=criteria,
            summary=summary,
            created_by=actor,
            updated_by=actor,
        )
        record(
            Action.CREATE,
            actor=actor,
            subject=subject_of(referral, request),
            details={"request_id": request.request_id, "subspecialty": subspecialty},
        )
    return referral


@dataclass(frozen=True)
class InterfaceCaseInput:
    """The documented MDT discussion of a subspecialty interface clinic."""

    subspecialty: str
    mdt_date: date
    attendees: str
    discussion: str
    outcome: str


def record_interface_case(
    *, actor: User, request: Request, given: InterfaceCaseInput
) -> InterfaceClinicCase:
    """Document an interface clinic (MDT) case; scheduling and responsibility stay with the service.

    Writes an onward referral row with route ``interface_clinic`` (the data set's record of the
    handover) and the discussion, attendees and outcome beside it.
    """
    check_open(request)
    if given.mdt_date > london_today():
        raise ConsultationError("mdt_date", gettext("The MDT date cannot be in the future"))
    with transaction.atomic():
        referral = _new_referral(actor, request, given.subspecialty, ReferralRoute.INTERFACE_CLINIC)
        case = InterfaceClinicCase.objects.create(
            onward_referral=referral,
            mdt_date=given.mdt_date,
            attendees=given.attendees,
            discussion=given.discussion,
            outcome=given.outcome,
            created_by=actor,
            updated_by=actor,
        )
        record(
            Action.CREATE,
            actor=actor,
            subject=subject_of(referral, request),
            details={
                "request_id": request.request_id,
                "subspecialty": given.subspecialty,
                "route": ReferralRoute.INTERFACE_CLINIC.value,
                "outcome": given.outcome,
            },
        )
    return case


def list_escalations(*, actor: User) -> list[Escalation]:
    """``actor``'s open escalations, with one audited view event naming their requests."""
    shown = open_escalations_for(actor)
    with transaction.atomic():
        record(
            Action.VIEW,
            actor=actor,
            subject=Subject(
                "consultations.escalation", "", actor.service_id or "", actor.health_board
            ),
            details={"listed": [e.request.request_id for e in shown]},
        )
    return shown
