"""Scoring the summed scales of a whole batch of measures at once.

MSK-HQ, STarT Back and the Örebro short form make up most measures rows, and nearly every item string
is different, so scoring them one Python call at a time dominated validation time (about 130 µs a
string). Here the item strings of a batch are split, looked up in the core's points tables
(:data:`imsk.core.instruments.points.POINTS_TABLES`) and summed with array operations.

Only strings that are plainly valid are scored here: the right number of items, each a canonical
whole number (``0``, ``7``, ``10``; no sign, no leading zero) allowed for its item. Anything else is
left to the scalar scorer, which is the reference and writes the error message naming the item. A
property test holds the two to the same totals.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from imsk.core.instruments.points import POINTS_TABLES, ItemPoints
from imsk.dataio.dataset.arrow import Arr, pc

_CANONICAL_CODE: Final = r"^(?:0|[1-9][0-9]?)$"


def _lookup(items: tuple[ItemPoints, ...]) -> tuple[npt.NDArray[np.float64], int]:
    """A flat array: points of (item i, code c) at ``i * width + c``; NaN where not allowed."""
    width = max(len(points) for points in items)
    flat = np.full(len(items) * width, np.nan)
    for index, points in enumerate(items):
        for code, value in enumerate(points):
            if value is not None:
                flat[index * width + code] = value
    return flat, width


_LOOKUPS: Final = {name: _lookup(items) for name, items in POINTS_TABLES.items()}


def summed_scores(instrument: Arr, items: Arr) -> npt.NDArray[np.float64]:
    """Per row, the total of a summed scale where the items are plainly valid; NaN elsewhere."""
    result = np.full(len(items), np.nan)
    for name, (lookup, width) in _LOOKUPS.items():
        mask = pc.fill_null(pc.and_(pc.equal(instrument, name), pc.is_valid(items)), False)
        rows = np.flatnonzero(np.asarray(mask.to_numpy(zero_copy_only=False), dtype=bool))
        if rows.size:
            item_count = len(POINTS_TABLES[name])
            result[rows] = _score_rows(pc.take(items, pa.array(rows)), lookup, width, item_count)
    return result


def _score_rows(
    items: Arr, lookup: npt.NDArray[np.float64], width: int, item_count: int
) -> npt.NDArray[np.float64]:
    lists = pc.split_pattern(items, " ")
    if isinstance(lists, pa.ChunkedArray):
        lists = lists.combine_chunks()
    lengths = np.asarray(pc.list_value_length(lists).to_numpy(zero_copy_only=False))
    tokens = pc.list_flatten(lists)
    parents = np.asarray(pc.list_parent_indices(lists).to_numpy(zero_copy_only=False))
    offsets = np.asarray(lists.offsets.to_numpy())
    positions = np.arange(len(tokens)) - (offsets[parents] - offsets[0])
    canonical = np.asarray(
        pc.match_substring_regex(tokens, pattern=_CANONICAL_CODE).to_numpy(zero_copy_only=False),
        dtype=bool,
    )
    codes = np.where(canonical, _as_ints(tokens, canonical), width)
    usable = canonical & (codes < width) & (positions < item_count)
    points = np.full(len(tokens), np.nan)
    points[usable] = lookup[positions[usable] * width + codes[usable]]
    bad = np.bincount(parents, weights=np.isnan(points), minlength=len(lengths))
    totals = np.bincount(parents, weights=np.nan_to_num(points), minlength=len(lengths))
    return np.where((lengths == item_count) & (bad == 0), totals, np.nan)


def _as_ints(tokens: Arr, canonical: npt.NDArray[np.bool_]) -> npt.NDArray[np.int64]:
    safe = pc.if_else(pa.array(canonical), tokens, "0")
    return np.asarray(pc.cast(safe, pa.int64()).to_numpy(zero_copy_only=False), dtype=np.int64)
