"""The only writer of the outcomes app: invitations, completed questionnaires, feedback, resources.

Every write opens a transaction and records an audit event in it. A questionnaire completed by link
is recorded with no actor (the patient has no account) and the request as its subject. Opening a
link writes nothing: neither a wrong token (a 404 that reveals nothing) nor a used or expired one.

The link's token is 256 random bits (``secrets.token_urlsafe(32)``); only its SHA-256 digest is
stored. Looking a digest up by index tells a timing attacker nothing useful (they would need a
pre-image of SHA-256), and the final comparison uses :func:`hmac.compare_digest`.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format

from imsk.core.dataset import enums
from imsk.web.accounts.models import Service, User
from imsk.web.audit.models import Action
from imsk.web.audit.services import Subject, record
from imsk.web.outcomes import questionnaires
from imsk.web.outcomes.errors import (
    CompletedBeforeReceiptError,
    LinkExpiredError,
    LinkNotFoundError,
    LinkUsedError,
    OutcomesError,
    SenderConfigError,
    SendError,
)
from imsk.web.outcomes.models import FeedbackRecord, Invitation, MeasureScoring, Resource, Source
from imsk.web.outcomes.senders import InvitationMessage, Sender, configured_sender
from imsk.web.referrals.models import Feedback, Measure, Request, ResourceHit
from imsk.web.referrals.services import LONDON, request_subject

TOKEN_BYTES = 32  # 256 bits


def token_digest(token: str) -> str:
    """The stored form of a link token: its SHA-256 in hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def link_days() -> int:
    return int(getattr(settings, "IMSK_INVITATION_DAYS", 14))


@dataclass(frozen=True)
class Issued:
    """A new (or renewed) invitation and the token of its link, which exists only here."""

    invitation: Invitation
    token: str


def create_invitation(
    *,
    actor: User | None,
    request: Request,
    instruments: Sequence[str],
    timepoint: str,
    now: datetime | None = None,
) -> Issued:
    """Record an invitation for ``request``; the token is returned once and only its digest kept."""
    unknown = [name for name in instruments if name not in questionnaires.OFFERED]
    if not instruments or unknown:
        raise OutcomesError(f"instruments: choose from {', '.join(questionnaires.OFFERED)}")
    if timepoint not in set(enums.Timepoint):
        raise OutcomesError(f"timepoint: one of {', '.join(enums.Timepoint)}, not {timepoint!r}")
    moment = now or timezone.now()
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with transaction.atomic():
        invitation = Invitation.objects.create(
            request=request,
            instruments=[name for name in questionnaires.OFFERED if name in instruments],
            timepoint=timepoint,
            token_digest=token_digest(token),
            created_at=moment,
            created_by=actor,
            expires_at=moment + timedelta(days=link_days()),
        )
        record(
            Action.CREATE,
            actor=actor,
            subject=request_subject(request),
            details={
                "invitation": invitation.pk,
                "instruments": invitation.instruments,
                "timepoint": timepoint,
            },
        )
    return Issued(invitation, token)


def send_invitation(
    *,
    actor: User | None,
    issued: Issued,
    link: str,
    sender: Sender | None = None,
    language: str = "en",
) -> Invitation:
    """Send the link; success or failure is recorded on the invitation, which is never lost."""
    invitation = issued.invitation
    person = invitation.request.person
    expires = timezone.localtime(invitation.expires_at, LONDON).date()
    message = InvitationMessage(
        email=person.email if person else "",
        phone=person.phone if person else "",
        link=link,
        service_name=invitation.request.service.name,
        expires=date_format(expires, "j F Y"),
        language=language,
    )
    try:
        chosen = sender or configured_sender()
    except SenderConfigError as error:  # a misconfigured sender must not lose the invitation
        return _sent(actor, invitation, "", error=str(error))
    try:
        receipt = chosen.send(message)
    except SendError as error:
        return _sent(actor, invitation, chosen.name, error=str(error))
    return _sent(actor, invitation, chosen.name, to=receipt.sent_to, reference=receipt.reference)


def _sent(
    actor: User | None,
    invitation: Invitation,
    via: str,
    *,
    to: str = "",
    reference: str = "",
    error: str = "",
) -> Invitation:
    with transaction.atomic():
        invitation.sent_via = via
        invitation.sent_to = to
        invitation.send_error = error
        invitation.sent_at = None if error else timezone.now()
        invitation.save(update_fields=["sent_via", "sent_to", "send_error", "sent_at"])
        details: dict[str, Any] = {"invitation": invitation.pk, "sent_via": via}
        details.update({"error": error} if error else {"reference": reference})
        record(
            Action.UPDATE, actor=actor, subject=request_subject(invitation.request), details=details
        )
    return invitation


def renew_invitation(*, actor: User, invitation: Invitation) -> Issued:
    """A new token for an unused invitation (to send again): the old link stops working."""
    if invitation.used_at is not None:
        raise LinkUsedError("this questionnaire has already been completed")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with transaction.atomic():
        invitation.token_digest = token_digest(token)
        invitation.expires_at = timezone.now() + timedelta(days=link_days())
        invitation.save(update_fields=["token_digest", "expires_at"])
        record(
            Action.UPDATE,
            actor=actor,
            subject=request_subject(invitation.request),
            details={"invitation": invitation.pk, "renewed": True},
        )
    return Issued(invitation, token)


def _find(token: str, *, for_update: bool = False) -> Invitation:
    digest = token_digest(token)
    found = Invitation.objects.select_related("request__service", "request__person")
    if for_update:
        found = found.select_for_update()
    invitation = found.filter(token_digest=digest).first()
    if invitation is None or not hmac.compare_digest(invitation.token_digest, digest):
        raise LinkNotFoundError("no such questionnaire link")
    return invitation


def open_link(token: str, *, now: datetime | None = None) -> Invitation:
    """The invitation of a usable link; raises if unknown, used or expired. Writes nothing."""
    invitation = _find(token)
    _check_usable(invitation, now or timezone.now())
    return invitation


def _check_usable(invitation: Invitation, now: datetime) -> None:
    if invitation.used_at is not None:
        raise LinkUsedError("this questionnaire has already been completed")
    if invitation.expires_at <= now:
        raise LinkExpiredError("this questionnaire link has expired")


def complete_link(
    token: str, answers: Sequence[questionnaires.Answers], *, now: datetime | None = None
) -> list[Measure]:
    """Store the patient's answers (one measure per questionnaire) and close the link for good.

    Scoring happens before any write, so answers the core refuses store nothing. The invitation row
    is locked, so two submissions racing each other store one set of answers.
    """
    moment = now or timezone.now()
    scored = [questionnaires.score(answer) for answer in answers]
    with transaction.atomic():
        invitation = _find(token, for_update=True)
        _check_usable(invitation, moment)
        if sorted(a.instrument for a in answers) != sorted(invitation.instruments):
            raise OutcomesError("answers: every questionnaire of the invitation is needed")
        measures = [
            _store(invitation.request, item, invitation.timepoint, moment, None, invitation)
            for item in scored
        ]
        invitation.used_at = moment
        invitation.save(update_fields=["used_at"])
        record(
            Action.CREATE,
            actor=None,
            subject=request_subject(invitation.request),
            details={
                "invitation": invitation.pk,
                "via": Source.LINK.value,
                "measures": [m.pk for m in measures],
            },
        )
    return measures


def enter_measure(
    *,
    actor: User,
    request: Request,
    answers: questionnaires.Answers,
    timepoint: str,
    completed_at: datetime,
) -> Measure:
    """Record a questionnaire a clinician transcribes from paper; scored by the core as by link.

    A questionnaire cannot have been completed before the service received the request (on the
    same day is fine: paper forms carry a date, not a time).
    """
    received = timezone.localdate(request.received_at, LONDON)
    if timezone.localdate(completed_at, LONDON) < received:
        raise CompletedBeforeReceiptError(
            f"completed_on: the request was received on {received.isoformat()}"
        )
    scored = questionnaires.score(answers)
    with transaction.atomic():
        measure = _store(request, scored, timepoint, completed_at, actor, None)
        record(
            Action.CREATE,
            actor=actor,
            subject=request_subject(request),
            details={"measure": measure.pk, "instrument": answers.instrument, "via": "staff"},
        )
    return measure


def _store(
    request: Request,
    scored: questionnaires.Scored,
    timepoint: str,
    completed_at: datetime,
    actor: User | None,
    invitation: Invitation | None,
) -> Measure:
    result = scored.result
    measure = Measure.objects.create(
        request=request,
        instrument=result.instrument,
        timepoint=timepoint,
        completed_at=completed_at,
        items=scored.items,
        score=None if result.score is None else float(result.score),
        created_by=actor,
        updated_by=actor,
    )
    MeasureScoring.objects.create(
        measure=measure,
        instrument_version=result.instrument_version,
        value_set=result.value_set or "",
        band=result.band or "",
        vas=scored.vas,
        comment=scored.comment,
        source=Source.STAFF if invitation is None else Source.LINK,
        invitation=invitation,
    )
    return measure


# Complaints, compliments and concerns --------------------------------------------------------


def record_feedback(
    *,
    actor: User,
    service: Service,
    kind: str,
    nature: str,
    received_at: datetime,
    details: str = "",
    response: str = "",
) -> FeedbackRecord:
    """Record a complaint, compliment or concern: the data set row and its working detail."""
    with transaction.atomic():
        feedback = Feedback.objects.create(
            service=service,
            kind=kind,
            nature=nature,
            received_at=received_at,
            created_by=actor,
            updated_by=actor,
        )
        kept = FeedbackRecord.objects.create(feedback=feedback, details=details, response=response)
        record(
            Action.CREATE,
            actor=actor,
            subject=Subject.of(
                feedback, service_id=service.service_id, health_board=service.health_board
            ),
            details={"kind": kind, "nature": nature},
        )
    return kept


def list_feedback(*, actor: User, service: Service, kind: str = "") -> list[FeedbackRecord]:
    """The service's feedback (newest first), optionally of one kind; the view is audited."""
    rows = FeedbackRecord.objects.select_related("feedback").filter(feedback__service=service)
    if kind:
        rows = rows.filter(feedback__kind=kind)
    shown = list(rows.order_by("-feedback__received_at", "-id")[:200])
    with transaction.atomic():
        record(
            Action.VIEW,
            actor=actor,
            subject=Subject("referrals.feedback", "", service.service_id, service.health_board),
            details={"kind": kind, "listed": len(shown)},
        )
    return shown


# Self-management resources ------------------------------------------------------------------

RESOURCE_FIELDS = (
    "slug",
    "title",
    "title_cy",
    "summary",
    "summary_cy",
    "body",
    "body_cy",
    "url",
    "published",
)


def save_resource(
    *, actor: User, service: Service, values: dict[str, Any], resource: Resource | None = None
) -> Resource:
    """Create a resource for ``service``, or change ``resource``; audited either way."""
    with transaction.atomic():
        is_new = resource is None
        target = resource or Resource(service=service)
        for name in RESOURCE_FIELDS:
            if name in values:
                setattr(target, name, values[name])
        target.updated_at = timezone.now()
        target.save()
        record(
            Action.CREATE if is_new else Action.UPDATE,
            actor=actor,
            subject=Subject.of(
                target, service_id=service.service_id, health_board=service.health_board
            ),
            details={"slug": target.slug},
        )
    return target


def count_hit(resource: Resource, *, day: date | None = None) -> int:
    """Add one view of ``resource`` to the day's ``resource_hits`` row; returns the day's count.

    Race-free: the resource row is locked for the transaction, so concurrent views of the same
    resource queue up and each adds exactly one (``F()`` update, or the day's first row created).
    A hit is an anonymous count, not a record of a person, so it writes no audit event.
    """
    today = day or timezone.localdate(timezone.now(), LONDON)
    with transaction.atomic():
        Resource.objects.select_for_update().filter(pk=resource.pk).first()
        rows = ResourceHit.objects.filter(
            service_id=resource.service_id, date=today, resource=resource.slug
        )
        if rows.update(hits=F("hits") + 1, updated_at=timezone.now()) == 0:
            ResourceHit.objects.create(
                service_id=resource.service_id, date=today, resource=resource.slug, hits=1
            )
        return sum(rows.values_list("hits", flat=True))
