"""Questionnaire scoring ("instruments"): pure functions from response codes to versioned scores.

One module per instrument, each teaching its scoring and citing its source; the explicit registry
:data:`INSTRUMENTS` (names as in the data set's ``measures.instrument`` enum) and
:func:`score_dataset_items` live in :mod:`imsk.core.instruments.registry`. Every score is an
:class:`InstrumentResult` recording the instrument version and, for EQ-5D, the value set. Item wording
of licensed instruments is never included: scoring works on codes. See ``docs/instruments/``.
"""

from __future__ import annotations

from imsk.core.instruments.registry import (
    DATASET_SCORE_TOLERANCE,
    INSTRUMENTS,
    Instrument,
    dataset_score_agrees,
    instrument_named,
    score_dataset_items,
)
from imsk.core.instruments.result import InstrumentResult

__all__ = [
    "DATASET_SCORE_TOLERANCE",
    "INSTRUMENTS",
    "Instrument",
    "InstrumentResult",
    "dataset_score_agrees",
    "instrument_named",
    "score_dataset_items",
]
