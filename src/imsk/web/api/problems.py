"""RFC 7807 problem responses: every error the API returns, in one shape.

``application/problem+json`` with ``type`` (a documented relative URI, ``/api/problems/<slug>``),
``title``, ``status``, ``detail`` and, for input errors, ``errors``: one ``{"field", "message"}`` per
field at fault, the field written as a dotted path (``person.nhs_number``, ``facts.red_flags.0``,
``reasonCode[0].coding[0].system``). ``docs/clinical-application.md`` lists every type.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.http import HttpResponse

from imsk.web.api.jsonio import dumps

PROBLEM_CONTENT_TYPE = "application/problem+json"

#: Every problem type the API returns: slug -> (status, title).
PROBLEMS: dict[str, tuple[int, str]] = {
    "invalid-request": (422, "The request is not valid"),
    "unmappable-fhir": (422, "The FHIR resource has elements the service cannot record"),
    "malformed-json": (400, "The body is not a JSON object"),
    "missing-idempotency-key": (400, "An Idempotency-Key header is required"),
    "idempotency-key-reused": (409, "The Idempotency-Key was used with a different body"),
    "unauthorised": (401, "A valid API key is required"),
    "forbidden": (403, "The API key may not do this"),
    "not-found": (404, "Not found"),
    "unsupported-media-type": (415, "Unsupported media type"),
}


def field_path(location: Sequence[Any]) -> str:
    """``("person", "nhs_number")`` -> ``person.nhs_number``."""
    return ".".join(str(part) for part in location)


def problem(
    slug: str,
    detail: str,
    *,
    errors: Iterable[Mapping[str, str]] = (),
    headers: Mapping[str, str] | None = None,
) -> HttpResponse:
    """An ``application/problem+json`` response of the documented type ``slug``."""
    status, title = PROBLEMS[slug]
    body: dict[str, Any] = {
        "type": f"/api/problems/{slug}",
        "title": title,
        "status": status,
        "detail": detail,
    }
    listed = [dict(error) for error in errors]
    if listed:
        body["errors"] = listed
    response = HttpResponse(dumps(body), status=status, content_type=PROBLEM_CONTENT_TYPE)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def field_problem(slug: str, field: str, message: str) -> HttpResponse:
    """A problem about one field: the detail repeats the field so a log line is enough."""
    return problem(slug, f"{field}: {message}", errors=[{"field": field, "message": message}])
