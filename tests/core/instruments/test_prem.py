"""The configurable PREM: definitions as data, percentage-of-maximum scoring, minimum answered."""

from __future__ import annotations

import json

import pytest

from imsk.core.errors import IncompleteResponseError, ResponseOutOfRangeError
from imsk.core.instruments.prem import (
    LOCAL_EXAMPLE_PREM,
    PremDefinitionError,
    parse_prem_definition,
    prem_definition_from_dict,
    score_prem,
)


def _definition(**overrides: object) -> dict[str, object]:
    base: dict[str, object] = {
        "id": "clinic_prem",
        "version": "3",
        "min_answered": 2,
        "items": [
            {"id": "waiting", "responses": {"a": 2, "b": 1, "c": 0}},
            {"id": "listened", "responses": {"y": 1, "n": 0, "na": None}},
            {"id": "overall", "responses": {"1": 10, "2": 5, "3": 0}},
        ],
    }
    return base | overrides


def test_the_score_is_the_percentage_of_the_maximum_over_answered_items() -> None:
    """(2 + 0 + 5) / (2 + 1 + 10) = 7/13 = 53.846... -> 53.8."""
    definition = prem_definition_from_dict(_definition())
    result = score_prem(definition, ["a", "n", "2"])
    assert result.score == 53.8
    assert result.instrument == "prem"
    assert result.instrument_version == "clinic_prem@3"
    assert result.details == {"answered": 3, "points": 7, "max_points": 13}


def test_unanswered_and_not_applicable_items_leave_the_denominator() -> None:
    """(1 + 10) / (2 + 10): "na" scores null and counts as not answered; None is unanswered."""
    definition = prem_definition_from_dict(_definition())
    assert score_prem(definition, ["b", "na", "1"]).score == 91.7
    assert score_prem(definition, [None, "y", "3"]).score == round(100 * 1 / 11, 1)


def test_fewer_answers_than_the_minimum_name_the_unanswered_items() -> None:
    definition = prem_definition_from_dict(_definition())
    with pytest.raises(IncompleteResponseError, match="1 items answered, at least 2 needed"):
        score_prem(definition, [None, "na", "1"])


def test_a_code_not_in_the_definition_names_the_item() -> None:
    definition = prem_definition_from_dict(_definition())
    with pytest.raises(ResponseOutOfRangeError, match="item listened: response 'maybe'"):
        score_prem(definition, ["a", "maybe", "1"])


def test_a_definition_parses_from_json_text() -> None:
    definition = parse_prem_definition(json.dumps(_definition()))
    assert [item.id for item in definition.items] == ["waiting", "listened", "overall"]
    assert definition.items[2].max_score == 10


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"id": ""}, "'id' must be a non-empty text"),
        ({"items": []}, "'items' must be a non-empty list"),
        ({"min_answered": 4}, "'min_answered' must be 1-3"),
        ({"items": [{"id": "x", "responses": {"1": -1}}]}, "whole number >= 0"),
        ({"items": [{"id": "x", "responses": {"1": 0, "2": None}}]}, "no response scores above 0"),
        (
            {
                "items": [{"id": "x", "responses": {"1": 1}}, {"id": "x", "responses": {"1": 1}}],
                "min_answered": 1,
            },
            "item id 'x' appears twice",
        ),
    ],
)
def test_a_malformed_definition_names_the_problem(
    overrides: dict[str, object], message: str
) -> None:
    with pytest.raises(PremDefinitionError, match=message):
        prem_definition_from_dict(_definition(**overrides))


def test_invalid_json_is_a_definition_error() -> None:
    with pytest.raises(PremDefinitionError, match="not valid JSON"):
        parse_prem_definition("{")


def test_the_shipped_definition_is_labelled_a_local_example() -> None:
    assert "not a national PREM" in LOCAL_EXAMPLE_PREM.title
    assert LOCAL_EXAMPLE_PREM.min_answered == 3
    assert score_prem(LOCAL_EXAMPLE_PREM, ["1", "1", "1", "1", "1"]).score == 100.0
    assert score_prem(LOCAL_EXAMPLE_PREM, ["5", "5", "5", "9", None]).score == 0.0
