"""Builders shared by the referrals and API tests (no tests here)."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from imsk.web.accounts.models import Service
from imsk.web.api import services as api_services

NHS_NUMBER = "9434765919"  # a valid test number (modulus 11)


def api_key(service: Service | None = None, *, health_board: str = "", name: str = "ERS") -> str:
    return api_services.create_client(
        actor=None, name=name, service=service, health_board=health_board
    ).key


def native_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "source": "gp",
        "category": "management_opinion",
        "referrer_practice": "W91042",
        "age": 54,
        "sex": "female",
        "condition_code": "KNEE.OA",
        "person": {"nhs_number": NHS_NUMBER, "full_name": "Ann Jones"},
        "facts": {"high_pain": True},
        "free_text": "Knee pain for 6 months.",
    }
    body.update(changes)
    return body


def service_request(**changes: Any) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "ServiceRequest",
        "status": "active",
        "intent": "order",
        "contained": [
            {
                "resourceType": "Patient",
                "id": "p1",
                "identifier": [
                    {"system": "https://fhir.nhs.uk/Id/nhs-number", "value": NHS_NUMBER}
                ],
                "birthDate": "1970-05-01",
                "gender": "female",
                "name": [{"given": ["Ann"], "family": "Jones"}],
            }
        ],
        "subject": {"reference": "#p1"},
        "requester": {
            "identifier": {
                "system": "https://fhir.nhs.uk/Id/ods-organization-code",
                "value": "W91042",
            }
        },
        "category": [
            {
                "coding": [
                    {"system": "urn:imsk:fhir:request-source", "code": "gp"},
                    {"system": "urn:imsk:fhir:request-category", "code": "management_opinion"},
                ]
            }
        ],
        "priority": "urgent",
        "reasonCode": [
            {"coding": [{"system": "urn:imsk:fhir:condition-code", "code": "BACK.RADICULAR"}]},
            {"coding": [{"system": "urn:imsk:fhir:red-flag", "code": "saddle_anaesthesia"}]},
        ],
        "note": [{"text": "Sciatica, new numbness."}],
    }
    resource.update(changes)
    return resource


def post_json(
    client: Client,
    path: str,
    body: Any,
    *,
    key: str | None,
    idempotency_key: str | None = "k-1",
    content_type: str = "application/json",
) -> Any:
    headers: dict[str, str] = {}
    if key is not None:
        headers["Authorization"] = f"Bearer {key}"
    if idempotency_key is not None:
        headers["Idempotency-Key"] = idempotency_key
    raw = body if isinstance(body, str) else json.dumps(body)
    return client.post(path, raw, content_type=content_type, headers=headers)
