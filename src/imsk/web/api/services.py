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
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction

from imsk.web.accounts.models import Service, User
from imsk.web.api.models import ApiClient
from imsk.web.audit.models import Action
from imsk.web.audit.services import Subject, record
from imsk.web.referrals import services as referrals
from imsk.web.referrals.errors import IdempotencyConflictError, ReferralError, ScopeError
from imsk.web.referrals.models import Request

KEY_PREFIX = "imsk"


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


def authenticate(key: str) -> ApiClient | None:
    """The active client whose key this is, or None."""
    parts = key.split("_")
    if len(parts) < 3 or parts[0] != KEY_PREFIX:
        return None
    client = ApiClient.objects.select_related("service").filter(key_prefix=parts[1]).first()
    if client is None or not client.is_active:
        return None
    return client if hmac.compare_digest(client.key_digest, _digest(key)) else None


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


def earlier_submission(client: ApiClient, key: str, body_sha256: str) -> Request | None:
    """The request an earlier submission with this key created (a retry), or None (a new key).

    Raises :class:`IdempotencyConflictError` when the key was used with another body.
    """
    earlier = (
        Request.objects.filter(api_client=client, idempotency_key=key)
        .only("request_id", "request_hash", "api_response")
        .first()
    )
    if earlier is not None and earlier.request_hash != body_sha256:
        raise IdempotencyConflictError(
            f"Idempotency-Key {key!r} was used for request {earlier.request_id} with a different "
            "body; use a new key for a new request"
        )
    return earlier


def submit(
    *,
    client: ApiClient,
    key: str,
    body_sha256: str,
    build: Callable[[], referrals.NewRequest],
    respond: Callable[[Request], dict[str, Any]],
) -> tuple[Request, bool]:
    """Create the request once per (client, key); returns it and whether it was created now."""
    earlier = earlier_submission(client, key, body_sha256)
    if earlier is not None:
        return earlier, False
    new = build()
    idempotency = referrals.Idempotency(client.pk, key, body_sha256)
    try:
        return referrals.create_request(
            new, actor=None, idempotency=idempotency, respond=respond
        ), True
    except IntegrityError:
        earlier = earlier_submission(client, key, body_sha256)  # a concurrent twin won the race
        if earlier is None:
            raise
        return earlier, False
