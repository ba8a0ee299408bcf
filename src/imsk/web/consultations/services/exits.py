"""Exits, SOS and PIFU windows, returns (by a clinician or the person's own link), expiry.

Each function opens one transaction and records its audit event in it.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from imsk.core.codes import ExitCode
from imsk.core.dataset.enums import ContactStatus
from imsk.web.accounts.models import User
from imsk.web.audit.models import Action
from imsk.web.audit.services import Subject, record
from imsk.web.consultations.errors import ExitRefusedError, ReturnRefusedError
from imsk.web.consultations.models import ReturnLink
from imsk.web.consultations.services.base import LONDON, london_today, subject_of
from imsk.web.consultations.windows import WINDOW_CODES, default_window_end, is_return_allowed
from imsk.web.referrals import services as referrals
from imsk.web.referrals.models import Channel, ConditionCodeEntry, Contact, Exit, Request, Status
from imsk.web.triage import services as triage

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
        triage.leave_queue(locked)  # an untriaged request leaves the worklist with its exit
        record(
            Action.CREATE,
            actor=actor,
            subject=subject_of(exit_row, locked),
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
            subject=subject_of(link, request),
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
