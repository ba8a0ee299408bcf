"""MSK-HQ: the Versus Arthritis Musculoskeletal Health Questionnaire.

MSK-HQ measures musculoskeletal health across conditions and body sites over the past two weeks:
14 items (pain by day and night, walking, washing/dressing, physical activity, work, social life,
independence, sleep, fatigue, mood, understanding, confidence, overall impact), each answered on a
five-option scale scored 0-4 where **4 is best**. The total is the sum, 0-56, higher = better
(Hill JC et al. BMJ Open 2016;6:e012331, doi:10.1136/bmjopen-2016-012331).

Two ways of writing an answer are accepted:

* **scored values** (the default): the item's score 0-4 as the scoring manual defines it;
* **option positions** (``ResponseCoding.POSITIONS``): 0 = the first option printed on the form.
  Items 12 (understanding) and 13 (confidence) are positively worded, so their first option scores
  0 whereas the first option of every other item scores 4. Positions are therefore mapped by
  (item, position), never by a single rule: a naive "position 0 = 4" mapping turns an all-"Not at all"
  questionnaire into 56 instead of 48. The printed option order is taken from the research notes
  (``../shared/research/instruments.md`` section 1); check it against your licensed form [U].

The minimal important change: Price AJ et al. BMJ Open 2019;9:e025357 report 5.5 points; on the
whole-number scale "more than 5.5" is a change of at least 6 (:data:`MSK_HQ_MCID`, configurable).
No official missing-item rule was found [U]: by default a missing item is an error naming it.

Licence: Oxford University Innovation; free for publicly funded care. The item wording is licensed
content and is not part of imsk: load it from your licensed form.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from imsk.core.errors import IncompleteResponseError, ScoringError
from imsk.core.instruments.result import InstrumentResult, require_count, require_in_range

INSTRUMENT = "msk_hq"
VERSION = "msk_hq-2016"
ITEM_COUNT = 14
MAX_ITEM_SCORE = 4
MAX_TOTAL = ITEM_COUNT * MAX_ITEM_SCORE
MSK_HQ_MCID = 6
"""Minimal important change in points: 5.5 (Price 2019) on a whole-number scale, i.e. >= 6."""

POSITIVELY_WORDED_ITEMS = frozenset({12, 13})
"""Items whose first printed option is the worst (scores 0) [U: order from the research notes]."""


class ResponseCoding(StrEnum):
    """How the item responses are written."""

    SCORES = "scores"
    POSITIONS = "positions"


class MissingItemRule(StrEnum):
    """What to do when an item has no answer. No published rule exists [U]."""

    REJECT = "reject"
    """Raise :class:`IncompleteResponseError` naming the first missing item (the default)."""
    NO_SCORE = "no_score"
    """Return a result whose score is ``None`` and whose details list the missing items."""


@dataclass(frozen=True)
class MskHqChange:
    """The change between two MSK-HQ totals and whether it reaches the minimal important change."""

    baseline: int
    follow_up: int
    change: int
    mcid: int
    is_mcid_achieved: bool


def item_score(item: int, response: int, coding: ResponseCoding = ResponseCoding.SCORES) -> int:
    """The 0-4 score of ``response`` to ``item`` (1-14), written in ``coding``."""
    if not 1 <= item <= ITEM_COUNT:
        raise ScoringError(f"MSK-HQ has items 1-{ITEM_COUNT}, not {item}")
    value = require_in_range(response, 0, MAX_ITEM_SCORE, where=f"MSK-HQ item {item}")
    if coding is ResponseCoding.SCORES or item in POSITIVELY_WORDED_ITEMS:
        return value
    return MAX_ITEM_SCORE - value


def score_msk_hq(
    responses: Sequence[int | None],
    *,
    coding: ResponseCoding = ResponseCoding.SCORES,
    missing: MissingItemRule = MissingItemRule.REJECT,
) -> InstrumentResult:
    """Score 14 MSK-HQ responses in item order (``None`` = no answer); total 0-56, higher = better."""
    require_count(responses, ITEM_COUNT, instrument="MSK-HQ")
    missing_items = [number for number, value in enumerate(responses, start=1) if value is None]
    if missing_items and missing is MissingItemRule.REJECT:
        raise IncompleteResponseError(f"MSK-HQ item {missing_items[0]}: no response")
    scores = {
        f"item_{number}": item_score(number, value, coding)
        for number, value in enumerate(responses, start=1)
        if value is not None
    }
    details: dict[str, str | int | None] = {"coding": coding.value, **scores}
    if missing_items:
        details["missing_items"] = " ".join(str(number) for number in missing_items)
        return InstrumentResult(INSTRUMENT, VERSION, None, details=details)
    return InstrumentResult(INSTRUMENT, VERSION, sum(scores.values()), details=details)


def msk_hq_change(baseline: int, follow_up: int, *, mcid: int = MSK_HQ_MCID) -> MskHqChange:
    """Follow-up (e.g. discharge) minus baseline; the MCID is achieved when the change is >= ``mcid``."""
    first = require_in_range(baseline, 0, MAX_TOTAL, where="MSK-HQ baseline total")
    second = require_in_range(follow_up, 0, MAX_TOTAL, where="MSK-HQ follow-up total")
    if mcid < 1:
        raise ScoringError(f"MSK-HQ minimal important change must be at least 1, not {mcid}")
    change = second - first
    return MskHqChange(first, second, change, mcid, change >= mcid)
