"""The explicit registry of instruments and the data set's item-string scorer.

:data:`INSTRUMENTS` maps each name of the data set's ``measures.instrument`` enum
(``../shared/spec/dataset.md``) to an :class:`Instrument`, whose ``score`` turns response tokens into
an :class:`~imsk.core.instruments.result.InstrumentResult` with the instrument's default settings.
To add an instrument: write its module (a pure scoring function and a module docstring citing the
source), add one entry here, a page under ``docs/instruments/`` and tests with published vectors.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from imsk.core.errors import IncompleteResponseError, UnknownInstrumentError
from imsk.core.instruments import eq5d, fft, msk_hq, orebro, prem, start_back, start_msk
from imsk.core.instruments.result import UNANSWERED_MARK, InstrumentResult, Number, parse_codes

Scorer = Callable[[Sequence[str]], InstrumentResult]


@dataclass(frozen=True)
class Instrument:
    """A registered instrument: its data set name, a title and its default scorer of text tokens."""

    name: str
    title: str
    score: Scorer


def _single(tokens: Sequence[str], instrument: str) -> str:
    if len(tokens) != 1:
        raise IncompleteResponseError(f"{instrument}: expected 1 response, got {len(tokens)}")
    return tokens[0]


def _score_msk_hq(tokens: Sequence[str]) -> InstrumentResult:
    return msk_hq.score_msk_hq(parse_codes(tokens, instrument="MSK-HQ"))


def _score_eq5d(tokens: Sequence[str]) -> InstrumentResult:
    return eq5d.score_eq5d(_single(tokens, "EQ-5D"))


def _score_start_back(tokens: Sequence[str]) -> InstrumentResult:
    return start_back.score_start_back(parse_codes(tokens, instrument="STarT Back"))


def _score_start_msk(tokens: Sequence[str]) -> InstrumentResult:
    (total,) = parse_codes([_single(tokens, "STarT MSK")], instrument="STarT MSK")
    return start_msk.score_start_msk(total)


def _score_orebro(tokens: Sequence[str]) -> InstrumentResult:
    return orebro.score_orebro_in_order(parse_codes(tokens, instrument="Örebro"))


def _score_fft(tokens: Sequence[str]) -> InstrumentResult:
    (code,) = parse_codes([_single(tokens, "FFT")], instrument="FFT")
    return fft.score_fft(code)


def _score_prem(tokens: Sequence[str]) -> InstrumentResult:
    codes = [None if token == UNANSWERED_MARK else token for token in tokens]
    return prem.score_prem(prem.LOCAL_EXAMPLE_PREM, codes)


INSTRUMENTS: dict[str, Instrument] = {
    "msk_hq": Instrument("msk_hq", "MSK-HQ (Versus Arthritis)", _score_msk_hq),
    "eq5d5l": Instrument("eq5d5l", "EQ-5D-5L (UK 2026 value set)", _score_eq5d),
    "start_back": Instrument("start_back", "Keele STarT Back (9 items)", _score_start_back),
    "start_msk": Instrument("start_msk", "Keele STarT MSK (total score)", _score_start_msk),
    "orebro_sf": Instrument("orebro_sf", "Örebro short form (OMPSQ-SF)", _score_orebro),
    "fft": Instrument("fft", "NHS Friends and Family Test", _score_fft),
    "prem": Instrument("prem", "Local PREM (example definition)", _score_prem),
}

DATASET_SCORE_TOLERANCE: dict[str, float] = {
    "msk_hq": 0.0,
    "eq5d5l": 0.0005,
    "start_back": 0.0,
    "start_msk": 0.0,
    "orebro_sf": 0.0,
    "fft": 0.0,
    "prem": 0.05,
}
"""Half a unit in the last place of each computed score: eq5d5l 3 d.p., prem 1 d.p., others whole."""


def instrument_named(name: str) -> Instrument:
    """The registered instrument ``name``; an unknown name lists the known ones."""
    if name not in INSTRUMENTS:
        known = ", ".join(INSTRUMENTS)
        raise UnknownInstrumentError(f"unknown instrument {name!r}; known: {known}")
    return INSTRUMENTS[name]


def score_dataset_items(
    instrument: str,
    items: str | None,
    *,
    prem_definition: prem.PremDefinition | None = None,
) -> Number | None:
    """The score the data set's ``measures.score`` should hold for a ``measures.items`` string.

    Contract (stable; the data set validator relies on it):

    * ``items`` holds the responses in questionnaire order separated by single spaces; an unanswered
      item is written ``-``. ``None`` or an empty/blank string means "no items recorded": the result
      is ``None`` (nothing to check).
    * The returned score, by instrument:
      ``msk_hq`` the total 0-56 (int; items are scored values 0-4, 4 = best);
      ``eq5d5l`` the index under ``uk_5l_rowen_2026`` (float, exactly 3 d.p.; items = the 5-digit
      profile without spaces);
      ``start_back`` the total 0-9 (int; item 9 coded 0-4);
      ``start_msk`` the total 0-12 (int; items = that single total);
      ``orebro_sf`` the total 1-100 (int; research-notes item order, duration first);
      ``fft`` the response code 1-6 (int);
      ``prem`` the percentage of the maximum, 1 d.p. (float), under ``prem_definition`` (default
      :data:`~imsk.core.instruments.prem.LOCAL_EXAMPLE_PREM`).
    * Items that cannot be scored raise a :class:`~imsk.core.errors.ScoringError` subclass whose
      message names the item (:class:`IncompleteResponseError` for a missing item or a wrong count,
      :class:`ResponseOutOfRangeError` for a bad code, :class:`UnknownInstrumentError` for an
      unknown instrument). Nothing is guessed or repaired.
    * Compare a recorded score with :func:`dataset_score_agrees`, which allows half a unit in the
      last place of the computed score (:data:`DATASET_SCORE_TOLERANCE`).
    """
    entry = instrument_named(instrument)
    if items is None or not items.strip():
        return None
    tokens = items.split()
    if instrument == "prem" and prem_definition is not None:
        codes = [None if token == UNANSWERED_MARK else token for token in tokens]
        return prem.score_prem(prem_definition, codes).score
    return entry.score(tokens).score


def dataset_score_agrees(instrument: str, recorded: float, computed: Number | None) -> bool:
    """Whether a recorded ``measures.score`` agrees with the score computed from its items.

    ``computed`` of ``None`` (no items) agrees with anything: there is nothing to contradict.
    """
    instrument_named(instrument)
    if computed is None:
        return True
    return abs(recorded - computed) <= DATASET_SCORE_TOLERANCE[instrument] + 1e-9
