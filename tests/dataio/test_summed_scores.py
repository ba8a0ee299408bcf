"""The batch scorer of summed scales agrees with the scalar scorers, string for string.

The scalar scorers of ``imsk.core.instruments`` are the reference; the validator scores MSK-HQ,
STarT Back and Örebro item strings in bulk from the core's points tables. Whatever the bulk path
scores must get the same total from ``score_dataset_items``; whatever the scalar scorer refuses, the
bulk path must leave alone (so the error message still names the item).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st

from imsk.core.errors import ScoringError
from imsk.core.instruments import score_dataset_items
from imsk.core.instruments.points import POINTS_TABLES
from imsk.dataio.dataset.summed import summed_scores

TOKENS = st.one_of(
    st.integers(min_value=0, max_value=11).map(str),
    st.sampled_from(["-", "04", "+1", "-1", "x", "", "1.0", "100"]),
)


@st.composite
def item_strings(draw: st.DrawFn) -> tuple[str, str]:
    instrument = draw(st.sampled_from(sorted(POINTS_TABLES)))
    count = len(POINTS_TABLES[instrument])
    size = draw(st.sampled_from([count, count, count, count - 1, count + 1]))
    tokens = draw(st.lists(TOKENS, min_size=size, max_size=size))
    return instrument, " ".join(tokens)


def _scalar(instrument: str, items: str) -> float | None:
    try:
        value = score_dataset_items(instrument, items)
    except ScoringError:
        return None
    return None if value is None else float(value)


@given(st.lists(item_strings(), min_size=1, max_size=30))
def test_the_batch_scorer_never_disagrees_with_the_scalar_scorer(
    rows: list[tuple[str, str]],
) -> None:
    bulk = summed_scores(pa.array([r[0] for r in rows]), pa.array([r[1] for r in rows]))
    for (instrument, items), total in zip(rows, bulk, strict=True):
        reference = _scalar(instrument, items)
        if not np.isnan(total):
            assert reference == total, (instrument, items)
        elif reference is not None:
            # Left to the scalar path only for non-canonical spellings such as "04" or "+1".
            assert any(t.startswith(("0", "+")) and t != "0" for t in items.split(" "))


@given(st.sampled_from(sorted(POINTS_TABLES)), st.data())
def test_every_valid_canonical_string_is_scored_in_bulk(
    instrument: str, data: st.DataObject
) -> None:
    codes = [
        data.draw(st.sampled_from([c for c, p in enumerate(points) if p is not None]))
        for points in POINTS_TABLES[instrument]
    ]
    items = " ".join(str(code) for code in codes)
    (total,) = summed_scores(pa.array([instrument]), pa.array([items]))
    assert total == _scalar(instrument, items)


def test_published_totals_come_out_of_the_bulk_path() -> None:
    """MSK-HQ [2,3,2,3,1,2,2,3,1,2,2,3,2,2] = 30 (research notes, instruments.md 1); STarT Back
    items 1,3,5,6,7 agree and item 9 "Extremely" = 6 (Keele; instruments.md 2, vector 3); Örebro all
    5 with duration 5 = 50 (awell-score test data; instruments.md 4, vector 2)."""
    totals = summed_scores(
        pa.array(["msk_hq", "start_back", "orebro_sf", "fft", None]),
        pa.array(
            ["2 3 2 3 1 2 2 3 1 2 2 3 2 2", "1 0 1 0 1 1 1 0 4", "5 5 5 5 5 5 5 5 5 5", "1", "1"]
        ),
    )
    assert totals[:3].tolist() == [30.0, 6.0, 50.0]
    assert np.isnan(totals[3:]).all()
