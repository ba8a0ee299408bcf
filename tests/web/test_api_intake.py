"""The intake API: API keys, idempotency, native JSON, FHIR R4 ServiceRequest, problem responses."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from imsk.web.api.models import ApiClient
from imsk.web.audit.models import Action, AuditEvent
from imsk.web.referrals.errors import IdempotencyConflictError
from imsk.web.referrals.models import ConditionCodeEntry, Person, Request
from tests.web.personas import Personas
from tests.web.test_referrals_builders import (
    NHS_NUMBER,
    api_key,
    native_body,
    post_json,
    service_request,
)

REQUESTS = "/api/requests"
FHIR = "/api/fhir/ServiceRequest"
FHIR_JSON = "application/fhir+json"


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = json.loads(response.content)
    assert body["status"] == status
    assert body["type"].startswith("/api/problems/")
    return body


def _fields(problem: dict[str, Any]) -> list[str]:
    return [error["field"] for error in problem.get("errors", [])]


def test_a_native_request_is_recorded_with_a_reference_person_code_and_audit_row(
    client: Client, personas: Personas
) -> None:
    key = api_key(personas.our_service)
    response = post_json(client, REQUESTS, native_body(), key=key)
    assert response.status_code == 201, response.content
    receipt = response.json()
    request = Request.objects.get()
    assert receipt["request_id"] == request.request_id == f"MSK-7A4-{request.pk:06d}"
    assert response["Location"] == f"/api/requests/{request.request_id}"
    assert request.person.nhs_number == NHS_NUMBER
    assert request.channel == "api"
    assert request.priority is None  # null until a triage clinician allocates the pathway
    assert [c.code for c in ConditionCodeEntry.objects.all()] == ["KNEE.OA"]
    assert receipt["triage"]["disposition"] == "accept"
    event = AuditEvent.objects.get(action=Action.CREATE, object_type="referrals.request")
    assert event.object_id == request.request_id
    assert event.health_board == "7A4"


def test_the_same_request_sent_three_times_with_one_key_creates_one_request(
    client: Client, personas: Personas
) -> None:
    key = api_key(personas.our_service)
    responses = [post_json(client, REQUESTS, native_body(), key=key, idempotency_key="retry-1")]
    # A retry may re-serialise the body: other spacing and key order are the same body.
    respaced = json.dumps(dict(reversed(list(native_body().items()))), indent=2)
    responses += [post_json(client, REQUESTS, respaced, key=key, idempotency_key="retry-1")]
    responses += [post_json(client, REQUESTS, native_body(), key=key, idempotency_key="retry-1")]
    assert [r.status_code for r in responses] == [201, 201, 201]
    assert len({r.content for r in responses}) == 1
    assert [r.get("Idempotent-Replayed") for r in responses] == [None, "true", "true"]
    assert Request.objects.count() == 1
    assert (
        AuditEvent.objects.filter(action=Action.CREATE, object_type="referrals.request").count()
        == 1
    )


def test_one_key_with_a_different_body_is_a_409_problem_and_creates_nothing(
    client: Client, personas: Personas
) -> None:
    key = api_key(personas.our_service)
    post_json(client, REQUESTS, native_body(), key=key, idempotency_key="k")
    problem = _problem(
        post_json(client, REQUESTS, native_body(age=55), key=key, idempotency_key="k"), 409
    )
    assert problem["type"] == "/api/problems/idempotency-key-reused"
    assert Request.objects.count() == 1


def test_idempotency_keys_belong_to_one_client(client: Client, personas: Personas) -> None:
    first, second = api_key(personas.our_service), api_key(personas.our_service, name="Other")
    post_json(client, REQUESTS, native_body(), key=first, idempotency_key="same")
    post_json(client, REQUESTS, native_body(), key=second, idempotency_key="same")
    assert Request.objects.count() == 2


@pytest.mark.parametrize("key", [None, "imsk_00000000_nope", "not-a-key"])
def test_a_missing_or_unknown_api_key_is_refused_on_every_operation(
    client: Client, personas: Personas, key: str | None
) -> None:
    for path, body, content_type in (
        (REQUESTS, native_body(), "application/json"),
        (FHIR, service_request(), FHIR_JSON),
    ):
        response = post_json(client, path, body, key=key, content_type=content_type)
        assert _problem(response, 401)["type"] == "/api/problems/unauthorised"
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    _problem(client.get(f"{REQUESTS}/MSK-7A4-000001", headers=headers), 401)
    assert Request.objects.count() == 0


def test_a_revoked_key_is_refused(client: Client, personas: Personas) -> None:
    key = api_key(personas.our_service)
    ApiClient.objects.update(is_active=False)
    _problem(post_json(client, REQUESTS, native_body(), key=key), 401)


def test_a_key_of_one_board_cannot_submit_to_another_boards_service(
    client: Client, personas: Personas
) -> None:
    board_key = api_key(health_board="7A4")
    response = post_json(client, REQUESTS, native_body(service_id="bcu-msk"), key=board_key)
    assert _fields(_problem(response, 403)) == ["service_id"]
    service_key = api_key(personas.our_service)
    fhir = service_request(
        performer=[{"identifier": {"system": "urn:imsk:fhir:service-id", "value": "bcu-msk"}}]
    )
    response = post_json(client, FHIR, fhir, key=service_key, content_type=FHIR_JSON)
    _problem(response, 403)
    assert Request.objects.count() == 0


def test_a_board_key_names_one_of_its_services(client: Client, personas: Personas) -> None:
    board_key = api_key(health_board="7A4")
    missing = post_json(client, REQUESTS, native_body(), key=board_key, idempotency_key="a")
    assert _fields(_problem(missing, 422)) == ["service_id"]
    named = post_json(client, REQUESTS, native_body(service_id="cav-msk"), key=board_key)
    assert named.status_code == 201
    assert Request.objects.get().service_id == "cav-msk"


def test_a_client_reads_only_the_requests_it_submitted(client: Client, personas: Personas) -> None:
    ours = api_key(personas.our_service)
    theirs = api_key(personas.other_service, name="North")
    reference = post_json(client, REQUESTS, native_body(), key=ours).json()["request_id"]
    own = client.get(f"{REQUESTS}/{reference}", headers={"Authorization": f"Bearer {ours}"})
    assert own.status_code == 200
    assert own.json()["status"] == "received"
    other = client.get(f"{REQUESTS}/{reference}", headers={"Authorization": f"Bearer {theirs}"})
    _problem(other, 404)
    assert AuditEvent.objects.filter(action=Action.VIEW, object_id=reference).count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"red_flag": ["saddle_anaesthesia"]}, "red_flag"),
        ({"facts": {"red_flags": ["saddle_numbness"]}}, "facts.red_flags.0"),
        ({"person": {"nhs_number": "9434765918"}}, "person.nhs_number"),
        ({"condition_code": "KNEE.NOPE"}, "condition_code"),
        ({"source": "GP"}, "source"),
        ({"age": 131}, "age"),
        ({"category": None}, "category"),
        ({"referrer_practice": "91042"}, "referrer_practice"),
    ],
)
def test_invalid_input_is_a_422_problem_naming_the_field(
    client: Client, personas: Personas, changes: dict[str, Any], field: str
) -> None:
    key = api_key(personas.our_service)
    problem = _problem(post_json(client, REQUESTS, native_body(**changes), key=key), 422)
    assert field in _fields(problem)
    assert field in problem["detail"]
    assert Request.objects.count() == 0
    assert Person.objects.count() == 0


def test_a_post_without_an_idempotency_key_is_refused(client: Client, personas: Personas) -> None:
    key = api_key(personas.our_service)
    response = post_json(client, REQUESTS, native_body(), key=key, idempotency_key=None)
    assert "Idempotency-Key" in _fields(_problem(response, 422))
    assert Request.objects.count() == 0


def test_a_body_that_is_not_a_json_object_is_a_problem(client: Client, personas: Personas) -> None:
    key = api_key(personas.our_service)
    response = post_json(client, FHIR, "[1, 2]", key=key, content_type=FHIR_JSON)
    _problem(response, 400)


def test_a_fhir_service_request_is_accepted_and_mapped(client: Client, personas: Personas) -> None:
    """FHIR R4 ServiceRequest (hl7.org/fhir/R4/servicerequest.html): subject -> contained Patient
    (NHS number identifier https://fhir.nhs.uk/Id/nhs-number), requester -> GP practice ODS code."""
    key = api_key(personas.our_service)
    response = post_json(client, FHIR, service_request(), key=key, content_type=FHIR_JSON)
    assert response.status_code == 201, response.content
    request = Request.objects.select_related("person").get()
    assert request.source == "gp"
    assert request.category == "management_opinion"
    assert request.referrer_practice == "W91042"
    assert request.sex == "female"
    assert request.referrer_priority == "urgent"
    assert request.person.nhs_number == NHS_NUMBER
    assert request.person.full_name == "Ann Jones"
    assert request.person.date_of_birth.isoformat() == "1970-05-01"
    assert 50 <= (request.age or 0) <= 60
    assert request.triage_facts == {"red_flags": ["saddle_anaesthesia"]}
    assert request.free_text == "Sciatica, new numbness."
    assert [c.code for c in request.condition_codes.all()] == ["BACK.RADICULAR"]
    # Saddle anaesthesia is a cauda equina flag: the engine says emergency, same day (GIRFT 2023).
    assert response.json()["triage"]["disposition"] == "emergency_redirect"
    assert response.json()["triage"]["act_same_day"] is True


def test_a_snomed_reason_code_maps_to_the_condition_code_list(
    client: Client, personas: Personas
) -> None:
    key = api_key(personas.our_service)
    codes = service_request(
        reasonCode=[{"coding": [{"system": "http://snomed.info/sct", "code": "239873007"}]}]
    )
    response = post_json(client, FHIR, codes, key=key, content_type=FHIR_JSON)
    assert response.status_code == 201, response.content
    assert Request.objects.get().condition_codes.get().code == "KNEE.OA"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"occurrenceDateTime": "2026-01-01"}, "occurrenceDateTime"),
        ({"status": "draft"}, "status"),
        (
            {"reasonCode": [{"coding": [{"system": "http://example.org/x", "code": "1"}]}]},
            "reasonCode[0].coding[0].system",
        ),
        (
            {"category": [{"coding": [{"system": "urn:imsk:fhir:request-source", "code": "gpx"}]}]},
            "category[0].coding[0].code",
        ),
        ({"subject": {"reference": "#nobody"}}, "subject.reference"),
    ],
)
def test_a_fhir_element_that_cannot_be_mapped_is_refused_naming_it(
    client: Client, personas: Personas, changes: dict[str, Any], field: str
) -> None:
    key = api_key(personas.our_service)
    response = post_json(client, FHIR, service_request(**changes), key=key, content_type=FHIR_JSON)
    assert field in _fields(_problem(response, 422))
    assert Request.objects.count() == 0


def test_an_invalid_fhir_resource_is_refused_with_the_fhir_path(
    client: Client, personas: Personas
) -> None:
    key = api_key(personas.our_service)
    response = post_json(client, FHIR, service_request(status=5), key=key, content_type=FHIR_JSON)
    assert "status" in _fields(_problem(response, 422))


def test_a_fhir_request_is_idempotent_too(client: Client, personas: Personas) -> None:
    key = api_key(personas.our_service)
    for _ in range(3):
        response = post_json(client, FHIR, service_request(), key=key, content_type=FHIR_JSON)
        assert response.status_code == 201
    assert Request.objects.count() == 1


def test_the_api_is_documented_with_openapi(client: Client, db: None) -> None:
    assert client.get("/api/docs").status_code == 200
    schema = client.get("/api/openapi.json").json()
    assert {"/api/requests", "/api/fhir/ServiceRequest", "/api/requests/{request_id}"} <= set(
        schema["paths"]
    )
    parameters = schema["paths"]["/api/requests"]["post"]["parameters"]
    assert any(p["name"] == "Idempotency-Key" and p["required"] for p in parameters)


# Query budgets: the intake path is the API's hot path (docs/performance.md, "Intake API"). A change
# that adds a query per request (a lazy foreign key, a second look-up) fails here, not in production.
#: Queries per new request, inside the test's transaction (so BEGIN/COMMIT are a savepoint and its
#: release): the key with its earlier submission in one look-up, then the person, the reference, the
#: request, its condition code and the audit row. On PostgreSQL a new person's INSERT also draws the
#: reference (``nextval``) and the request, its code and the audit row go in one call (three
#: statements, one round trip); on SQLite each row is its own INSERT and the reference an UPDATE
#: after the request's INSERT. A person found by NHS number costs the look-up and, on PostgreSQL,
#: a ``nextval`` of its own; a new person with an NHS number the look-up, the INSERT and the
#: savepoint that lets two referrals of one new person race safely (``get_or_create``).
QUERY_BUDGETS = [
    pytest.param({"person": {}}, False, {"postgresql": 5, "sqlite": 8}, id="no NHS number"),
    pytest.param({}, True, {"postgresql": 6, "sqlite": 8}, id="a known person"),
    pytest.param({}, False, {"postgresql": 9, "sqlite": 11}, id="a new person with an NHS number"),
]


@pytest.mark.parametrize(("changes", "known_person", "budget"), QUERY_BUDGETS)
def test_a_new_request_stays_within_its_query_budget(
    client: Client,
    personas: Personas,
    django_assert_num_queries: Any,
    changes: dict[str, Any],
    known_person: bool,
    budget: dict[str, int],
) -> None:
    key = api_key(personas.our_service)
    if known_person:
        post_json(client, REQUESTS, native_body(), key=key, idempotency_key="earlier")
    with django_assert_num_queries(budget[connection.vendor]):
        response = post_json(client, REQUESTS, native_body(**changes), key=key, idempotency_key="q")
    assert response.status_code == 201
    assert Person.objects.count() == 1


def test_a_retry_is_answered_from_one_query(
    client: Client, personas: Personas, django_assert_num_queries: Any
) -> None:
    key = api_key(personas.our_service)
    first = post_json(client, REQUESTS, native_body(), key=key, idempotency_key="q-2")
    with django_assert_num_queries(1):
        retry = post_json(client, REQUESTS, native_body(), key=key, idempotency_key="q-2")
    assert retry.content == first.content
    with django_assert_num_queries(1):
        reused = post_json(client, REQUESTS, native_body(age=60), key=key, idempotency_key="q-2")
    assert reused.status_code == 409


def test_the_reference_is_stored_with_the_request_and_its_stored_response(
    client: Client, personas: Personas
) -> None:
    key = api_key(personas.our_service)
    receipt = post_json(client, REQUESTS, native_body(), key=key).json()
    request = Request.objects.get()
    assert request.request_id == receipt["request_id"] == f"MSK-7A4-{request.pk:06d}"
    assert request.api_response is not None
    assert request.api_response["request_id"] == request.request_id


def test_a_key_revoked_after_use_is_refused_on_the_next_call(
    client: Client, personas: Personas
) -> None:
    """Nothing about a key is cached between requests: revocation takes effect at once."""
    key = api_key(personas.our_service)
    assert (
        post_json(client, REQUESTS, native_body(), key=key, idempotency_key="a").status_code == 201
    )
    ApiClient.objects.update(is_active=False)
    _problem(post_json(client, REQUESTS, native_body(), key=key, idempotency_key="a"), 401)
    _problem(post_json(client, REQUESTS, native_body(), key=key, idempotency_key="b"), 401)


def test_a_key_with_surrounding_spaces_is_the_same_idempotency_key(
    client: Client, personas: Personas
) -> None:
    key = api_key(personas.our_service)
    first = post_json(client, REQUESTS, native_body(), key=key, idempotency_key="spaced")
    again = post_json(client, REQUESTS, native_body(), key=key, idempotency_key="  spaced ")
    assert again["Idempotent-Replayed"] == "true"
    assert again.content == first.content
    assert Request.objects.count() == 1


def test_a_twin_that_commits_between_look_up_and_insert_is_answered_as_a_retry(
    personas: Personas,
) -> None:
    """Two submissions with one key race: both look the key up and find nothing; the database's
    unique constraint stops the second INSERT, which then answers with the first's request."""
    from imsk.web.api import api as api_views
    from imsk.web.api import services as api_services
    from imsk.web.api.schemas import RequestIn

    key = api_key(personas.our_service)
    missed = api_services.authenticate(key, idempotency_key="race")  # looked up before the twin
    assert missed is not None
    assert missed.earlier is None
    twin = api_services.authenticate(key, idempotency_key="race")
    assert twin is not None
    payload = RequestIn.model_validate(native_body())

    def submit(caller: api_services.Caller, digest: str) -> tuple[Request, bool]:
        return api_services.submit(
            caller=caller,
            key="race",
            body_sha256=digest,
            build=lambda: api_views._new_request(caller.client, payload),
            respond=api_views._receipt,
        )

    created, is_new = submit(twin, "digest-1")
    answered, answered_new = submit(missed, "digest-1")
    assert (is_new, answered_new) == (True, False)
    assert answered.request_id == created.request_id
    assert answered.api_response == created.api_response
    with pytest.raises(IdempotencyConflictError):
        submit(missed, "digest-2")
    assert Request.objects.count() == 1
    assert AuditEvent.objects.filter(object_type="referrals.request").count() == 1
