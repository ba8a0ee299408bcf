"""Örebro Musculoskeletal Pain Screening Questionnaire, short form (OMPSQ-SF, 10 items).

The OMPSQ-SF screens people with MSK pain for the risk of long-term disability and sickness absence:
two items from each of five predictive factors (self-perceived function, pain experience, distress,
fear-avoidance, return-to-work expectancy). Linton SJ, Nicholas M, MacDonald S. Spine
2011;36(22):1891-5, doi:10.1097/BRS.0b013e3181f8f775.

Items are keyed by **content** (:class:`OrebroItem`), because published layouts number them
differently. Positional input follows the order of the table in ``../shared/research/instruments.md``
section 4 (the enum order below). Scoring [C2: awell-score, research notes]:

* duration of the current pain problem is coded 1-10 (0-1 week = 1 ... over a year = 10) and scored
  as coded;
* the other nine items are answered 0-10; three are positively worded and scored ``10 - x``: the
  chance of working normally in three months, being able to do light work for an hour, being able
  to sleep at night;
* total = sum, 1-100 (often quoted 0-100; duration has no 0), higher = higher risk.

Cut-off: the paper's abstract speaks of "a cutoff of 50" without saying whether 50 itself is at risk
[U]; imsk follows awell-score (``>= 50`` = at risk), configurable with ``at_risk_min``.

Licence: none found [U]. No item wording is included here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum

from imsk.core.errors import IncompleteResponseError, ScoringError
from imsk.core.instruments.result import InstrumentResult, require_count, require_in_range

INSTRUMENT = "orebro_sf"
VERSION = "ompsq-sf-2011"
MAX_TOTAL = 100
AT_RISK_MIN = 50
"""Default threshold: a total of at least 50 is "at risk" (">= vs >" is ambiguous [U])."""


class OrebroItem(StrEnum):
    """The ten OMPSQ-SF items by content, in the research notes' table order."""

    DURATION = "duration"
    PAIN = "pain"
    TENSE_ANXIOUS = "tense_anxious"
    DEPRESSED = "depressed"
    PERSISTENT_RISK = "persistent_risk"
    WORK_CHANCE = "work_chance"
    STOP_ACTIVITY = "stop_activity"
    NORMAL_WORK = "normal_work"
    LIGHT_WORK = "light_work"
    SLEEP = "sleep"


REVERSED_ITEMS = frozenset({OrebroItem.WORK_CHANCE, OrebroItem.LIGHT_WORK, OrebroItem.SLEEP})
ITEM_ORDER = tuple(OrebroItem)


class OrebroBand(StrEnum):
    """Whether the total reaches the at-risk threshold."""

    AT_RISK = "at_risk"
    NOT_AT_RISK = "not_at_risk"


def item_score(item: OrebroItem, response: int | None) -> int:
    """The scored value of one item: duration 1-10 as coded; 0-10 items as given or ``10 - x``."""
    where = f"Örebro item {item.value}"
    if item is OrebroItem.DURATION:
        return require_in_range(response, 1, 10, where=where)
    value = require_in_range(response, 0, 10, where=where)
    return 10 - value if item in REVERSED_ITEMS else value


def score_orebro(
    responses: Mapping[OrebroItem, int | None], *, at_risk_min: int = AT_RISK_MIN
) -> InstrumentResult:
    """Score the OMPSQ-SF from responses keyed by item; total 1-100, at risk if >= ``at_risk_min``."""
    if not 1 <= at_risk_min <= MAX_TOTAL:
        raise ScoringError(f"Örebro at-risk threshold must be 1-100, not {at_risk_min}")
    unknown = set(responses) - set(OrebroItem)
    if unknown:
        raise ScoringError(f"Örebro: unknown item {sorted(map(str, unknown))[0]!r}")
    for item in ITEM_ORDER:
        if item not in responses:
            raise IncompleteResponseError(f"Örebro item {item.value}: no response")
    scores = {item.value: item_score(item, responses[item]) for item in ITEM_ORDER}
    total = sum(scores.values())
    band = OrebroBand.AT_RISK if total >= at_risk_min else OrebroBand.NOT_AT_RISK
    details: dict[str, int] = {"at_risk_min": at_risk_min, **scores}
    return InstrumentResult(INSTRUMENT, VERSION, total, band=band.value, details=details)


def score_orebro_in_order(
    responses: Sequence[int | None], *, at_risk_min: int = AT_RISK_MIN
) -> InstrumentResult:
    """Score ten responses given in :data:`ITEM_ORDER` (the research notes' table order)."""
    require_count(responses, len(ITEM_ORDER), instrument="Örebro")
    return score_orebro(dict(zip(ITEM_ORDER, responses, strict=True)), at_risk_min=at_risk_min)
