"""Checking patient-reported measures: items well formed for their instrument, score agrees.

``measures.items`` holds the responses in questionnaire order separated by single spaces (EQ-5D-5L:
the five-digit profile); ``measures.score`` is the total the source system recorded. Where both are
given and disagree, the KPIs use the score computed from the items and the validator reports
``score_disagrees_with_items`` (``../shared/spec/dataset.md``, measures). Scoring is
:func:`imsk.core.instruments.score_dataset_items`, memoised on (instrument, items): most rows of a
large data set share their item strings, so each distinct string is scored once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from imsk.core.dataset import FindingCode, table_named
from imsk.core.dataset.values import ITEMS_PATTERN
from imsk.core.errors import ScoringError, UnknownInstrumentError
from imsk.core.instruments import DATASET_SCORE_TOLERANCE, score_dataset_items
from imsk.dataio.dataset.arrow import Arr, pc
from imsk.dataio.dataset.normalise import display
from imsk.dataio.dataset.sink import FindingSink
from imsk.dataio.dataset.summed import summed_scores

_SEPARATOR: Final = "\x1f"
_MEMO_LIMIT: Final = 500_000
_INSTRUMENTS: Final = table_named("measures").column("instrument").values

#: (score computed from the items or None, tolerance, why the items cannot be scored or None).
Scored = tuple[float | None, float, str | None]


class MeasureChecker:
    """Checks measures batch by batch, remembering the score of each (instrument, items) seen."""

    def __init__(self) -> None:
        self._memo: dict[str, Scored] = {}

    def score(self, key: str) -> Scored:
        """The score of ``instrument<US>items`` (memoised)."""
        known = self._memo.get(key)
        if known is not None:
            return known
        instrument, items = key.split(_SEPARATOR, 1)
        tolerance = DATASET_SCORE_TOLERANCE.get(instrument, 0.0)
        try:
            value = score_dataset_items(instrument, items)
            result: Scored = (None if value is None else float(value), tolerance, None)
        except UnknownInstrumentError:
            result = (None, tolerance, None)  # nothing registered to check against
        except ScoringError as error:
            result = (None, tolerance, str(error))
        if len(self._memo) >= _MEMO_LIMIT:
            self._memo.clear()
        self._memo[key] = result
        return result

    def check(
        self, sink: FindingSink, raw: Mapping[str, Arr], values: Mapping[str, Arr], first_row: int
    ) -> None:
        """Every measures rule on one batch."""
        items, instrument, score = raw["items"], raw["instrument"], values["score"]
        sink.add_masked(
            FindingCode.MISSING_SCORE_AND_ITEMS,
            "measures",
            "items",
            pc.and_(pc.is_null(items), pc.is_null(raw["score"])),
            first_row,
            lambda i: "neither items nor score is given",
        )
        shaped = pc.match_substring_regex(items, pattern=f"^(?:{ITEMS_PATTERN})$")
        sink.add_masked(
            FindingCode.BAD_ITEMS,
            "measures",
            "items",
            pc.fill_null(pc.invert(shaped), False),
            first_row,
            lambda i: f"items {display(items, i)} are not responses separated by single spaces",
        )
        known = pc.is_in(instrument, value_set=pa.array(_INSTRUMENTS, pa.string()))
        scorable = pc.fill_null(pc.and_(shaped, known), False)
        # Summed scales with plainly valid items are scored for the whole batch at once; every
        # other row goes through the scalar scorer, which also words the errors.
        summed = summed_scores(instrument, items)
        by_array = pa.array(~np.isnan(summed))
        keys = pc.binary_join_element_wise(
            pc.if_else(pc.and_(scorable, pc.invert(by_array)), instrument, None), items, _SEPARATOR
        )
        self._check_scores(sink, keys, items, score, first_row, summed, instrument)

    def _check_scores(
        self,
        sink: FindingSink,
        keys: Arr,
        items: Arr,
        recorded: Arr,
        first_row: int,
        summed: npt.NDArray[np.float64],
        instrument: Arr,
    ) -> None:
        encoded = pc.dictionary_encode(keys)
        scored = [self.score(key) for key in encoded.dictionary.to_pylist()] or [(None, 0.0, None)]
        indices = encoded.indices
        scalar = pc.take(pa.array([s[0] for s in scored], pa.float64()), indices)
        computed = pc.if_else(pa.array(~np.isnan(summed)), pa.array(summed), scalar)
        tolerances = [DATASET_SCORE_TOLERANCE.get(name, 0.0) for name in _INSTRUMENTS]
        tolerance = pc.fill_null(
            pc.take(
                pa.array(tolerances, pa.float64()),
                pc.index_in(instrument, value_set=pa.array(_INSTRUMENTS, pa.string())),
            ),
            0.0,
        )
        unscorable = pc.take(pa.array([s[2] is not None for s in scored]), indices)
        reasons = [s[2] for s in scored]
        sink.add_masked(
            FindingCode.BAD_ITEMS,
            "measures",
            "items",
            pc.fill_null(unscorable, False),
            first_row,
            lambda i: f"items {display(items, i)}: {reasons[indices[i].as_py()]}",
        )
        gap = pc.abs(pc.subtract(recorded, computed))
        disagrees = pc.fill_null(pc.greater(gap, pc.add(tolerance, 1e-9)), False)
        sink.add_masked(
            FindingCode.SCORE_DISAGREES_WITH_ITEMS,
            "measures",
            "score",
            disagrees,
            first_row,
            lambda i: (
                f"score {recorded[i].as_py():g} disagrees with {computed[i].as_py():g} computed "
                f"from items {display(items, i)} (the KPIs use the computed score)"
            ),
        )
