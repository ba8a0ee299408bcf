"""The only writers of the consultation record, exits and returns (Wales specification 2.3 and 5).

Each function opens one transaction, makes its change and records the audit event in it
(``imsk.web.audit.services.record``). Data set rows (activities, onward referrals, exits, returned
requests) are written to the :mod:`imsk.web.referrals` tables; what the data set does not carry lives
in this app's models. Input arrives parsed by a form; what only the service can check (an activity
code against the code list, a senior clinician, a booked appointment, a return window) raises a
:class:`~imsk.web.consultations.errors.ConsultationError` naming the form field.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from imsk.core.codes import ActivityCode, CodeList, ExitCode
from imsk.core.dataset.enums import ContactStatus, ReferralRoute, Subspecialty
from imsk.core.errors import ImskError
from imsk.dataio.reference import load_activity_codes
from imsk.web.accounts.models import Role, Service, User
from imsk.web.audit.models import Action
from imsk.web.audit.services import Subject, record
from imsk.web.consultations.errors import (
    ConsultationError,
    ExitRefusedError,
    ReturnRefusedError,
)
from imsk.web.consultations.models import (
    ClinicianBand,
    Consultation,
    Escalation,
    InterfaceClinicCase,
    OnwardReferralDetail,
    ReturnLink,
)
from imsk.web.consultations.registries import ONWARD_CRITERIA
from imsk.web.consultations.windows import WINDOW_CODES, default_window_end, is_return_allowed
from imsk.web.referrals import services as referrals
from imsk.web.referrals.models import (
    Activity,
    Channel,
    ConditionCodeEntry,
    Contact,
    Exit,
    OnwardReferral,
    Request,
    Status,
)

LONDON = referrals.LONDON


@lru_cache(maxsize=1)
def activity_codes() -> CodeList[ActivityCode]:
    """The activity code list in use (bundled version 1 unless ``IMSK_ACTIVITY_CODES`` is set)."""
    return load_activity_codes()


def london_today(now: datetime | None = None) -> date:
    """Today's date in Europe/London (the day windows are counted in)."""
    return timezone.localdate(now or timezone.now(), LONDON)


def _subject(obj: Any, request: Request) -> Subject:
    return Subject.of(obj, service_id=request.service_id, health_board=request.service.health_board)


def _check_open(request: Request) -> None:
    if request.status == Status.CLOSED:
        raise ConsultationError(
            "", gettext("This request is closed: record a return to see the person again")
        )


def _check_contact(request: Request, contact: Contact | None) -> None:
    if contact is not None and contact.request_id != request.pk:
        raise ConsultationError("contact", gettext("That appointment belongs to another request"))


# --- Viewing -------------------------------------------------------------------------------------


def view_record(*, actor: User, request: Request, page: str) -> Request:
    """Record that ``actor`` viewed the care record of ``request`` (on ``page``)."""
    return referrals.view_request(actor=actor, request=request, details={"page": page})


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
    _check_open(request)
    _check_contact(request, given.contact)
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
            subject=_subject(consultation, request),
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
    _check_open(request)
    _check_contact(request, contact)
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
            subject=_subject(activity, request),
            details={"request_id": request.request_id, "code": code},
        )
    return activity


def update_condition_code(*, actor: User, request: Request, code: str) -> ConditionCodeEntry:
    """Append a condition code to the request's history (the history is kept, never rewritten)."""
    _check_open(request)
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
    _check_open(request)
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
            subject=_subject(escalation, request),
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
            subject=_subject(escalation, escalation.request),
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
    _check_open(request)
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
            subject=_subject(referral, request),
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
    _check_open(request)
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
            subject=_subject(referral, request),
            details={
                "request_id": request.request_id,
                "subspecialty": given.subspecialty,
                "route": ReferralRoute.INTERFACE_CLINIC.value,
                "outcome": given.outcome,
            },
        )
    return case


# --- Exits ---------------------------------------------------------------------------------------


def booked_contacts(request: Request) -> list[Contact]:
    """Appointments of ``request`` still booked (their outcome not yet recorded)."""
    return list(
        Contact.objects.filter(request=request, status=ContactStatus.BOOKED).order_by(
            "scheduled_at"
        )
    )


def record_exit(
    *, actor: User, request: Request, code: ExitCode, outcome: str, window_ends: date | None
) -> Exit:
    """The person leaves the service: an exit row, the request closed, in one audited transaction.

    Refused while an appointment is still booked: the clinician records its outcome or cancels it in
    clinics first, so no booked slot is left behind a closed record (and DNA figures stay true).
    SOS and PIFU exits get a window (the default for the code when none is given), which must not
    end before today; other exits have none.
    """
    today = london_today()
    window = _window_for(code, window_ends, today)
    with transaction.atomic():
        locked = Request.objects.select_for_update().select_related("service").get(pk=request.pk)
        if locked.status == Status.CLOSED or Exit.objects.filter(request=locked).exists():
            raise ExitRefusedError("code", gettext("This request has already exited"))
        booked = booked_contacts(locked)
        if booked:
            when = ", ".join(
                f"{timezone.localtime(c.scheduled_at, LONDON):%d %b %Y %H:%M}" for c in booked
            )
            raise ExitRefusedError(
                "code",
                gettext(
                    "An appointment is still booked (%(when)s): record its outcome or cancel it "
                    "first"
                )
                % {"when": when},
            )
        now = timezone.now()
        exit_row = Exit.objects.create(
            request=locked,
            exited_at=now,
            code=code,
            window_ends=window,
            outcome=outcome,
            created_by=actor,
            updated_by=actor,
        )
        Request.objects.filter(pk=locked.pk).update(
            status=Status.CLOSED, updated_at=now, updated_by=actor
        )
        record(
            Action.CREATE,
            actor=actor,
            subject=_subject(exit_row, locked),
            details={
                "request_id": locked.request_id,
                "code": code.value,
                "outcome": outcome,
                "window_ends": window.isoformat() if window else None,
            },
        )
    return exit_row


def _window_for(code: ExitCode, given: date | None, today: date) -> date | None:
    if code not in WINDOW_CODES:
        if given is not None:
            raise ExitRefusedError(
                "window_ends", gettext("Only See On Symptom and PIFU exits have a return window")
            )
        return None
    window = given or default_window_end(code, today)
    if window is None or window < today:
        raise ExitRefusedError("window_ends", gettext("The window cannot end before today"))
    return window


# --- Returns within the window -------------------------------------------------------------------


def record_return(
    *,
    actor: User | None,
    old: Request,
    red_flags: list[str],
    notes: str = "",
    by_link: bool = False,
) -> Request:
    """The person comes back within their SOS or PIFU window, without a new referral.

    A new request (channel ``return``, source ``self``, same person and service, ``returned_from``
    the old one) is received now and the old window is closed, so it cannot be used twice. Safety:
    with no red flag, the return is triaged at once to the previous pathway, priority and band (the
    point of SOS and PIFU is to skip the queue for triage); any red flag sends it to the triage
    worklist (status ``received``) with the triage engine's suggestion, like any new request.
    """
    now = timezone.now()
    with transaction.atomic():
        exit_row = Exit.objects.select_for_update().filter(request=old).first()
        _check_window(exit_row, london_today(now))
        assert exit_row is not None
        new = _insert_return(actor, old, red_flags, notes, now)
        exit_row.window_closed_at = now
        exit_row.updated_at = now
        exit_row.updated_by = actor
        exit_row.save(update_fields=["window_closed_at", "updated_at", "updated_by"])
        record(
            Action.CREATE,
            actor=actor,
            subject=referrals.request_subject(new),
            details={
                "channel": Channel.RETURN.value,
                "returned_from": old.request_id,
                "exit_code": exit_row.code,
                "red_flags": sorted(red_flags),
                "status": new.status,
                "by": "person_link" if by_link else "clinician",
            },
        )
    return new


def _check_window(exit_row: Exit | None, today: date) -> None:
    if exit_row is None or exit_row.code not in WINDOW_CODES:
        raise ReturnRefusedError(
            "",
            gettext("This request has no See On Symptom or PIFU window: a new referral is needed"),
        )
    if exit_row.window_closed_at is not None:
        raise ReturnRefusedError(
            "",
            gettext("This window has already been used or has closed: a new referral is needed"),
        )
    if not is_return_allowed(window_ends=exit_row.window_ends, is_used=False, today=today):
        ends = exit_row.window_ends
        raise ReturnRefusedError(
            "",
            gettext("The window ended on %(ends)s: a new referral is needed")
            % {"ends": date_format(ends, "j F Y")}
            if ends
            else gettext("This exit has no window end: a new referral is needed"),
        )


def _insert_return(
    actor: User | None, old: Request, red_flags: list[str], notes: str, now: datetime
) -> Request:
    age = _age_now(old, london_today(now))
    code = old.condition_codes.order_by("recorded_at", "id").last()
    parsed = referrals.NewRequest(
        service=old.service,
        channel=Channel.RETURN,
        source="self",
        received_at=now,
        age=age,
        condition_code=code.code if code else None,
        facts={"red_flags": sorted(red_flags)} if red_flags else {},
    )
    _facts, decision = referrals.check_facts(parsed)
    skips_triage = not red_flags and old.pathway is not None
    new = Request.objects.create(
        request_id=f"pending-return-{old.pk}-{now.timestamp()}",
        person=old.person,
        service=old.service,
        received_at=now,
        source="self",
        age=age,
        sex=old.sex,
        lsoa=old.lsoa,
        deprivation_quintile=old.deprivation_quintile,
        channel=Channel.RETURN,
        body_area=old.body_area,
        free_text=notes,
        triage_facts=dict(parsed.facts),
        triage_suggestion=decision.as_dict(),
        returned_from=old,
        created_by=actor,
        updated_by=actor,
        **(_previous_triage(old, now) if skips_triage else {}),
    )
    new.request_id = referrals.reference_for(new)
    Request.objects.filter(pk=new.pk).update(request_id=new.request_id)
    if code is not None:
        ConditionCodeEntry.objects.create(
            request=new,
            code=code.code,
            recorded_at=now,
            recorded_by=actor,
            code_list_version=code.code_list_version,
            created_by=actor,
            updated_by=actor,
        )
    return new


def _previous_triage(old: Request, now: datetime) -> dict[str, Any]:
    return {
        "priority": old.priority,
        "pathway": old.pathway,
        "band": old.band,
        "triaged_at": now,
        "status": Status.TRIAGED,
    }


def _age_now(old: Request, today: date) -> int:
    if old.person.date_of_birth is not None:
        return referrals.age_on(old.person.date_of_birth, today)
    if old.age is not None:
        return old.age + (today - london_today(old.received_at)).days // 365
    raise ReturnRefusedError("", gettext("The person's age is not known: record a new referral"))


# --- The person's own return link ----------------------------------------------------------------


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_return_link(*, actor: User, request: Request) -> str:
    """A single-use secret with which the person can return under the open window themselves.

    Only its SHA-256 digest is stored; the caller shows the secret once. Refused when the request
    has no open window (the same rule as a clinician-recorded return).
    """
    exit_row = Exit.objects.filter(request=request).first()
    _check_window(exit_row, london_today())
    assert exit_row is not None
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        link = ReturnLink.objects.create(exit=exit_row, digest=_digest(token), created_by=actor)
        record(
            Action.CREATE,
            actor=actor,
            subject=_subject(link, request),
            details={"request_id": request.request_id, "window_ends": str(exit_row.window_ends)},
        )
    return token


def usable_link(token: str) -> ReturnLink | None:
    """The unused link for ``token`` whose window is still open, else None (never says why)."""
    link = (
        ReturnLink.objects.select_related("exit__request__service")
        .filter(digest=_digest(token), used_at__isnull=True)
        .first()
    )
    if link is None:
        return None
    allowed = is_return_allowed(
        window_ends=link.exit.window_ends,
        is_used=link.exit.window_closed_at is not None,
        today=london_today(),
    )
    return link if allowed else None


def return_by_link(*, token: str) -> Request:
    """The person returns with their link (after answering every safety question "no").

    The link is locked and marked used in the same transaction as the return, so it works once.
    """
    with transaction.atomic():
        link = (
            ReturnLink.objects.select_for_update()
            .filter(digest=_digest(token), used_at__isnull=True)
            .first()
        )
        if link is None:
            raise ReturnRefusedError("", gettext("This link has already been used"))
        old = Request.objects.select_related("service", "person").get(pk=link.exit.request_id)
        new = record_return(actor=None, old=old, red_flags=[], by_link=True)
        link.used_at = timezone.now()
        link.save(update_fields=["used_at"])
    return new


# --- The scheduled task ----------------------------------------------------------------------------


def close_expired_windows(*, today: date) -> dict[str, int]:
    """Close every SOS or PIFU window whose last day is before ``today``; one audit event.

    Idempotent: a closed window is never touched again, so a second run the same day closes none.
    Returns the count closed per exit code.
    """
    now = timezone.now()
    with transaction.atomic():
        expired = Exit.objects.select_for_update().filter(
            code__in=[c.value for c in WINDOW_CODES],
            window_closed_at__isnull=True,
            window_ends__lt=today,
        )
        counts = {code.value: 0 for code in sorted(WINDOW_CODES)}
        for code in expired.values_list("code", flat=True):
            counts[code] += 1
        expired.update(window_closed_at=now, updated_at=now, updated_by=None)
        record(
            Action.UPDATE,
            actor=None,
            subject=Subject("referrals.exit", "expired-windows"),
            details={"today": today.isoformat(), "closed": counts},
        )
    return counts


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
