"""Fast categorical draws: a look-up table over 2**20 equal slices of [0, 1).

Drawing a category with given shares by binary search (``numpy.searchsorted`` over the cumulative
shares) costs a search per draw. The generator draws tens of millions, so each share list is turned
once into a table giving the category of every slice of width 2**-20, and a draw is one random
integer and one look-up. Every category's probability is then exact to within 2**-20 (about one in a
million), far below the sampling noise of any data set the generator writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from imsk.core.errors import SynthError

RESOLUTION_BITS = 20
SLICES = 1 << RESOLUTION_BITS

IntArray = NDArray[np.int64]
Table = NDArray[np.integer]


def table_from_weights(weights: Sequence[float] | NDArray[np.float64]) -> Table:
    """The category of the mid-point of every slice, for non-negative ``weights``."""
    values = np.asarray(weights, dtype=np.float64)
    total = float(values.sum())
    if total <= 0 or bool((values < 0).any()):
        raise SynthError("cannot draw from weights that are negative or all zero")
    cum = np.cumsum(values) / total
    middle = (np.arange(SLICES, dtype=np.float64) + 0.5) / SLICES
    index = np.minimum(np.searchsorted(cum, middle, side="right"), values.shape[0] - 1)
    table: Table = index.astype(np.min_scalar_type(values.shape[0]))
    return table


@lru_cache(maxsize=512)
def _cached(weights: tuple[float, ...]) -> Table:
    return table_from_weights(weights)


def draw(rng: np.random.Generator, table: Table, size: int) -> IntArray:
    """``size`` categories drawn with the table's shares."""
    return table[rng.integers(0, SLICES, size)].astype(np.int64)


def choice(rng: np.random.Generator, shares: Sequence[float], size: int) -> IntArray:
    """Indices drawn with the given shares (any non-negative weights)."""
    return draw(rng, _cached(tuple(float(share) for share in shares)), size)
