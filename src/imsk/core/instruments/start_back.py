"""Keele STarT Back Screening Tool (SBST, 9 items): stratified care for low back pain.

STarT Back sorts people with back pain into low, medium or high risk of persistent disabling pain,
so that treatment can be matched to risk (Hill JC et al. Arthritis Rheum 2008;59(5):632-41,
doi:10.1002/art.23563). Items 1-4 cover physical factors (leg pain, shoulder/neck pain, walking,
dressing); items 5-9 the psychosocial "distress" subscale (fear, anxiety, catastrophising, low mood,
bothersomeness).

Scoring (Keele "Using and scoring the SBST" and the Keele online calculator;
``../shared/research/instruments.md`` section 2):

* items 1-8 are coded 0 = disagree, 1 = agree;
* item 9 (bothersomeness) is coded 0-4 = not at all, slightly, moderately, very much, extremely and
  counts 1 only for 3 (very much) or 4 (extremely);
* total = items 1-9 (0-9); distress subscale = items 5-9 (0-5);
* total <= 3 -> low; total >= 4 and subscale <= 3 -> medium; subscale >= 4 -> high (which implies
  total >= 4).

Licence: Keele University; no licence needed for non-commercial (NHS) use.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from imsk.core.instruments.result import InstrumentResult, require_count, require_in_range

INSTRUMENT = "start_back"
VERSION = "sbst-9"
ITEM_COUNT = 9
BOTHERSOMENESS_ITEM = 9
DISTRESS_ITEMS = range(5, 10)
LOW_TOTAL_MAX = 3
HIGH_DISTRESS_MIN = 4


class StartBackGroup(StrEnum):
    """The three STarT Back risk groups."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


def item_point(item: int, response: int | None) -> int:
    """The 0/1 point an item contributes; item 9 scores 1 only for codes 3 and 4."""
    where = f"STarT Back item {item}"
    if item == BOTHERSOMENESS_ITEM:
        return 1 if require_in_range(response, 0, 4, where=where) >= 3 else 0
    return require_in_range(response, 0, 1, where=where)


def start_back_group(total: int, distress: int) -> StartBackGroup:
    """The Keele risk group for a total (0-9) and distress subscale (0-5)."""
    if total <= LOW_TOTAL_MAX:
        return StartBackGroup.LOW
    if distress >= HIGH_DISTRESS_MIN:
        return StartBackGroup.HIGH
    return StartBackGroup.MEDIUM


def score_start_back(responses: Sequence[int | None]) -> InstrumentResult:
    """Score nine STarT Back responses in item order; every item must be answered."""
    require_count(responses, ITEM_COUNT, instrument="STarT Back")
    points = [item_point(number, value) for number, value in enumerate(responses, start=1)]
    total = sum(points)
    distress = sum(points[item - 1] for item in DISTRESS_ITEMS)
    return InstrumentResult(
        INSTRUMENT,
        VERSION,
        total,
        band=start_back_group(total, distress).value,
        subscores={"distress": distress},
    )
