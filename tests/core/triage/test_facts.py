"""Request facts are parsed strictly at the boundary; every error names the field."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

from imsk.core.codes import parse_condition_codes
from imsk.core.errors import TriageInputError, UnknownCodeError
from imsk.core.triage import (
    Activation,
    Category,
    RedFlag,
    Source,
    TriageFacts,
    facts_from_mapping,
)

CODES = parse_condition_codes(
    "code,label,group,snomed_ct,snomed_term\nKNEE.OA,Knee osteoarthritis,KNEE,,\n", "test"
)


def a_request_json(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "received_at": "2026-06-10T09:30",
        "source": "gp",
        "category": "management_opinion",
        "age": 45,
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not ...}


def test_a_minimal_request_parses_with_safe_defaults() -> None:
    facts = facts_from_mapping(a_request_json())
    assert facts.received_on == date(2026, 6, 10)
    assert facts.received_at == datetime(2026, 6, 10, 9, 30)
    assert facts.source is Source.GP
    assert facts.red_flags == frozenset()
    assert facts.activation is Activation.UNKNOWN
    assert facts.start_back is None


def test_a_full_request_keeps_every_answer() -> None:
    facts = facts_from_mapping(
        a_request_json(
            red_flags=["fever_or_systemically_unwell", "history_of_cancer"],
            high_pain=True,
            orebro_at_risk=False,
            activation="high",
            condition_code="KNEE.OA",
            category="diagnosis_and_management_opinion",
        ),
        CODES,
    )
    assert facts.red_flags == {RedFlag.FEVER_OR_SYSTEMICALLY_UNWELL, RedFlag.HISTORY_OF_CANCER}
    assert facts.high_pain is True
    assert facts.orebro_at_risk is False
    assert facts.category is Category.DIAGNOSIS_AND_MANAGEMENT_OPINION


def test_a_date_only_receipt_is_the_date_of_receipt() -> None:
    facts = facts_from_mapping(a_request_json(received_at="2026-12-24"))
    assert facts.received_on == date(2026, 12, 24)
    assert facts.received_at is None


def test_a_receipt_time_with_an_offset_is_dated_in_london() -> None:
    """23:30 UTC on 30 June is 00:30 BST on 1 July: the date of receipt is 1 July."""
    facts = facts_from_mapping(a_request_json(received_at="2026-06-30T23:30:00+00:00"))
    assert facts.received_on == date(2026, 7, 1)
    assert facts.received_at == datetime(2026, 7, 1, 0, 30)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"received_at": ...}, "received_at is required"),
        ({"source": ...}, "source is required"),
        ({"age": ...}, "age is required"),
        ({"received_at": "10/06/2026"}, "received_at '10/06/2026'"),
        ({"received_at": 20260610}, "received_at must be"),
        ({"source": "postcard"}, "source 'postcard' is not one of"),
        ({"age": "45"}, "age must be a whole number"),
        ({"age": True}, "age must be a whole number"),
        ({"age": 131}, "age must be between 0 and 130"),
        ({"category": ...}, "category is required for a request from 'gp'"),
        ({"category": "opinion"}, "category 'opinion' is not one of"),
        ({"red_flags": "bladder_disturbance"}, "red_flags must be a list"),
        ({"red_flags": ["bladder"]}, "red_flags 'bladder' is not one of"),
        ({"red_flag": ["bladder_disturbance"]}, "unknown field(s) in request: red_flag"),
        ({"high_pain": "yes"}, "high_pain must be true or false"),
        ({"orebro_at_risk": 1}, "orebro_at_risk must be true or false"),
        ({"start_back": "very high"}, "start_back 'very high' is not one of"),
        ({"activation": "medium"}, "activation 'medium' is not one of"),
        ({"axial_spa_features": ["back_pain"]}, "axial_spa_features 'back_pain' is not one of"),
        ({"condition_code": ""}, "condition_code must be non-empty text"),
    ],
)
def test_a_bad_request_is_refused_naming_the_field(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(TriageInputError, match="^" + field.replace("(", r"\(").replace(")", r"\)")):
        facts_from_mapping(a_request_json(**changes))


def test_a_self_referral_may_have_no_category() -> None:
    assert facts_from_mapping(a_request_json(source="self", category=...)).category is None


def test_a_condition_code_missing_from_the_code_list_is_refused() -> None:
    with pytest.raises(
        UnknownCodeError, match=r"'KNEE\.XYZ' is not in condition codes version test"
    ):
        facts_from_mapping(a_request_json(condition_code="KNEE.XYZ"), CODES)


def test_a_receipt_time_must_fall_on_the_date_of_receipt() -> None:
    with pytest.raises(TriageInputError, match="received_at 2026-06-11T09:00:00 is not on"):
        TriageFacts(
            received_on=date(2026, 6, 10),
            received_at=datetime(2026, 6, 11, 9, 0),
            source=Source.SELF,
            age=30,
        )
