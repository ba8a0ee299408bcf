"""API clients and keys, and intake with idempotency: the API app's only writers.

Keys look like ``imsk_<prefix>_<secret>``: the prefix (8 hex characters) finds the client row, and
the SHA-256 digest of the whole key is compared in constant time. Creating a client is audited; the
key is returned once and never stored.

Idempotency (the ``Idempotency-Key`` header, after the IETF draft "The Idempotency-Key HTTP Header
Field"): a client's key names one submission. The first submission creates the request and stores
the response with it; a retry with the same key and the same body (compared as a canonical JSON
digest) gets that stored response and creates nothing; the same key with another body is refused
(409). Two submissions racing with one key are settled by the database's unique constraint on
(client, key): the loser finds the winner's request and answers as a retry.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db import IntegrityError, connection, models, transaction

from imsk.web.accounts.models import Service, User
from imsk.web.api.models import ApiClient
from imsk.web.audit.models import Action
from imsk.web.audit.services import Subject, record
from imsk.web.referrals import services as referrals
from imsk.web.referrals.errors import IdempotencyConflictError, ReferralError, ScopeError
from imsk.web.referrals.models import Request

KEY_PREFIX = "imsk"
MAX_IDEMPOTENCY_KEY = 255


@dataclass(frozen=True)
class IssuedKey:
    client: ApiClient
    key: str  # shown once


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_client(
    *,
    actor: User | None,
    name: str,
    service: Service | None = None,
    health_board: str = "",
) -> IssuedKey:
    """Register an API client scoped to ``service`` (or to all services of ``health_board``)."""
    board = service.health_board if service is not None else health_board.strip()
    if not board:
        raise ReferralError("health_board", "give the client a service or a health board")
    if service is not None and health_board and health_board != service.health_board:
        raise ReferralError(
            "health_board", f"service {service.service_id} is in {service.health_board}"
        )
    prefix = secrets.token_hex(4)
    key = f"{KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        client = ApiClient.objects.create(
            name=name,
            key_prefix=prefix,
            key_digest=_digest(key),
            service=service,
            health_board=board,
            created_by=actor,
        )
        record(
            Action.CREATE,
            actor=actor,
            subject=Subject.of(
                client, service_id=service.service_id if service else "", health_board=board
            ),
            details={"name": name, "key_prefix": prefix},
        )
    return IssuedKey(client, key)


@dataclass(frozen=True)
class Caller:
    """An authenticated client, and what its ``Idempotency-Key`` already names (found with the key).

    ``earlier`` is the request the client created under ``idempotency_key`` (None: a new key, or no
    key sent); it is compared with the body's digest later, by :func:`check_earlier`.
    """

    client: ApiClient
    idempotency_key: str | None = None
    earlier: Request | None = None


def authenticate(key: str, *, idempotency_key: str | None = None) -> Caller | None:
    """The active client whose key this is (and its earlier submission under ``idempotency_key``).

    One indexed query (``key_prefix`` is unique, (client, idempotency key) too) on a plain cursor,
    not the ORM's query compiler: intake runs it on every call, and compiling the two look-ups cost
    about 1.1 ms of CPU a call, a third of a whole retry (docs/performance.md, "Intake API"). A
    revoked key (``is_active`` false) is refused on the very next call: nothing is cached between
    requests.
    """
    parts = key.split("_")
    if len(parts) < 3 or parts[0] != KEY_PREFIX:
        return None
    looked_up = usable_key(idempotency_key)
    with connection.cursor() as cursor:
        cursor.execute(_caller_sql(), [looked_up, parts[1]])
        row = cursor.fetchone()
    if row is None:
        return None
    client, earlier = _caller_from_row(row)
    if not client.is_active or not hmac.compare_digest(client.key_digest, _digest(key)):
        return None
    return Caller(client, looked_up, earlier)


def usable_key(value: str | None) -> str | None:
    """The ``Idempotency-Key`` as used (stripped), or None when it is missing or not 1-255 long."""
    key = (value or "").strip()
    return key if 0 < len(key) <= MAX_IDEMPOTENCY_KEY else None


# The columns each look-up reads, in the models' field order (what ``Model.from_db`` expects).
_CLIENT_FIELDS = (
    "id",
    "name",
    "key_prefix",
    "key_digest",
    "service_id",
    "health_board",
    "is_active",
)
_SERVICE_FIELDS = ("service_id", "name", "health_board", "nation")
_EARLIER_FIELDS = ("id", "request_id", "request_hash", "api_response")


@cache
def _fields(
    model: type[models.Model], names: tuple[str, ...]
) -> tuple[models.Field[Any, Any], ...]:
    return tuple(f for f in model._meta.concrete_fields if f.attname in names)


@cache
def _caller_sql() -> str:
    """SELECT client, its service and the request under the given key, by key prefix."""
    q = connection.ops.quote_name
    columns = [
        *(f"c.{q(f.column)}" for f in _fields(ApiClient, _CLIENT_FIELDS)),
        *(f"s.{q(f.column)}" for f in _fields(Service, _SERVICE_FIELDS)),
        *(f"r.{q(f.column)}" for f in _fields(Request, _EARLIER_FIELDS)),
    ]
    client_fk = q(ApiClient._meta.get_field("service").column)
    request_fk = q(Request._meta.get_field("api_client").column)
    # Identifiers come from the models' metadata, quoted; values are parameters.
    return (
        f"SELECT {', '.join(columns)} FROM {q(ApiClient._meta.db_table)} c "  # noqa: S608
        f"LEFT JOIN {q(Service._meta.db_table)} s ON s.{q(Service._meta.pk.column)} = c.{client_fk} "
        f"LEFT JOIN {q(Request._meta.db_table)} r ON r.{request_fk} = c.{q('id')} "
        f"AND r.{q('idempotency_key')} = %s "
        f"WHERE c.{q('key_prefix')} = %s"
    )


def _caller_from_row(row: tuple[Any, ...]) -> tuple[ApiClient, Request | None]:
    db = connection.alias
    client_fields, service_fields = (
        _fields(ApiClient, _CLIENT_FIELDS),
        _fields(Service, _SERVICE_FIELDS),
    )
    cut = len(client_fields)
    client = ApiClient.from_db(db, [f.attname for f in client_fields], row[:cut])
    client.is_active = bool(client.is_active)  # SQLite gives 0/1 through a plain cursor
    service_row = row[cut : cut + len(service_fields)]
    if client.service_id is not None:
        client.service = Service.from_db(db, [f.attname for f in service_fields], service_row)
    return client, _request_from_row(row[cut + len(service_fields) :])


def _request_from_row(row: tuple[Any, ...] | None) -> Request | None:
    """An earlier submission's id, reference, body digest and stored response, or None."""
    if row is None or row[0] is None:
        return None
    fields = _fields(Request, _EARLIER_FIELDS)
    # A plain cursor gives JSON as text on both databases (Django loads jsonb as text).
    values = [
        json.loads(value) if isinstance(f, models.JSONField) and isinstance(value, str) else value
        for f, value in zip(fields, row, strict=True)
    ]
    return Request.from_db(connection.alias, [f.attname for f in fields], values)


def service_for(client: ApiClient, service_id: str | None) -> Service:
    """The service a client's request goes to; errors name ``service_id``."""
    if client.service is not None:
        if service_id not in (None, client.service.service_id):
            raise ScopeError(
                "service_id", f"this API key submits to {client.service.service_id} only"
            )
        return client.service
    if service_id is None:
        raise ReferralError("service_id", "name the service (this key covers a health board)")
    service = Service.objects.filter(service_id=service_id).first()
    if service is None:
        raise ReferralError("service_id", f"there is no service {service_id!r}")
    if service.health_board != client.health_board:
        raise ScopeError(
            "service_id", f"service {service_id} is not in health board {client.health_board}"
        )
    return service


def earlier_submission(client: ApiClient, key: str) -> Request | None:
    """The request an earlier submission with this key created, or None (one indexed query)."""
    q = connection.ops.quote_name
    fields = _fields(Request, _EARLIER_FIELDS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(q(f.column) for f in fields)} "  # noqa: S608
            f"FROM {q(Request._meta.db_table)} "
            f"WHERE {q('api_client_id')} = %s AND {q('idempotency_key')} = %s",
            [client.pk, key],
        )
        return _request_from_row(cursor.fetchone())


def check_earlier(earlier: Request | None, key: str, body_sha256: str) -> Request | None:
    """``earlier`` when it was created from the same body (a retry); 409 when the body differs."""
    if earlier is not None and earlier.request_hash != body_sha256:
        raise IdempotencyConflictError(
            f"Idempotency-Key {key!r} was used for request {earlier.request_id} with a different "
            "body; use a new key for a new request"
        )
    return earlier


def earlier_for(caller: Caller, key: str, body_sha256: str) -> Request | None:
    """The retry's earlier request (found at authentication when it looked up this key), or None."""
    found = caller.idempotency_key == key
    earlier = caller.earlier if found else earlier_submission(caller.client, key)
    return check_earlier(earlier, key, body_sha256)


def submit(
    *,
    caller: Caller,
    key: str,
    body_sha256: str,
    build: Callable[[], referrals.NewRequest],
    respond: Callable[[Request], dict[str, Any]],
) -> tuple[Request, bool]:
    """Create the request once per (client, key); returns it and whether it was created now."""
    earlier = earlier_for(caller, key, body_sha256)
    if earlier is not None:
        return earlier, False
    new = build()
    idempotency = referrals.Idempotency(caller.client.pk, key, body_sha256)
    try:
        return referrals.create_request(
            new, actor=None, idempotency=idempotency, respond=respond
        ), True
    except IntegrityError:
        # A concurrent twin won the race for (client, key): answer as its retry.
        earlier = check_earlier(earlier_submission(caller.client, key), key, body_sha256)
        if earlier is None:
            raise
        return earlier, False
