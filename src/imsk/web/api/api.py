"""The intake API for electronic referral systems (django-ninja; OpenAPI at ``/api/docs``).

Operations:

* ``POST /api/requests``: a request in the native JSON (:class:`~imsk.web.api.schemas.RequestIn`);
* ``POST /api/fhir/ServiceRequest``: a FHIR R4 ``ServiceRequest`` (:mod:`imsk.web.api.fhir`);
* ``GET /api/requests/{request_id}``: the receipt and current status of a request this client sent.

Every call needs ``Authorization: Bearer <API key>`` (``imsk_create_api_key``); both POSTs need an
``Idempotency-Key`` header (:mod:`imsk.web.api.services`). Errors are RFC 7807 problem responses
(:mod:`imsk.web.api.problems`), translated here, in one place, from the errors the layers raise.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.params.functions import Header
from ninja.security import HttpBearer
from pydantic import ValidationError

from imsk.web.api import fhir, services
from imsk.web.api.jsonio import canonical_digest, dumps
from imsk.web.api.models import ApiClient
from imsk.web.api.problems import field_path, field_problem, problem
from imsk.web.api.schemas import ReceiptOut, RequestIn
from imsk.web.referrals import services as referrals
from imsk.web.referrals.errors import IdempotencyConflictError, ReferralError, ScopeError
from imsk.web.referrals.models import Channel, Request

_PROBLEM_RESPONSE: dict[str, Any] = {"content": {"application/problem+json": {}}}
_IDEMPOTENCY_DOC = (
    "A key the client generates once per request (for example a UUID). A retry with the same key "
    "and body returns the original response and creates nothing; the same key with another body "
    "is refused with 409."
)


class ApiKey(HttpBearer):
    """``Authorization: Bearer imsk_<prefix>_<secret>``."""

    def authenticate(self, request: HttpRequest, token: str) -> services.Caller | None:
        # The Idempotency-Key's earlier submission is looked up in the same query (one round trip).
        return services.authenticate(token, idempotency_key=request.headers.get("Idempotency-Key"))


api = NinjaAPI(
    title="imsk intake API",
    version="1",
    description=(
        "Requests for the integrated MSK service's single point of access, from electronic "
        "referral systems: native JSON or FHIR R4 ServiceRequest. Errors are RFC 7807 problem "
        "responses. See docs/clinical-application.md."
    ),
    auth=ApiKey(),
    urls_namespace="api",
    docs_url="/docs",
)


@api.exception_handler(AuthenticationError)
def _unauthorised(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return problem(
        "unauthorised",
        "send Authorization: Bearer <API key>; the key is missing, unknown or revoked",
        headers={"WWW-Authenticate": "Bearer"},
    )


@api.exception_handler(NinjaValidationError)
def _invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [{"field": _ninja_field(e["loc"]), "message": e["msg"]} for e in exc.errors]
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    return problem("invalid-request", detail, errors=errors)


def _ninja_field(location: tuple[Any, ...]) -> str:
    """Drop ninja's ``body``/``payload`` prefix: ``("body", "payload", "age")`` -> ``age``."""
    parts = list(location)
    if parts[:1] == ["body"]:
        parts = parts[2:] if len(parts) > 1 and parts[1] == "payload" else parts[1:]
    if parts[:1] == ["header"]:
        parts = parts[1:]
    return field_path(parts) or "body"


@api.exception_handler(ScopeError)
def _forbidden(request: HttpRequest, exc: ScopeError) -> HttpResponse:
    return problem("forbidden", str(exc), errors=[{"field": exc.field, "message": exc.message}])


@api.exception_handler(ReferralError)
def _unrecordable(request: HttpRequest, exc: ReferralError) -> HttpResponse:
    return field_problem("invalid-request", exc.field, exc.message)


@api.exception_handler(IdempotencyConflictError)
def _reused(request: HttpRequest, exc: IdempotencyConflictError) -> HttpResponse:
    return problem("idempotency-key-reused", str(exc))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem("not-found", str(exc) or "no such resource")


def _caller(request: HttpRequest) -> services.Caller:
    caller = request.auth  # type: ignore[attr-defined]
    assert isinstance(caller, services.Caller)
    return caller


def _client(request: HttpRequest) -> ApiClient:
    return _caller(request).client


def _json_body(request: HttpRequest) -> dict[str, Any] | HttpResponse:
    try:
        body = json.loads(request.body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        return problem("malformed-json", f"the body is not JSON: {error}")
    if not isinstance(body, dict):
        return problem("malformed-json", "the body must be a JSON object")
    return body


def _receipt(request: Request) -> dict[str, Any]:
    suggestion = request.triage_suggestion or {}
    return {
        "request_id": request.request_id,
        "status": request.status,
        "service_id": request.service_id,
        "received_at": request.received_at.isoformat(),
        "triage": {
            "disposition": suggestion.get("disposition"),
            "priority": suggestion.get("priority"),
            "action": suggestion.get("action"),
            "act_same_day": suggestion.get("act_same_day"),
            "triage_deadline": suggestion.get("triage_deadline"),
            "ruleset_version": suggestion.get("ruleset_version"),
        },
    }


def _created(request: Request, *, replayed: bool) -> HttpResponse:
    response = HttpResponse(
        dumps(request.api_response), status=201, content_type="application/json"
    )
    response["Location"] = f"/api/requests/{request.request_id}"
    if replayed:
        response["Idempotent-Replayed"] = "true"
    return response


def _new_request(client: ApiClient, payload: RequestIn) -> referrals.NewRequest:
    """The service's input from a validated payload (the receipt time is now)."""
    service = services.service_for(client, payload.service_id)
    received_at = timezone.now()
    born = payload.person.date_of_birth
    age = payload.age
    if age is None and born is not None:
        age = referrals.age_on(born, timezone.localtime(received_at, referrals.LONDON).date())
    if age is None:
        raise ReferralError("age", "give the age at receipt, or person.date_of_birth")
    return referrals.NewRequest(
        service=service,
        channel=Channel.API,
        source=payload.source.value,
        received_at=received_at,
        age=age,
        person=referrals.PersonDetails(
            nhs_number=payload.person.nhs_number,
            full_name=payload.person.full_name,
            date_of_birth=born,
            phone=payload.person.phone,
            email=payload.person.email,
        ),
        category=payload.category.value if payload.category else None,
        sex=payload.sex.value if payload.sex else None,
        referrer_practice=payload.referrer_practice or "",
        lsoa=payload.lsoa or "",
        deprivation_quintile=payload.deprivation_quintile,
        referrer_priority=payload.referrer_priority.value if payload.referrer_priority else None,
        condition_code=payload.condition_code,
        free_text=payload.free_text,
        facts=payload.facts.as_facts(),
    )


def _submit(request: HttpRequest, key: str, digest: str, payload: RequestIn) -> HttpResponse:
    caller = _caller(request)
    client = caller.client
    created, is_new = services.submit(
        caller=caller,
        key=key,
        body_sha256=digest,
        build=lambda: _new_request(client, payload),
        respond=_receipt,
    )
    return _created(created, replayed=not is_new)


@api.post(
    "/requests",
    response={201: ReceiptOut, 400: Any, 401: Any, 403: Any, 409: Any, 422: Any},
    summary="Submit a request (native JSON)",
    openapi_extra={"responses": {str(s): _PROBLEM_RESPONSE for s in (400, 401, 403, 409, 422)}},
)
def submit_request(
    request: HttpRequest,
    payload: RequestIn,
    idempotency_key: str = Header(..., alias="Idempotency-Key", description=_IDEMPOTENCY_DOC),
) -> HttpResponse:
    body = _json_body(request)
    if isinstance(body, HttpResponse):
        return body
    return _submit(request, _checked_key(idempotency_key), canonical_digest(body), payload)


def _checked_key(key: str) -> str:
    usable = services.usable_key(key)
    if usable is None:
        raise ReferralError(
            "Idempotency-Key", f"give a key of 1 to {services.MAX_IDEMPOTENCY_KEY} characters"
        )
    return usable


@api.post(
    "/fhir/ServiceRequest",
    response={201: ReceiptOut, 400: Any, 401: Any, 403: Any, 409: Any, 415: Any, 422: Any},
    summary="Submit a request as a FHIR R4 ServiceRequest",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/fhir+json": {"schema": {"type": "object"}}},
        },
        "responses": {str(s): _PROBLEM_RESPONSE for s in (400, 401, 403, 409, 415, 422)},
    },
)
def submit_service_request(
    request: HttpRequest,
    idempotency_key: str = Header(..., alias="Idempotency-Key", description=_IDEMPOTENCY_DOC),
) -> HttpResponse:
    content_type = request.content_type or ""
    if content_type not in ("application/fhir+json", "application/json"):
        return problem("unsupported-media-type", "send application/fhir+json")
    body = _json_body(request)
    if isinstance(body, HttpResponse):
        return body
    key = _checked_key(idempotency_key)
    digest = canonical_digest(body)
    services.earlier_for(_caller(request), key, digest)  # 409 before any mapping work
    errors = fhir.validation_errors(body)
    if errors:
        detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
        return problem(
            "invalid-request", f"not a valid FHIR R4 ServiceRequest: {detail}", errors=errors
        )
    today = timezone.localdate(timezone.now(), referrals.LONDON)
    try:
        mapped = fhir.map_service_request(body, referrals.condition_codes(), today)
    except fhir.FhirMappingError as error:
        return field_problem("unmappable-fhir", error.field, error.message)
    try:
        payload = RequestIn.model_validate(mapped.body)
        return _submit(request, key, digest, payload)
    except ValidationError as error:
        listed = [
            {"field": mapped.fhir_path(field_path(e["loc"])), "message": e["msg"]}
            for e in error.errors(include_url=False)
        ]
        detail = "; ".join(f"{e['field']}: {e['message']}" for e in listed)
        return problem("invalid-request", detail, errors=listed)
    except ScopeError:
        raise
    except ReferralError as error:
        return field_problem("invalid-request", mapped.fhir_path(error.field), error.message)


@api.get(
    "/requests/{request_id}",
    response={200: ReceiptOut, 401: Any, 404: Any},
    summary="The receipt and current status of a request this client submitted",
)
def get_request(request: HttpRequest, request_id: str) -> HttpResponse:
    client = _client(request)
    found = (
        Request.objects.select_related("service")
        .filter(api_client=client, request_id=request_id)
        .first()
    )
    if found is None:
        raise Http404(f"this API client submitted no request {request_id}")
    referrals.view_request(actor=None, request=found, details={"api_client": client.pk})
    return HttpResponse(dumps(_receipt(found)), content_type="application/json")
