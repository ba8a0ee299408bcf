"""Item points tables: the summed scales written as data, for scoring many rows at once.

MSK-HQ, STarT Back and the Örebro short form are *summed scales*: each item's response code is worth
some points and the total is their sum. :data:`POINTS_TABLES` writes that down per instrument and
per item (in the data set's item order, ``../shared/spec/dataset.md`` measures): ``points[code]`` is
what the code scores, and a code beyond the tuple or mapped to ``None`` is not allowed.

The tables restate the scoring rules of :mod:`~imsk.core.instruments.msk_hq`,
:mod:`~imsk.core.instruments.start_back` and :mod:`~imsk.core.instruments.orebro` so that a data
engine can score millions of item strings with array operations (``imsk.dataio.dataset``). The
scalar scorers stay the reference: a property test checks that every item string these tables score
gets the same total from :func:`~imsk.core.instruments.score_dataset_items`, and that every string
they refuse is refused there too.
"""

from __future__ import annotations

from typing import Final

from imsk.core.instruments import msk_hq, orebro, start_back

ItemPoints = tuple[int | None, ...]


def _identity(low: int, high: int) -> ItemPoints:
    return tuple(code if code >= low else None for code in range(high + 1))


def _reversed(high: int) -> ItemPoints:
    return tuple(high - code for code in range(high + 1))


def _orebro_items() -> tuple[ItemPoints, ...]:
    items: list[ItemPoints] = []
    for item in orebro.ITEM_ORDER:
        if item is orebro.OrebroItem.DURATION:
            items.append(_identity(1, 10))
        elif item in orebro.REVERSED_ITEMS:
            items.append(_reversed(10))
        else:
            items.append(_identity(0, 10))
    return tuple(items)


def _start_back_items() -> tuple[ItemPoints, ...]:
    agree_disagree = _identity(0, 1)
    bothersomeness = tuple(start_back.item_point(start_back.ITEM_COUNT, code) for code in range(5))
    return (agree_disagree,) * (start_back.ITEM_COUNT - 1) + (bothersomeness,)


POINTS_TABLES: Final[dict[str, tuple[ItemPoints, ...]]] = {
    "msk_hq": (_identity(0, 4),) * msk_hq.ITEM_COUNT,
    "start_back": _start_back_items(),
    "orebro_sf": _orebro_items(),
}
"""Per instrument, per item (data set order): the points each response code scores."""
