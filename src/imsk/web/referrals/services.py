"""The only writers of the clinical record: intake at the single point of access, and audited reads.

Every function that writes opens one transaction, makes the change and records the audit event in
it (``imsk.web.audit.services.record``): a failure keeps neither. Inputs arrive already parsed at the
edge (a form, the API schema, the FHIR mapper) as a :class:`NewRequest`; what only the service can
check (the triage facts against the triage engine, the condition code against the code list in use,
the NHS number's check digit) raises :class:`~imsk.web.referrals.errors.ReferralError` naming the
field.

At receipt the triage engine (``imsk.core.triage``, rule set ``wales-2026-v1`` by default) is run
on the request's facts and its decision is kept as ``triage_suggestion``: a request with a red flag
shows its same-day action at once, but priority, pathway and band stay empty until a triage
clinician allocates the pathway (data set: "null until triaged").
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection, models, transaction
from django.db.models import QuerySet
from django.utils import timezone
from nhs_number.validate import is_valid as is_valid_nhs_number

from imsk.core.calendar import calendar_for
from imsk.core.codes import CodeList, ConditionCode
from imsk.core.errors import ImskError, TriageInputError, UnknownCodeError
from imsk.core.triage import RuleSet, TriageDecision, TriageFacts, facts_from_mapping, triage
from imsk.dataio.reference import load_condition_codes
from imsk.dataio.rulesets import load_bundled_ruleset
from imsk.web.accounts.models import Service, User
from imsk.web.accounts.permissions import scope_records
from imsk.web.audit.models import Action
from imsk.web.audit.services import Subject, record
from imsk.web.inserts import insert
from imsk.web.referrals.errors import DatasetLoadError, ReferralError
from imsk.web.referrals.models import Channel, ConditionCodeEntry, Person, Request

LONDON = ZoneInfo("Europe/London")

#: Facts the request's own columns carry; the rest of the triage facts live in ``triage_facts``.
_COLUMN_FACTS = frozenset({"received_at", "source", "age", "category", "condition_code"})


@lru_cache(maxsize=1)
def condition_codes() -> CodeList[ConditionCode]:
    """The condition code list in use (bundled version 1 unless ``IMSK_CONDITION_CODES`` is set)."""
    return load_condition_codes()


@lru_cache(maxsize=1)
def ruleset() -> RuleSet:
    """The triage rule set in use (the bundled default version)."""
    return load_bundled_ruleset()


@dataclass(frozen=True)
class PersonDetails:
    """Who the request is about, as given (all optional but for what the channel requires)."""

    nhs_number: str | None = None
    full_name: str = ""
    date_of_birth: date | None = None
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class NewRequest:
    """A request as parsed at the edge, before the service checks it against core."""

    service: Service
    channel: Channel
    source: str
    received_at: datetime
    age: int
    person: PersonDetails = PersonDetails()
    category: str | None = None
    sex: str | None = None
    referrer_practice: str = ""
    lsoa: str = ""
    deprivation_quintile: int | None = None
    referrer_priority: str | None = None
    condition_code: str | None = None
    body_area: str = ""
    free_text: str = ""
    facts: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Idempotency:
    """An API submission's client, ``Idempotency-Key`` and body digest (sha256 hex)."""

    client_id: int
    key: str
    body_sha256: str


def normalise_nhs_number(value: str, *, field_name: str = "nhs_number") -> str:
    """The 10 digits of a valid NHS number (spaces allowed in the input); else ReferralError."""
    digits = "".join(value.split())
    if not (len(digits) == 10 and digits.isdigit() and is_valid_nhs_number(digits)):
        raise ReferralError(field_name, f"{value!r} is not a valid 10-digit NHS number")
    return digits


def age_on(date_of_birth: date, day: date) -> int:
    """Age in whole years on ``day``."""
    before_birthday = (day.month, day.day) < (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - int(before_birthday)


def check_facts(new: NewRequest) -> tuple[TriageFacts, TriageDecision]:
    """Parse the request's facts as the triage engine does and triage them; errors name the field."""
    local = timezone.localtime(new.received_at, LONDON)
    mapping: dict[str, object] = {
        **new.facts,
        "received_at": local.replace(tzinfo=None).isoformat(timespec="seconds"),
        "source": new.source,
        "age": new.age,
    }
    if new.category is not None:
        mapping["category"] = new.category
    if new.condition_code is not None:
        mapping["condition_code"] = new.condition_code
    clash = sorted(_COLUMN_FACTS & set(new.facts))
    if clash:
        raise ReferralError(f"facts.{clash[0]}", "give this as a field of the request itself")
    try:
        facts = facts_from_mapping(mapping, condition_codes())
        decision = triage(facts, ruleset(), calendar_for(new.service.nation))
    except UnknownCodeError as error:
        raise ReferralError("condition_code", str(error)) from None
    except TriageInputError as error:
        raise ReferralError(_field_of(str(error), mapping), str(error)) from None
    return facts, decision


def _field_of(message: str, mapping: dict[str, object]) -> str:
    """The field a triage input error is about (its message starts with or names the field)."""
    for name in sorted(set(mapping) | _COLUMN_FACTS, key=len, reverse=True):
        if message.startswith(name) or f" {name} " in message:
            return name if name in _COLUMN_FACTS else f"facts.{name}"
    return "facts"


def create_request(
    new: NewRequest,
    *,
    actor: User | None,
    idempotency: Idempotency | None = None,
    respond: Any = None,
    audit_details: dict[str, Any] | None = None,
) -> Request:
    """Record a new request at the single point of access, with its audit event, in one transaction.

    ``respond`` (API only) builds the JSON response from the saved request; it is stored with the
    request so a retry with the same ``Idempotency-Key`` gets exactly the same answer.
    """
    _facts, decision = check_facts(new)
    nhs = (
        normalise_nhs_number(new.person.nhs_number, field_name="person.nhs_number")
        if new.person.nhs_number
        else None
    )
    with transaction.atomic():
        person, next_pk = _person_for(new.person, nhs, actor)
        request, unwritten = _prepare_request(
            new, person, decision, actor, idempotency, respond, next_pk
        )
        if new.condition_code:
            unwritten.append(_new_code(request, new.condition_code, new.received_at, actor))
        record(
            Action.CREATE,
            actor=actor,
            subject=request_subject(request),
            details={
                "channel": new.channel,
                "source": new.source,
                "api_client": idempotency.client_id if idempotency else None,
                "suggested_disposition": decision.disposition.value,
                **(audit_details or {}),
            },
            along_with=unwritten,  # PostgreSQL: the request, its code and the event, one round trip
        )
    return request


def _person_for(
    details: PersonDetails, nhs: str | None, actor: User | None
) -> tuple[Person, int | None]:
    """The person (found by NHS number, or new), and the request's key when drawn with the person.

    On PostgreSQL a new person's INSERT also draws the request's key from its sequence (in its
    ``RETURNING`` clause): one round trip fewer than a ``nextval`` of its own.
    """
    values = {
        "full_name": details.full_name,
        "date_of_birth": details.date_of_birth,
        "phone": details.phone,
        "email": details.email,
        "created_by": actor,
        "updated_by": actor,
    }
    if nhs is not None:
        person, _created = Person.objects.get_or_create(
            nhs_number=nhs, defaults={"person_id": new_person_id(), **values}
        )
        return person, None
    person = Person(person_id=new_person_id(), **values)
    next_pk = insert(person, also_return=_next_request_pk_sql())
    return person, None if next_pk is None else int(next_pk)


def new_person_id() -> str:
    """A pseudonymous person key: random, so it reveals nothing about the person."""
    return f"P{secrets.token_hex(8).upper()}"


def _prepare_request(
    new: NewRequest,
    person: Person,
    decision: TriageDecision,
    actor: User | None,
    idempotency: Idempotency | None,
    respond: Any,
    next_pk: int | None = None,
) -> tuple[Request, list[models.Model]]:
    """The request with its reference (and the API's stored response), and the rows still to insert.

    The request goes in with one INSERT and its audit event (``record(..., along_with=...)``).

    The INSERTs of intake go through :func:`imsk.web.inserts.insert` (a statement built once per
    model, the values prepared by each field as ``save()`` would): four rows a request, and the ORM
    compiled a new INSERT for each (docs/performance.md, "Intake API").

    The reference is made of the primary key. On PostgreSQL the key is drawn from the table's own
    sequence first (``nextval``: with the new person's INSERT, or a round trip of its own when the
    person was found), so the row goes in complete; elsewhere
    (SQLite, development) the row goes in here under a placeholder and one UPDATE sets the
    reference.
    """
    request = _unsaved_request(new, person, decision, actor, idempotency)
    request.pk = next_pk if next_pk is not None else _next_request_pk()
    if request.pk is None:
        request.request_id = f"pending-{secrets.token_hex(12)}"  # replaced by the reference below
        insert(request)
        _finish(request, respond(request) if respond is not None else None)
        return request, []
    request.request_id = reference_for(request)
    request.api_response = respond(request) if respond is not None else None
    return request, [request]


def _next_request_pk() -> int | None:
    """The next primary key from the request table's sequence (PostgreSQL), or None elsewhere.

    A key drawn and then not used (the transaction rolls back) leaves a gap in the numbers, as an
    identity column always may: a reference is unique, not gap-free.
    """
    sql = _next_request_pk_sql()
    if not sql:
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {sql}")
        row = cursor.fetchone()
    return int(row[0])


def _next_request_pk_sql() -> str:
    """SQL for the request table's next key (PostgreSQL), or "" where rows get theirs at insert."""
    if connection.vendor != "postgresql":
        return ""
    table, column = Request._meta.db_table, Request._meta.pk.column
    assert "'" not in table + column  # names from the model, written into SQL as literals
    return f"nextval(pg_get_serial_sequence('{table}', '{column}'))"


def _unsaved_request(
    new: NewRequest,
    person: Person,
    decision: TriageDecision,
    actor: User | None,
    idempotency: Idempotency | None,
) -> Request:
    return Request(
        person=person,
        service=new.service,
        received_at=new.received_at,
        source=new.source,
        referrer_practice=new.referrer_practice,
        category=new.category,
        age=new.age,
        sex=new.sex,
        lsoa=new.lsoa,
        deprivation_quintile=new.deprivation_quintile,
        channel=new.channel,
        referrer_priority=new.referrer_priority,
        body_area=new.body_area,
        free_text=new.free_text,
        triage_facts=dict(new.facts),
        triage_suggestion=decision.as_dict(),
        api_client_id=idempotency.client_id if idempotency else None,
        idempotency_key=idempotency.key if idempotency else None,
        request_hash=idempotency.body_sha256 if idempotency else "",
        created_by=actor,
        updated_by=actor,
    )


def reference_for(request: Request) -> str:
    """``MSK-<health board>-<number>``: the human reference, unique because the number is the key."""
    return f"MSK-{request.service.health_board}-{request.pk:06d}"


def _finish(request: Request, response: dict[str, Any] | None) -> None:
    """Give a row inserted under a placeholder its reference (and the API response), one UPDATE."""
    request.request_id = reference_for(request)
    if response is not None:
        response["request_id"] = request.request_id
    request.api_response = response
    Request.objects.filter(pk=request.pk).update(
        request_id=request.request_id, api_response=response
    )


def _new_code(
    request: Request, code: str, recorded_at: datetime, actor: User | None
) -> ConditionCodeEntry:
    """A condition code history row, not yet inserted."""
    return ConditionCodeEntry(
        request=request,
        code=code,
        recorded_at=recorded_at,
        recorded_by=actor,
        code_list_version=condition_codes().version,
        created_by=actor,
        updated_by=actor,
    )


def record_condition_code(*, actor: User, request: Request, code: str) -> ConditionCodeEntry:
    """Append a condition code to the request's history (Wales specification 4.3)."""
    try:
        condition_codes().get(code)
    except ImskError as error:
        raise ReferralError("code", str(error)) from None
    with transaction.atomic():
        entry = _new_code(request, code, timezone.now(), actor)
        insert(entry)
        record(
            Action.CREATE,
            actor=actor,
            subject=Subject.of(
                entry,
                service_id=request.service_id,
                health_board=request.service.health_board,
            ),
            details={"request_id": request.request_id, "code": code},
        )
    return entry


def request_subject(request: Request) -> Subject:
    return Subject(
        "referrals.request",
        request.request_id,
        request.service_id,
        request.service.health_board,
    )


def view_request(
    *, actor: User | None, request: Request, details: dict[str, Any] | None = None
) -> Request:
    """Record that ``actor`` (None: an API client, named in ``details``) viewed the request.

    Every view of a patient record is audited (National Data Guardian standard 4).
    """
    with transaction.atomic():
        record(Action.VIEW, actor=actor, subject=request_subject(request), details=details)
    return request


def list_requests(*, actor: User, limit: int = 50) -> list[Request]:
    """The latest requests ``actor`` may see, with one audited view event naming them."""
    scoped: QuerySet[Request] = scope_records(
        Request.objects.select_related("service", "person"), actor, service_path="service"
    )
    shown = list(scoped.order_by("-received_at", "-id")[:limit])
    with transaction.atomic():
        record(
            Action.VIEW,
            actor=actor,
            subject=Subject("referrals.request", "", actor.service_id or "", actor.health_board),
            details={"listed": [r.request_id for r in shown]},
        )
    return shown


def export_dataset(*, actor: User | None, out_dir: Path) -> dict[str, int]:
    """Write the whole record to ``out_dir`` as a data set folder, audited as one export event.

    The files are written inside the transaction that records the export, so an export that fails
    half-way leaves no audit row claiming it happened (the partial files name no one).
    """
    from imsk.web.referrals.export import write_dataset

    with transaction.atomic():
        counts = write_dataset(out_dir)
        record(
            Action.EXPORT,
            actor=actor,
            subject=Subject("referrals.dataset", out_dir.name),
            details={"rows": counts},
        )
    return counts


def load_dataset(*, actor: User | None, folder: Path) -> dict[str, dict[str, int]]:
    """Load a data set folder into the record after validating it; refuses on any error finding.

    Idempotent (see :mod:`imsk.web.referrals.loading`). One transaction and one audit event for the
    whole load, with the rows read, inserted and skipped per table.
    """
    from imsk.dataio.dataset import validate_dataset
    from imsk.dataio.dataset.files import locate_tables
    from imsk.web.referrals.loading import Loader

    report = validate_dataset(folder, condition_codes=condition_codes())
    if report.error_count:
        first = next(f for f in report.findings if f.is_error)
        raise DatasetLoadError(
            f"data set {folder} has {report.error_count} error finding(s) and was not loaded; "
            f"first: {first}. Run `imsk validate {folder}` for them all"
        )
    located, _findings = locate_tables(folder)
    files = {name: table_file.path for name, table_file in located.items()}
    with transaction.atomic():
        counts = Loader(files).run()
        record(
            Action.CREATE,
            actor=actor,
            subject=Subject("referrals.dataset", folder.name),
            details={"loaded": counts},
        )
    return counts
