"""The only writers of triage: decisions, redirects, questions and answers, and audited reads.

Wales specification 2.3: the single point of access triages every request and allocates a pathway
within 24 hours (urgent; WD(d, 1)) or 3 working days (routine; WD(d, 3)) of receipt. The worklist puts
the requests still waiting in the order a triage clinician should take them: red flags first, then by
triage deadline. The triage screen re-runs the engine (``imsk.core.triage``, the rule set in use, the
service nation's working-day calendar) and the clinician accepts its suggestion or overrides it with a
recorded reason (:mod:`imsk.core.triage.policy` holds the clinical-safety rules).

Every write opens one transaction, locks the request row, checks it is still open, writes the
decision and the request's columns, and records the audit events; a failure keeps none of it.
Every read of a patient record (the worklist, a triage screen, a letter) is audited as a view.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from imsk.core.calendar import calendar_for
from imsk.core.dataset import enums
from imsk.core.errors import ImskError
from imsk.core.triage import Disposition, Pathway, Priority, policy
from imsk.core.triage import TriageDecision as EngineDecision
from imsk.core.triage.outcomes import SAME_DAY
from imsk.web.accounts.models import User
from imsk.web.accounts.permissions import can_view_records, scope_records
from imsk.web.audit.models import Action
from imsk.web.audit.services import Subject, record
from imsk.web.referrals import services as referrals
from imsk.web.referrals.errors import ReferralError
from imsk.web.referrals.models import Request, Status
from imsk.web.referrals.services import LONDON
from imsk.web.triage.errors import (
    EngineUnavailableError,
    NotOpenForTriageError,
    OverrideReasonRequiredError,
    RedFlagDowngradeError,
    RequestNotFoundError,
    TriageError,
)
from imsk.web.triage.models import (
    Addressee,
    Destination,
    InformationRequest,
    TriageDecision,
    TriageQueueEntry,
    TriageQueueMark,
)

OPEN_STATUSES = (Status.RECEIVED, Status.AWAITING_INFORMATION)
"""Untriaged: waiting for a triage decision (with or without an open question)."""

PAGE_SIZE = 25

DESTINATION_DISPOSITION: dict[Destination, Disposition | None] = {
    Destination.EMERGENCY_DEPARTMENT: Disposition.EMERGENCY_REDIRECT,
    Destination.RHEUMATOLOGY: Disposition.REDIRECT_RHEUMATOLOGY,
    Destination.PAEDIATRICS: Disposition.REDIRECT_PAEDIATRICS,
    Destination.GP: None,
    Destination.OTHER: None,
}
"""The engine disposition a redirect carries out (``None``: not one the engine suggests)."""

SUGGESTED_DESTINATION: dict[Disposition, Destination] = {
    disposition: destination
    for destination, disposition in DESTINATION_DISPOSITION.items()
    if disposition is not None
}


# The worklist ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorklistRow:
    """One untriaged request as the worklist shows it."""

    request: Request
    deadline: date
    is_red_flag: bool
    is_overdue: bool
    working_days_overdue: int
    awaiting_since: datetime | None


@dataclass(frozen=True)
class Worklist:
    page: Page[TriageQueueEntry]
    rows: list[WorklistRow]
    today: date


SYNC_WINDOW = 1000
"""Request keys below the mark re-checked on every sync: a request created in a transaction that
committed after a later one (keys are given at insert, rows become visible at commit) is still
queued."""


def red_flag_rank(triage_facts: dict[str, Any] | None, suggestion: dict[str, Any] | None) -> int:
    """0 for a ticked red flag or a same-day disposition (act today), else 1."""
    flagged = bool((triage_facts or {}).get("red_flags"))
    same_day = (suggestion or {}).get("disposition") in {d.value for d in SAME_DAY}
    return 0 if flagged or same_day else 1


def queue_entry_for(request: Request) -> TriageQueueEntry:
    """The worklist entry of an untriaged request, from the engine's decision at receipt.

    The deadline is the suggestion's ``triage_deadline`` (the core engine with the service nation's
    working-day calendar). A request without a suggestion (none is received that way here) is
    triaged by the engine now; if even that cannot run, it is due on its day of receipt, so it is
    never buried.
    """
    suggestion: dict[str, Any] = request.triage_suggestion or {}
    if not suggestion.get("triage_deadline"):
        try:
            suggestion = engine_decision(request, latest_condition_code(request)).as_dict()
        except EngineUnavailableError:
            received_on = timezone.localdate(request.received_at, LONDON)
            suggestion = {"triage_deadline": received_on.isoformat()}
    return TriageQueueEntry(
        request=request,
        service_id=request.service_id,
        red_flag_rank=red_flag_rank(request.triage_facts, suggestion),
        triage_deadline=date.fromisoformat(str(suggestion["triage_deadline"])),
        received_at=request.received_at,
    )


def sync_queue(service_id: str) -> int:
    """Queue the service's open requests received since the last sync; returns how many.

    Runs when the worklist is shown: the referrals service and the data set loader create requests
    without knowing about triage. Looks at requests above the service's mark (less
    :data:`SYNC_WINDOW`) only. Entries are keyed by request, so two syncs at once are harmless.
    """
    with transaction.atomic():
        mark, _created = TriageQueueMark.objects.get_or_create(service_id=service_id)
        top = Request.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        fresh = list(
            Request.objects.select_related("service")
            .filter(
                service_id=service_id,
                pk__gt=max(0, mark.last_request_pk - SYNC_WINDOW),
                pk__lte=top,
                status__in=OPEN_STATUSES,
                triage_queue_entry__isnull=True,
            )
            .order_by("pk")
        )
        if fresh:
            TriageQueueEntry.objects.bulk_create(
                [queue_entry_for(r) for r in fresh], ignore_conflicts=True, batch_size=2000
            )
        if top != mark.last_request_pk:
            TriageQueueMark.objects.filter(service_id=service_id).update(last_request_pk=top)
    return len(fresh)


def leave_queue(request: Request) -> None:
    """Take ``request`` off the triage worklist: for a service that closes an untriaged request (an
    exit), called inside that service's transaction, so the worklist's count drops at once."""
    TriageQueueEntry.objects.filter(request=request).delete()


def worklist_queryset(actor: User) -> QuerySet[TriageQueueEntry]:
    """The actor's service's queue keys: red flags first, then by triage deadline.

    One scan of the ``triage_queue_order`` index (no join: a page of keys is fetched first, then
    only its 25 requests). Call :func:`sync_queue` first (``worklist`` does).
    """
    scoped = scope_records(TriageQueueEntry.objects.all(), actor, service_path="service")
    return scoped.order_by("red_flag_rank", "triage_deadline", "received_at", "request_id").only(
        "request_id"
    )


def worklist(*, actor: User, page_number: str | int | None, today: date) -> Worklist:
    """One page of the worklist, with one audited view event naming the requests shown.

    A service that closes an untriaged request takes it off the queue (:func:`leave_queue`). A
    request closed without that (a bulk data set load) still has an entry: it is dropped when it
    would be shown, and the page is read again (the count can include such requests until then).
    """
    if actor.service_id is not None:
        sync_queue(actor.service_id)
    for _attempt in range(5):
        page = Paginator(worklist_queryset(actor), PAGE_SIZE).get_page(page_number)
        shown = _entries([entry.pk for entry in page.object_list])
        stale = [e.pk for e in shown if e.request.status not in OPEN_STATUSES]
        if not stale:
            break
        TriageQueueEntry.objects.filter(pk__in=stale).delete()
    waiting = _awaiting_since([e.request_id for e in shown])
    rows = [
        _row(entry, today, waiting.get(entry.request_id))
        for entry in shown
        if entry.pk not in stale
    ]
    with transaction.atomic():
        record(
            Action.VIEW,
            actor=actor,
            subject=Subject("referrals.request", "", actor.service_id or "", actor.health_board),
            details={
                "worklist": "triage",
                "page": page.number,
                "listed": [row.request.request_id for row in rows],
            },
        )
    return Worklist(page=page, rows=rows, today=today)


def _entries(keys: list[int]) -> list[TriageQueueEntry]:
    """The entries with these keys, with their requests and services, in the order of ``keys``."""
    found = TriageQueueEntry.objects.select_related("request", "service").in_bulk(keys)
    return [found[key] for key in keys if key in found]


def _awaiting_since(request_pks: list[int]) -> dict[int, datetime]:
    questions = InformationRequest.objects.filter(
        request_id__in=request_pks, answered_at__isnull=True
    ).order_by("asked_at")
    since: dict[int, datetime] = {}
    for question in questions:
        since.setdefault(question.request_id, question.asked_at)
    return since


def _row(entry: TriageQueueEntry, today: date, awaiting_since: datetime | None) -> WorklistRow:
    deadline = entry.triage_deadline
    overdue_days = 0
    if today > deadline:
        overdue_days = calendar_for(entry.service.nation).working_days_between(deadline, today)
    return WorklistRow(
        request=entry.request,
        deadline=deadline,
        is_red_flag=entry.red_flag_rank == 0,
        is_overdue=today > deadline,
        working_days_overdue=overdue_days,
        awaiting_since=awaiting_since,
    )


# The triage screen --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TriageCase:
    """Everything the triage screen shows about one request."""

    request: Request
    engine: EngineDecision | None
    engine_error: str
    red_flags: tuple[str, ...]
    condition_code: str
    questions: list[InformationRequest]
    decisions: list[TriageDecision]
    today: date

    @property
    def is_open(self) -> bool:
        return self.request.status in OPEN_STATUSES

    @property
    def is_red_flag(self) -> bool:
        return self.engine is not None and policy.is_red_flag_case(
            self.engine, frozenset(self.red_flags)
        )

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.engine is not None and self.today > self.engine.triage_deadline

    @property
    def open_questions(self) -> list[InformationRequest]:
        return [q for q in self.questions if q.is_open]

    @property
    def suggested_destination(self) -> Destination | None:
        if self.engine is None:
            return None
        return SUGGESTED_DESTINATION.get(self.engine.disposition)


def find_request(actor: User, request_id: str, *, for_update: bool = False) -> Request:
    """The request if ``actor`` may see it; else :class:`RequestNotFoundError` (never revealed)."""
    found_qs = Request.objects.select_related("service", "person").filter(request_id=request_id)
    if for_update:
        found_qs = found_qs.select_for_update(of=("self",))
    found = found_qs.first()
    if found is None or not can_view_records(actor, found.service):
        raise RequestNotFoundError(f"no request {request_id!r}")
    return found


def latest_condition_code(request: Request) -> str:
    entry = request.condition_codes.order_by("-recorded_at", "-id").first()
    return entry.code if entry is not None else ""


def engine_decision(request: Request, condition_code: str = "") -> EngineDecision:
    """Run the triage engine now on the request's facts, rule set in use, service calendar.

    The latest condition code is a fact too (a code of suspected inflammatory arthritis sends the
    request to rheumatology), so recoding a request can change the suggestion.
    """
    if request.age is None:
        raise EngineUnavailableError(None, "the request has no age at receipt")
    new = referrals.NewRequest(
        service=request.service,
        channel=request.channel,  # type: ignore[arg-type]
        source=request.source,
        received_at=request.received_at,
        age=request.age,
        category=request.category,
        condition_code=condition_code or None,
        facts=dict(request.triage_facts or {}),
    )
    try:
        _facts, decision = referrals.check_facts(new)
    except ReferralError as error:
        raise EngineUnavailableError(None, str(error)) from None
    return decision


def red_flags_of(request: Request) -> tuple[str, ...]:
    flags = (request.triage_facts or {}).get("red_flags") or []
    return tuple(str(flag) for flag in flags)


def open_case(*, actor: User, request_id: str, today: date) -> TriageCase:
    """The triage screen's content, audited as one view of the request."""
    request = find_request(actor, request_id)
    code = latest_condition_code(request)
    engine: EngineDecision | None = None
    engine_error = ""
    try:
        engine = engine_decision(request, code)
    except EngineUnavailableError as error:
        engine_error = error.message
    referrals.view_request(actor=actor, request=request, details={"screen": "triage"})
    return TriageCase(
        request=request,
        engine=engine,
        engine_error=engine_error,
        red_flags=red_flags_of(request),
        condition_code=code,
        questions=list(request.information_requests.order_by("asked_at", "id")),
        decisions=list(request.triage_decisions.order_by("decided_at", "id")),
        today=today,
    )


# Decisions ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Override:
    """Why the clinician departs from the engine (blank when they accept it)."""

    reason: str = ""
    confirm_red_flag_downgrade: bool = False


@dataclass(frozen=True)
class Allocation:
    """Accept the request into the service on a pathway (the engine's, or an override)."""

    priority: Priority
    pathway: Pathway
    band: int
    condition_code: str = ""
    override: Override = Override()


@dataclass(frozen=True)
class Redirect:
    """Do not accept: redirect elsewhere, with a letter to the referrer or the person."""

    destination: Destination
    reason: str
    letter_to: Addressee
    priority: Priority
    destination_detail: str = ""
    condition_code: str = ""
    override: Override = Override()


@dataclass(frozen=True)
class _Choice:
    disposition: Disposition | None
    priority: Priority
    pathway: Pathway
    band: int | None
    condition_code: str
    override: Override


def allocate(*, actor: User, request_id: str, allocation: Allocation) -> TriageDecision:
    """Record a triage decision that accepts the request on a pathway; status becomes ``triaged``."""
    if allocation.pathway is Pathway.REDIRECTED:
        raise TriageError("pathway", "to redirect a request, use Redirect with a letter")
    _check_code(allocation.condition_code)
    with transaction.atomic():
        request = _open_request(actor, request_id)
        engine = engine_decision(
            request, allocation.condition_code or latest_condition_code(request)
        )
        choice = _Choice(
            policy.allocation_disposition(engine),
            allocation.priority,
            allocation.pathway,
            allocation.band,
            allocation.condition_code,
            allocation.override,
        )
        return _decide(actor, request, engine, choice, Status.TRIAGED, {})


def redirect(*, actor: User, request_id: str, redirection: Redirect) -> TriageDecision:
    """Record a redirect (pathway ``redirected``); status becomes ``closed``; a letter is due."""
    if not redirection.reason.strip():
        raise TriageError("reason", "say why the request is redirected (it goes in the letter)")
    if redirection.destination is Destination.OTHER and not redirection.destination_detail.strip():
        raise TriageError("destination_detail", "name the service the request is redirected to")
    _check_code(redirection.condition_code)
    with transaction.atomic():
        request = _open_request(actor, request_id)
        engine = engine_decision(
            request, redirection.condition_code or latest_condition_code(request)
        )
        choice = _Choice(
            DESTINATION_DISPOSITION[redirection.destination],
            redirection.priority,
            Pathway.REDIRECTED,
            None,
            redirection.condition_code,
            redirection.override,
        )
        extra = {
            "destination": redirection.destination.value,
            "destination_detail": redirection.destination_detail.strip(),
            "redirect_reason": redirection.reason.strip(),
            "letter_to": redirection.letter_to.value,
        }
        return _decide(actor, request, engine, choice, Status.CLOSED, extra)


def _check_code(code: str) -> None:
    """A chosen condition code must be in the code list in use (checked before the engine runs)."""
    if not code:
        return
    try:
        referrals.condition_codes().get(code)
    except ImskError as error:
        raise TriageError("condition_code", str(error)) from None


def _open_request(actor: User, request_id: str) -> Request:
    request = find_request(actor, request_id, for_update=True)
    if request.status not in OPEN_STATUSES:
        raise NotOpenForTriageError(
            None, f"request {request_id} is {request.get_status_display()}, not waiting for triage"
        )
    return request


def _decide(
    actor: User,
    request: Request,
    engine: EngineDecision,
    choice: _Choice,
    status: Status,
    extra: dict[str, str],
) -> TriageDecision:
    accepted, downgrade = _check_override(request, engine, choice)
    if choice.condition_code and choice.condition_code != latest_condition_code(request):
        _record_code(actor, request, choice.condition_code)
    now = timezone.now()
    decision = TriageDecision.objects.create(
        request=request,
        decided_by=actor,
        decided_at=now,
        ruleset_version=engine.ruleset_version,
        suggested_disposition=engine.disposition.value,
        suggested_priority=engine.priority.value,
        suggested_pathway=engine.pathway.value,
        suggested_band=engine.band,
        suggested_band_requirement=engine.band_requirement.value if engine.band_requirement else "",
        triage_deadline=engine.triage_deadline,
        fired_rules=engine.as_dict()["reasons"],
        red_flags=list(red_flags_of(request)),
        priority=choice.priority.value,
        pathway=choice.pathway.value,
        band=choice.band,
        condition_code=choice.condition_code,
        accepted=accepted,
        override_reason="" if accepted else choice.override.reason.strip(),
        downgrades_red_flag=downgrade,
        **extra,
    )
    _update_request(actor, request, decision, status, now)
    TriageQueueEntry.objects.filter(request=request).delete()
    _audit_decision(actor, request, decision)
    return decision


def _check_override(request: Request, engine: EngineDecision, choice: _Choice) -> tuple[bool, bool]:
    """(accepted, red-flag downgrade); raises when an override lacks its reason or confirmation."""
    accepted = policy.is_accepted(
        engine, choice.disposition, choice.priority, choice.pathway, choice.band
    )
    red_flag = policy.is_red_flag_case(engine, frozenset(red_flags_of(request)))
    downgrade = red_flag and policy.is_less_urgent(engine, choice.disposition, choice.priority)
    if not accepted and not choice.override.reason.strip():
        raise OverrideReasonRequiredError(
            "override_reason", "give the reason for departing from the triage suggestion"
        )
    if downgrade and not choice.override.confirm_red_flag_downgrade:
        raise RedFlagDowngradeError(
            "confirm_red_flag_downgrade",
            "this decision is less urgent than the red flag requires: confirm it to record it",
        )
    return accepted, downgrade


def _record_code(actor: User, request: Request, code: str) -> None:
    try:
        referrals.record_condition_code(actor=actor, request=request, code=code)
    except ReferralError as error:
        raise TriageError("condition_code", error.message) from None


def _update_request(
    actor: User, request: Request, decision: TriageDecision, status: Status, now: datetime
) -> None:
    Request.objects.filter(pk=request.pk).update(
        status=status,
        priority=decision.priority,
        pathway=decision.pathway,
        band=decision.band,
        triaged_at=now,
        updated_at=now,
        updated_by=actor,
    )


def _audit_decision(actor: User, request: Request, decision: TriageDecision) -> None:
    details: dict[str, Any] = {
        "request_id": request.request_id,
        "ruleset_version": decision.ruleset_version,
        "suggested": {
            "disposition": decision.suggested_disposition,
            "priority": decision.suggested_priority,
            "pathway": decision.suggested_pathway,
            "band": decision.suggested_band,
        },
        "chosen": {
            "priority": decision.priority,
            "pathway": decision.pathway,
            "band": decision.band,
            "destination": decision.destination,
        },
        "accepted": decision.accepted,
        "override_reason": decision.override_reason,
        "downgrades_red_flag": decision.downgrades_red_flag,
    }
    board = request.service.health_board
    record(
        Action.CREATE,
        actor=actor,
        subject=Subject.of(decision, service_id=request.service_id, health_board=board),
        details=details,
    )
    record(
        Action.UPDATE,
        actor=actor,
        subject=referrals.request_subject(request),
        details={"triage_decision": decision.pk, "status": _status_after(decision)},
    )


def _status_after(decision: TriageDecision) -> str:
    return Status.CLOSED.value if decision.is_redirect else Status.TRIAGED.value


# More information --------------------------------------------------------------------------------


def ask_for_information(
    *, actor: User, request_id: str, asked_of: Addressee, question: str
) -> InformationRequest:
    """Ask the referrer or the person a question; the request waits (``awaiting_information``).

    The triage deadline does not move: the data set measures triage time from receipt.
    """
    if not question.strip():
        raise TriageError("question", "write the question to ask")
    with transaction.atomic():
        request = _open_request(actor, request_id)
        asked = InformationRequest.objects.create(
            request=request, asked_of=asked_of, question=question.strip(), asked_by=actor
        )
        _set_status(actor, request, Status.AWAITING_INFORMATION)
        record(
            Action.CREATE,
            actor=actor,
            subject=Subject.of(
                asked, service_id=request.service_id, health_board=request.service.health_board
            ),
            details={"request_id": request.request_id, "asked_of": asked_of.value},
        )
    return asked


def record_answer(
    *, actor: User, request_id: str, question_id: int, answer: str
) -> InformationRequest:
    """Record the answer to a question; with no question left open the request is ``received``."""
    if not answer.strip():
        raise TriageError("answer", "write the answer received")
    with transaction.atomic():
        request = find_request(actor, request_id, for_update=True)
        asked = (
            InformationRequest.objects.select_for_update()
            .filter(pk=question_id, request=request)
            .first()
        )
        if asked is None:
            raise RequestNotFoundError(f"no question {question_id} on request {request_id!r}")
        if not asked.is_open:
            raise TriageError("answer", "this question has already been answered")
        asked.answer = answer.strip()
        asked.answered_at = timezone.now()
        asked.answered_by = actor
        asked.save(update_fields=["answer", "answered_at", "answered_by"])
        still_open = request.information_requests.filter(answered_at__isnull=True).exists()
        if request.status == Status.AWAITING_INFORMATION and not still_open:
            _set_status(actor, request, Status.RECEIVED)
        record(
            Action.UPDATE,
            actor=actor,
            subject=Subject.of(
                asked, service_id=request.service_id, health_board=request.service.health_board
            ),
            details={"request_id": request.request_id, "answered": True},
        )
    return asked


def find_question(actor: User, request_id: str, question_id: int) -> InformationRequest:
    request = find_request(actor, request_id)
    asked = request.information_requests.filter(pk=question_id).first()
    if asked is None:
        raise RequestNotFoundError(f"no question {question_id} on request {request_id!r}")
    return asked


def _set_status(actor: User, request: Request, status: Status) -> None:
    previous = request.status
    now = timezone.now()
    Request.objects.filter(pk=request.pk).update(status=status, updated_at=now, updated_by=actor)
    request.status = status
    record(
        Action.UPDATE,
        actor=actor,
        subject=referrals.request_subject(request),
        details={"status": {"from": previous, "to": status.value}},
    )


# The redirect letter -----------------------------------------------------------------------------


def letter(*, actor: User, request_id: str) -> tuple[Request, TriageDecision]:
    """The request and its redirect decision, for the letter; audited as a view of the request."""
    request = find_request(actor, request_id)
    decision = (
        request.triage_decisions.filter(pathway=enums.Pathway.REDIRECTED.value)
        .order_by("-decided_at", "-id")
        .first()
    )
    if decision is None:
        raise RequestNotFoundError(f"request {request_id!r} has not been redirected")
    referrals.view_request(actor=actor, request=request, details={"screen": "redirect_letter"})
    return request, decision
