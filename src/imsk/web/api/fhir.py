"""FHIR R4 ``ServiceRequest`` -> the native request, element by element.

An electronic referral system may send a FHIR ``ServiceRequest`` instead of the native JSON. It is
parsed and validated with ``fhir.resources`` (the R4B model, whose ``ServiceRequest`` and ``Patient``
have the same elements as R4 4.0.1), then mapped to the native shape (:class:`RequestIn`), so both
paths share every later check. Mapping is strict, like the rest of intake: an element this service
cannot record is refused with a problem naming it (``reasonCode[1].coding[0].system``), never
dropped silently. The mapping table is in ``docs/clinical-application.md``; code systems this product
defines are URNs under ``urn:imsk:fhir:``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from fhir.resources.R4B.servicerequest import ServiceRequest
from pydantic import ValidationError

from imsk.core.codes import CodeList, ConditionCode

NHS_NUMBER_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number"
ODS_SYSTEM = "https://fhir.nhs.uk/Id/ods-organization-code"
SNOMED_SYSTEM = "http://snomed.info/sct"
SERVICE_SYSTEM = "urn:imsk:fhir:service-id"
CATEGORY_SYSTEM = "urn:imsk:fhir:request-category"
SOURCE_SYSTEM = "urn:imsk:fhir:request-source"
CONDITION_SYSTEM = "urn:imsk:fhir:condition-code"
RED_FLAG_SYSTEM = "urn:imsk:fhir:red-flag"
FINDING_SYSTEM = "urn:imsk:fhir:triage-finding"

#: Yes/no triage facts a ``urn:imsk:fhir:triage-finding`` code may assert (true when present).
FINDINGS = (
    "recent_surgery_requiring_rehab",
    "recent_injury_requiring_rehab",
    "high_pain",
    "significant_loss_of_function",
    "disturbed_sleep",
    "unable_to_work_or_care",
    "meets_subspecialty_criteria",
    "back_pain_onset_before_45_over_3_months",
)
#: Elements accepted and not recorded: they describe the message, not the clinical request.
IGNORED = frozenset(
    {
        "resourceType",
        "id",
        "meta",
        "text",
        "identifier",
        "authoredOn",
        "code",
        "language",
        "implicitRules",
    }
)
MAPPED = frozenset(
    {
        "status",
        "intent",
        "contained",
        "subject",
        "requester",
        "performer",
        "category",
        "priority",
        "reasonCode",
        "note",
    }
)
ACCEPTED_INTENTS = frozenset({"order", "original-order"})
_PRIORITY = {"routine": "routine", "urgent": "urgent", "asap": "urgent", "stat": "urgent"}
_PATIENT_ELEMENTS = frozenset(
    {"resourceType", "id", "meta", "identifier", "birthDate", "gender", "name", "telecom"}
)


class FhirMappingError(ValueError):
    """An element cannot be mapped; ``field`` is its FHIR path."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass
class Mapped:
    """The native request built from the resource, and which FHIR element each field came from."""

    body: dict[str, Any] = field(default_factory=dict)
    origin: dict[str, str] = field(default_factory=dict)

    def put(self, name: str, value: Any, path: str) -> None:
        self.body[name] = value
        self.origin[name] = path

    def fhir_path(self, native: str) -> str:
        """The FHIR element a native field path (``person.nhs_number``) came from."""
        for name in sorted(self.origin, key=len, reverse=True):
            if native == name or native.startswith(f"{name}."):
                return self.origin[name]
        return native


def validation_errors(data: dict[str, Any]) -> list[dict[str, str]]:
    """FHIR structure errors from ``fhir.resources`` (empty when the resource is valid R4)."""
    try:
        ServiceRequest.model_validate(data)
    except ValidationError as error:
        return [
            {"field": _path(e["loc"]), "message": e["msg"]} for e in error.errors(include_url=False)
        ]
    return []


def _path(location: tuple[Any, ...]) -> str:
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def map_service_request(
    data: dict[str, Any], codes: CodeList[ConditionCode], received_on: date
) -> Mapped:
    """Map a validated ServiceRequest (as JSON) to the native request; FhirMappingError if not."""
    if data.get("resourceType") != "ServiceRequest":
        raise FhirMappingError("resourceType", "must be ServiceRequest")
    unknown = sorted(set(data) - IGNORED - MAPPED)
    if unknown:
        raise FhirMappingError(unknown[0], "this element cannot be recorded by the MSK service")
    _check_status(data)
    mapped = Mapped()
    _map_subject(data, mapped, received_on)
    _map_requester(data, mapped)
    _map_performer(data, mapped)
    _map_categories(data, mapped)
    _map_reasons(data, mapped, codes)
    if "priority" in data:
        mapped.put("referrer_priority", _PRIORITY[data["priority"]], "priority")
    notes = [note.get("text", "") for note in data.get("note", [])]
    if notes:
        mapped.put("free_text", "\n\n".join(notes), "note")
    return mapped


def _check_status(data: dict[str, Any]) -> None:
    if data.get("status") != "active":
        raise FhirMappingError("status", "only an active ServiceRequest can be received")
    if data.get("intent") not in ACCEPTED_INTENTS:
        raise FhirMappingError("intent", "must be order or original-order")


def _map_subject(data: dict[str, Any], mapped: Mapped, received_on: date) -> None:
    subject = data.get("subject")
    if not isinstance(subject, dict):
        raise FhirMappingError("subject", "the person the request is for is required")
    reference = subject.get("reference", "")
    if reference:
        patient, index = _contained(data, reference)
        _map_patient(patient, f"contained[{index}]", mapped, received_on)
    elif "identifier" in subject:
        _map_nhs_identifier(subject["identifier"], "subject.identifier", mapped)
    else:
        raise FhirMappingError(
            "subject", "give a reference to a contained Patient or an NHS number"
        )
    if "age" not in mapped.body:
        raise FhirMappingError(
            "subject", "the contained Patient needs a birthDate (age at receipt)"
        )


def _contained(data: dict[str, Any], reference: str) -> tuple[dict[str, Any], int]:
    if not reference.startswith("#"):
        raise FhirMappingError("subject.reference", "must refer to a contained Patient (#id)")
    for index, resource in enumerate(data.get("contained", [])):
        if resource.get("id") == reference[1:]:
            if resource.get("resourceType") != "Patient":
                raise FhirMappingError(f"contained[{index}]", "the subject must be a Patient")
            return resource, index
    raise FhirMappingError("subject.reference", f"no contained resource {reference}")


def _map_patient(patient: dict[str, Any], path: str, mapped: Mapped, received_on: date) -> None:
    unknown = sorted(set(patient) - _PATIENT_ELEMENTS)
    if unknown:
        raise FhirMappingError(f"{path}.{unknown[0]}", "this element cannot be recorded")
    person: dict[str, Any] = {}
    for index, identifier in enumerate(patient.get("identifier", [])):
        _map_nhs_identifier(identifier, f"{path}.identifier[{index}]", mapped)
    if "birthDate" in patient:
        born = date.fromisoformat(str(patient["birthDate"]))
        person["date_of_birth"] = born.isoformat()
        mapped.put("age", _age_on(born, received_on), f"{path}.birthDate")
    if "gender" in patient:
        mapped.put("sex", patient["gender"], f"{path}.gender")
    names = patient.get("name", [])
    if names:
        person["full_name"] = _name_text(names[0])
    for telecom in patient.get("telecom", []):
        if telecom.get("system") in ("phone", "email") and telecom.get("value"):
            person[str(telecom["system"])] = telecom["value"]
    mapped.body.setdefault("person", {}).update(person)
    mapped.origin.setdefault("person", path)


def _age_on(born: date, day: date) -> int:
    return day.year - born.year - int((day.month, day.day) < (born.month, born.day))


def _name_text(name: dict[str, Any]) -> str:
    if name.get("text"):
        return str(name["text"])
    return " ".join([*name.get("given", []), name.get("family", "")]).strip()


def _map_nhs_identifier(identifier: dict[str, Any], path: str, mapped: Mapped) -> None:
    if identifier.get("system") != NHS_NUMBER_SYSTEM:
        raise FhirMappingError(f"{path}.system", f"only {NHS_NUMBER_SYSTEM} is recorded")
    mapped.body.setdefault("person", {})["nhs_number"] = identifier.get("value")
    mapped.origin["person.nhs_number"] = f"{path}.value"


def _map_requester(data: dict[str, Any], mapped: Mapped) -> None:
    requester = data.get("requester")
    if requester is None:
        return
    identifier = requester.get("identifier", {})
    if identifier.get("system") != ODS_SYSTEM:
        raise FhirMappingError(
            "requester.identifier.system", f"give the GP practice as an {ODS_SYSTEM} identifier"
        )
    mapped.put("referrer_practice", identifier.get("value"), "requester.identifier.value")


def _map_performer(data: dict[str, Any], mapped: Mapped) -> None:
    performers = data.get("performer", [])
    if len(performers) != 1:
        if performers:
            raise FhirMappingError("performer", "name one MSK service")
        return
    identifier = performers[0].get("identifier", {})
    if identifier.get("system") != SERVICE_SYSTEM:
        raise FhirMappingError("performer[0].identifier.system", f"must be {SERVICE_SYSTEM}")
    mapped.put("service_id", identifier.get("value"), "performer[0].identifier.value")


def _codings(data: dict[str, Any], element: str) -> Iterator[tuple[str, dict[str, Any]]]:
    for i, concept in enumerate(data.get(element, [])):
        for j, coding in enumerate(concept.get("coding", [])):
            yield f"{element}[{i}].coding[{j}]", coding


def _map_categories(data: dict[str, Any], mapped: Mapped) -> None:
    targets = {CATEGORY_SYSTEM: "category", SOURCE_SYSTEM: "source"}
    for path, coding in _codings(data, "category"):
        target = targets.get(coding.get("system", ""))
        if target is None:
            raise FhirMappingError(f"{path}.system", f"must be {' or '.join(targets)}")
        mapped.put(target, coding.get("code"), f"{path}.code")
    if "source" not in mapped.body:
        raise FhirMappingError("category", f"give the request's source as a {SOURCE_SYSTEM} code")


def _map_reasons(data: dict[str, Any], mapped: Mapped, codes: CodeList[ConditionCode]) -> None:
    facts: dict[str, Any] = {}
    flags: list[str] = []
    for path, coding in _codings(data, "reasonCode"):
        system, code = coding.get("system", ""), str(coding.get("code", ""))
        if system == RED_FLAG_SYSTEM:
            flags.append(code)
            mapped.origin[f"facts.red_flags.{len(flags) - 1}"] = f"{path}.code"
        elif system == FINDING_SYSTEM:
            if code not in FINDINGS:
                raise FhirMappingError(f"{path}.code", f"not one of: {', '.join(FINDINGS)}")
            facts[code] = True
        elif system == CONDITION_SYSTEM:
            mapped.put("condition_code", code, f"{path}.code")
        elif system == SNOMED_SYSTEM:
            mapped.put("condition_code", _from_snomed(code, codes, path), f"{path}.code")
        else:
            raise FhirMappingError(f"{path}.system", "this code system cannot be recorded")
    if flags:
        facts["red_flags"] = flags
    if facts:
        mapped.body["facts"] = facts
        mapped.origin.setdefault("facts", "reasonCode")


def _from_snomed(code: str, codes: CodeList[ConditionCode], path: str) -> str:
    matches = [entry.code for entry in codes if entry.snomed_ct == code]
    if len(matches) != 1:
        reason = "matches no" if not matches else "matches more than one"
        raise FhirMappingError(
            f"{path}.code",
            f"SNOMED CT {code} {reason} condition code of list version {codes.version}; "
            f"send a {CONDITION_SYSTEM} code",
        )
    return matches[0]
