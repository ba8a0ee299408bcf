"""Patient-reported measures: MSK-HQ, EQ-5D-5L, STarT Back, STarT MSK and the Friends and Family Test.

Each person carries a latent MSK-HQ baseline (normal, configured mean and SD, on the 0-56 scale) and a
change by discharge (normal, configured mean and SD); the item responses are one of
:data:`MSK_HQ_PATTERNS` answer sets drawn per run for each total, adding up exactly to it. EQ-5D-5L
profiles follow the same severity (worse MSK-HQ, higher levels; pain and usual activities most).
STarT Back items are drawn uniformly among the 1,280 possible answer sets of the request's risk
group (scored with the Keele rules through the core scorer). STarT MSK is written as its total (the
data set's form for that licensed tool) inside the widely quoted 0-4 / 5-8 / 9-12 bands [unconfirmed
cut-points, see ``../shared/research/instruments.md`` section 3]. FFT responses are codes 1-6.

Scores come from the core scorers (:func:`imsk.core.instruments.score_dataset_items`), evaluated once
per distinct item string (EQ-5D profiles, STarT Back answer sets, STarT MSK totals, FFT codes); the
MSK-HQ answer sets are scored by the core scorer when they are drawn, once per run.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from imsk.core.errors import SynthError
from imsk.core.instruments import score_dataset_items
from imsk.core.instruments.start_back import start_back_group
from imsk.synth import columns
from imsk.synth.config import FFT_RESPONSES, RISK_GROUPS
from imsk.synth.journey import TRANSFERRED, Journey
from imsk.synth.requests import Requests, mix_choice
from imsk.synth.world import World

IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

MSK_HQ_ITEMS = 14
MSK_HQ_MAX = 56
EQ5D_WEIGHT = np.array([0.75, 0.45, 0.95, 1.05, 0.6])  # MO, SC, UA, PD, AD
START_MSK_BANDS = ((0, 4), (5, 8), (9, 12))
TIMEPOINTS = ("baseline", "discharge", "follow_up")
MSK_HQ_PATTERNS = 64


@dataclass
class MeasureBlock:
    """Rows of one instrument at one timepoint."""

    request: IntArray
    instrument: str
    timepoint: int
    minute: IntArray
    items: columns.Arrow
    score: NDArray[np.float64]


@dataclass
class Scorer:
    """Scores from the core scorers, cached per distinct item string; MSK-HQ answer patterns."""

    seed: int
    cache: dict[tuple[str, str], float] = field(default_factory=dict)
    _msk_hq: tuple[NDArray[np.uint8], NDArray[np.float64]] | None = None
    _start_back: tuple[list[str], NDArray[np.float64], list[IntArray]] | None = None

    def start_back_answers(self) -> tuple[list[str], NDArray[np.float64], list[IntArray]]:
        """Every STarT Back answer set, its core score, and the answer sets of each risk group."""
        if self._start_back is None:
            self._start_back = _start_back_answers(self)
        return self._start_back

    def msk_hq_patterns(self) -> tuple[NDArray[np.uint8], NDArray[np.float64]]:
        """Item text (total, pattern, 27 bytes) and core score (total, pattern) of every pattern."""
        if self._msk_hq is None:
            rng = np.random.default_rng([self.seed, 0x4D534B])
            totals = np.repeat(np.arange(MSK_HQ_MAX + 1), MSK_HQ_PATTERNS)
            text = _spaced(msk_hq_items(rng, totals))
            scores = self.table("msk_hq", [row.tobytes().decode("ascii") for row in text])
            if not np.array_equal(scores, totals.astype(np.float64)):
                raise SynthError("the core MSK-HQ scorer disagrees with the drawn item totals")
            shape = (MSK_HQ_MAX + 1, MSK_HQ_PATTERNS)
            self._msk_hq = (text.reshape(*shape, -1), scores.reshape(shape))
        return self._msk_hq

    def score(self, instrument: str, items: str) -> float:
        key = (instrument, items)
        found = self.cache.get(key)
        if found is None:
            value = score_dataset_items(instrument, items)
            if value is None:
                raise SynthError(f"the {instrument} scorer gave no score for items {items!r}")
            found = float(value)
            self.cache[key] = found
        return found

    def table(self, instrument: str, texts: list[str]) -> NDArray[np.float64]:
        return np.array([self.score(instrument, text) for text in texts], dtype=np.float64)


def msk_hq_items(rng: np.random.Generator, totals: IntArray) -> NDArray[np.int64]:
    """14 item scores 0-4 per row adding up exactly to ``totals`` (0-56)."""
    n = totals.shape[0]
    base, extra = np.divmod(totals, MSK_HQ_ITEMS)
    rank = np.argsort(rng.random((n, MSK_HQ_ITEMS)), axis=1)
    items = base[:, None] + (rank < extra[:, None])
    rows = np.arange(n)
    for _ in range(8):  # move single points between items: same total, more varied answers
        give, take = rng.integers(0, MSK_HQ_ITEMS, (2, n))
        ok = (give != take) & (items[rows, give] > 0) & (items[rows, take] < 4)
        items[rows[ok], give[ok]] -= 1
        items[rows[ok], take[ok]] += 1
    return items.astype(np.int64)


def _spaced(items: NDArray[np.int64]) -> NDArray[np.uint8]:
    n, k = items.shape
    matrix = np.full((n, 2 * k - 1), ord(" "), dtype=np.uint8)
    matrix[:, 0::2] = (items + ord("0")).astype(np.uint8)
    return matrix


def _msk_hq_block(
    rng: np.random.Generator,
    scorer: Scorer,
    rows: IntArray,
    totals: IntArray,
    timepoint: int,
    minute: IntArray,
) -> MeasureBlock:
    text, scores = scorer.msk_hq_patterns()
    total = totals[rows]
    pattern = rng.integers(0, MSK_HQ_PATTERNS, rows.shape[0])
    items = columns.text_from_matrix(text[total, pattern])
    return MeasureBlock(rows, "msk_hq", timepoint, minute, items, scores[total, pattern])


def _eq5d_block(
    rng: np.random.Generator,
    scorer: Scorer,
    rows: IntArray,
    totals: IntArray,
    timepoint: int,
    minute: IntArray,
) -> MeasureBlock:
    severity = 1.0 - totals[rows] / MSK_HQ_MAX
    noise = rng.normal(0.0, 0.6, (rows.shape[0], 5))
    levels = np.clip(
        np.rint(1 + 4 * severity[:, None] * EQ5D_WEIGHT[None, :] + noise), 1, 5
    ).astype(np.int64)
    code = levels @ np.array([10000, 1000, 100, 10, 1])
    distinct, inverse = np.unique(code, return_inverse=True)
    scores = scorer.table("eq5d5l", [str(int(c)) for c in distinct])
    matrix = (levels + ord("0")).astype(np.uint8)
    return MeasureBlock(
        rows,
        "eq5d5l",
        timepoint,
        minute,
        columns.text_from_matrix(matrix),
        scores[inverse.reshape(-1)],
    )


def _start_back_answers(scorer: Scorer) -> tuple[list[str], NDArray[np.float64], list[IntArray]]:
    """Every possible STarT Back answer set, its total, and the answer sets of each risk group."""
    texts: list[str] = []
    for answers in itertools.product((0, 1), repeat=8):
        texts.extend(" ".join(map(str, (*answers, nine))) for nine in range(5))
    totals = scorer.table("start_back", texts)
    distress = [sum(map(int, t.split()[4:8])) + (int(t[-1]) >= 3) for t in texts]
    names = [
        start_back_group(int(total), d).value for total, d in zip(totals, distress, strict=True)
    ]
    group = np.array([RISK_GROUPS.index(name) + 1 for name in names])
    return texts, totals, [np.flatnonzero(group == g) for g in (1, 2, 3)]


def _start_back_block(
    rng: np.random.Generator, scorer: Scorer, rows: IntArray, groups: IntArray, minute: IntArray
) -> MeasureBlock:
    texts, totals, by_group = scorer.start_back_answers()
    pick = np.zeros(rows.shape[0], dtype=np.int64)
    for g, members in enumerate(by_group, start=1):
        chosen = groups == g
        pick[chosen] = members[rng.integers(0, members.shape[0], int(chosen.sum()))]
    return MeasureBlock(rows, "start_back", 0, minute, columns.labels(texts, pick), totals[pick])


def _start_msk_block(
    rng: np.random.Generator, scorer: Scorer, rows: IntArray, groups: IntArray, minute: IntArray
) -> MeasureBlock:
    low = np.array([band[0] for band in START_MSK_BANDS])[groups - 1]
    high = np.array([band[1] for band in START_MSK_BANDS])[groups - 1]
    total = low + (rng.random(rows.shape[0]) * (high - low + 1)).astype(np.int64)
    texts = [str(t) for t in range(13)]
    return MeasureBlock(
        rows,
        "start_msk",
        0,
        minute,
        columns.labels(texts, total),
        scorer.table("start_msk", texts)[total],
    )


def _fft_block(
    world: World, rng: np.random.Generator, scorer: Scorer, rows: IntArray, minute: IntArray
) -> MeasureBlock:
    code = mix_choice(rng, world.config.fft_mix, FFT_RESPONSES, rows.shape[0])
    texts = [str(c + 1) for c in range(len(FFT_RESPONSES))]
    return MeasureBlock(
        rows, "fft", 1, minute, columns.labels(texts, code), scorer.table("fft", texts)[code]
    )


def draw_measures(
    world: World, rng: np.random.Generator, scorer: Scorer, r: Requests, j: Journey
) -> list[MeasureBlock]:
    """Every measure row of one chunk, as blocks by instrument and timepoint."""
    config, n, extract = world.config, r.size, world.extract_minute
    baseline_total = np.clip(
        np.rint(rng.normal(config.msk_hq_baseline_mean, config.msk_hq_baseline_sd, n)),
        0,
        MSK_HQ_MAX,
    ).astype(np.int64)
    change = np.rint(rng.normal(config.msk_hq_change_mean, config.msk_hq_change_sd, n)).astype(
        np.int64
    )
    discharge_total = np.clip(baseline_total + change, 0, MSK_HQ_MAX)
    accepted = j.triaged_valid & (j.band > 0)
    before_triage = r.received + (rng.random(n) * (j.triaged - r.received)).astype(np.int64)
    after_exit = j.exit_minute + rng.integers(0, 3 * 1440, n)
    left_seen = (
        (j.exit_code >= 0) & (j.seen >= 0) & (j.exit_code != TRANSFERRED) & (after_exit <= extract)
    )

    def rows(mask: BoolArray) -> IntArray:
        return np.flatnonzero(mask)

    base = rows(accepted & (rng.random(n) < config.msk_hq_baseline_share))
    out = rows(left_seen & (rng.random(n) < config.msk_hq_discharge_share))
    eq_base = base[rng.random(base.shape[0]) < config.eq5d_share]
    eq_out = out[rng.random(out.shape[0]) < config.eq5d_share]
    sb = rows(accepted & (r.start_back > 0))
    sm = rows(accepted & (r.start_msk > 0))
    fft_after = j.exit_minute + rng.integers(0, 7 * 1440, n)
    fft = rows(
        (j.exit_code >= 0)
        & (j.seen >= 0)
        & (fft_after <= extract)
        & (rng.random(n) < config.fft_response_share)
    )
    return [
        _msk_hq_block(rng, scorer, base, baseline_total, 0, before_triage[base]),
        _msk_hq_block(rng, scorer, out, discharge_total, 1, after_exit[out]),
        _eq5d_block(rng, scorer, eq_base, baseline_total, 0, before_triage[eq_base]),
        _eq5d_block(rng, scorer, eq_out, discharge_total, 1, after_exit[eq_out]),
        _start_back_block(rng, scorer, sb, r.start_back[sb], before_triage[sb]),
        _start_msk_block(rng, scorer, sm, r.start_msk[sm], before_triage[sm]),
        _fft_block(world, rng, scorer, fft, fft_after[fft]),
    ]
