"""A configurable patient-reported experience measure (PREM).

A PREM asks people about their experience of care (were they listened to, involved in decisions,
given clear information). Wales has no single national MSK PREM, so services run their own: imsk lets
a service describe its PREM as **data** (a definition) rather than code, and scores any definition the
same way:

* each item lists its allowed response codes and the score of each; a code whose score is ``null``
  (e.g. "not applicable" or "don't know") counts as **not answered**;
* total = 100 x (sum of the scores of the answered items) / (sum of the maximum scores of the answered
  items), i.e. the percentage of the maximum possible over the answered items, rounded to one decimal
  place (exact rational arithmetic, half to even);
* if fewer than ``min_answered`` items are answered, there is no score: an
  :class:`IncompleteResponseError` lists the unanswered items.

A definition is a JSON object (or the equivalent dict)::

    {"id": "my_prem", "version": "2", "title": "...", "min_answered": 3,
     "items": [{"id": "listened_to", "responses": {"1": 4, "2": 3, "3": 2, "4": 1, "5": 0, "9": null}}]}

:data:`LOCAL_EXAMPLE_PREM` is shipped as an **example of a local PREM only**: it is not a national
PREM, carries no licensed wording (item ids name the topic) and should be replaced by the service's own.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from imsk.core.errors import IncompleteResponseError, ResponseOutOfRangeError, ScoringError
from imsk.core.instruments.result import InstrumentResult

INSTRUMENT = "prem"


class PremDefinitionError(ScoringError):
    """A PREM definition is malformed (missing field, duplicate item, bad score)."""


@dataclass(frozen=True)
class PremItem:
    """One PREM item: its id and the score of each allowed response code (``None`` = not scored)."""

    id: str
    responses: Mapping[str, int | None]

    @property
    def max_score(self) -> int:
        return max(score for score in self.responses.values() if score is not None)


@dataclass(frozen=True)
class PremDefinition:
    """A versioned PREM: its items in questionnaire order and the minimum number answered."""

    id: str
    version: str
    title: str
    items: tuple[PremItem, ...]
    min_answered: int


def prem_definition_from_dict(data: object) -> PremDefinition:
    """Build and check a :class:`PremDefinition` from a parsed JSON object."""
    if not isinstance(data, Mapping):
        raise PremDefinitionError("PREM definition: expected a JSON object")
    prem_id = _text_field(data, "id", "PREM definition")
    where = f"PREM definition {prem_id!r}"
    raw_items = data.get("items")
    if not isinstance(raw_items, list) or not raw_items:
        raise PremDefinitionError(f"{where}: 'items' must be a non-empty list")
    items = tuple(_item_from_dict(raw, number, where) for number, raw in enumerate(raw_items, 1))
    duplicates = sorted({item.id for item in items if [i.id for i in items].count(item.id) > 1})
    if duplicates:
        raise PremDefinitionError(f"{where}: item id {duplicates[0]!r} appears twice")
    min_answered = data.get("min_answered", len(items))
    if isinstance(min_answered, bool) or not isinstance(min_answered, int):
        raise PremDefinitionError(f"{where}: 'min_answered' must be a whole number")
    if not 1 <= min_answered <= len(items):
        raise PremDefinitionError(f"{where}: 'min_answered' must be 1-{len(items)}")
    version = _text_field(data, "version", where)
    title = str(data.get("title", prem_id))
    return PremDefinition(prem_id, version, title, items, min_answered)


def parse_prem_definition(text: str) -> PremDefinition:
    """Parse a PREM definition from JSON text."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise PremDefinitionError(f"PREM definition is not valid JSON: {error.msg}") from None
    return prem_definition_from_dict(data)


def score_prem(definition: PremDefinition, responses: Sequence[str | None]) -> InstrumentResult:
    """Score responses (codes in item order, ``None`` = unanswered) as a percentage of the maximum."""
    where = f"PREM {definition.id}"
    if len(responses) != len(definition.items):
        raise IncompleteResponseError(
            f"{where}: expected {len(definition.items)} item responses, got {len(responses)}"
        )
    scored = [
        _item_score(item, code, where)
        for item, code in zip(definition.items, responses, strict=True)
    ]
    answered = [
        (item, score)
        for item, score in zip(definition.items, scored, strict=True)
        if score is not None
    ]
    if len(answered) < definition.min_answered:
        unanswered = ", ".join(
            item.id for item, score in zip(definition.items, scored, strict=True) if score is None
        )
        raise IncompleteResponseError(
            f"{where}: {len(answered)} items answered, at least {definition.min_answered} needed "
            f"(unanswered: {unanswered})"
        )
    total = sum(score for _, score in answered)
    maximum = sum(item.max_score for item, _ in answered)
    percent = float(round(Fraction(100 * total, maximum), 1))
    return InstrumentResult(
        INSTRUMENT,
        f"{definition.id}@{definition.version}",
        percent,
        details={"answered": len(answered), "points": total, "max_points": maximum},
    )


def _item_score(item: PremItem, code: str | None, where: str) -> int | None:
    if code is None:
        return None
    if code not in item.responses:
        allowed = ", ".join(item.responses)
        raise ResponseOutOfRangeError(
            f"{where} item {item.id}: response {code!r} is not one of {allowed}"
        )
    return item.responses[code]


def _item_from_dict(raw: object, number: int, where: str) -> PremItem:
    if not isinstance(raw, Mapping):
        raise PremDefinitionError(f"{where}: item {number} must be an object")
    item_id = _text_field(raw, "id", f"{where} item {number}")
    responses = raw.get("responses")
    if not isinstance(responses, Mapping) or not responses:
        raise PremDefinitionError(f"{where} item {item_id}: 'responses' must be a non-empty object")
    for code, score in responses.items():
        if score is not None and (
            isinstance(score, bool) or not isinstance(score, int) or score < 0
        ):
            raise PremDefinitionError(
                f"{where} item {item_id}: score of response {code!r} must be a whole number >= 0 "
                "or null"
            )
    if not any(score for score in responses.values()):
        raise PremDefinitionError(f"{where} item {item_id}: no response scores above 0")
    return PremItem(item_id, {str(code): score for code, score in responses.items()})


def _text_field(data: Mapping[str, object], name: str, where: str) -> str:
    value = data.get(name)
    if not isinstance(value, str) or not value.strip():
        raise PremDefinitionError(f"{where}: {name!r} must be a non-empty text")
    return value.strip()


_FIVE_POINT = {"1": 4, "2": 3, "3": 2, "4": 1, "5": 0, "9": None}

LOCAL_EXAMPLE_PREM = prem_definition_from_dict(
    {
        "id": "imsk_local_example_prem",
        "version": "1",
        "title": "Local example PREM (an example for services to replace; not a national PREM)",
        "min_answered": 3,
        "items": [
            {"id": topic, "responses": dict(_FIVE_POINT)}
            for topic in (
                "listened_to",
                "involved_in_decisions",
                "information_clear",
                "dignity_and_respect",
                "overall_experience",
            )
        ],
    }
)
"""Five topics, codes 1 (most positive, 4 points) to 5 (0 points); 9 = not applicable (not scored)."""
