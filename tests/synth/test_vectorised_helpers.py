"""The vectorised helpers agree with the one-at-a-time definitions they replace."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from imsk.core.calendar import calendar_for
from imsk.synth import columns
from imsk.synth.days import DayTable, day_number
from imsk.synth.sampling import SLICES, choice, table_from_weights

WALES = calendar_for("wales")
TABLE = DayTable.build(WALES, date(2024, 1, 1), date(2027, 12, 31))
EPOCH = datetime(1970, 1, 1)


@settings(max_examples=200, deadline=None)
@given(day=st.dates(date(2024, 1, 1), date(2026, 12, 31)), n=st.integers(1, 30))
def test_array_wd_equals_the_core_calendar_wd(day: date, n: int) -> None:
    """kpis.md: WD(d, n) is the n-th working day strictly after d (bank holidays of Wales)."""
    got = TABLE.add_working_days(np.array([day_number(day)]), n)[0]
    assert date(1970, 1, 1) + timedelta(days=int(got)) == WALES.add_working_days(day, n)


def test_wd_over_christmas_2026_skips_the_boxing_day_substitute() -> None:
    """GOV.UK: 28 December 2026 is the Boxing Day substitute day in England and Wales."""
    got = TABLE.add_working_days(np.array([day_number(date(2026, 12, 24))]), 1)[0]
    assert date(1970, 1, 1) + timedelta(days=int(got)) == date(2026, 12, 29)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.datetimes(datetime(1990, 1, 1), datetime(2099, 12, 31)), min_size=1, max_size=20)
)
def test_timestamps_are_written_like_isoformat_to_the_minute(moments: list[datetime]) -> None:
    minutes = np.array([int((m - EPOCH).total_seconds() // 60) for m in moments], dtype=np.int64)
    written = columns.timestamps(minutes).to_pylist()
    assert written == [
        m.replace(second=0, microsecond=0).isoformat(timespec="minutes") for m in moments
    ]


@given(
    st.lists(
        st.one_of(st.none(), st.datetimes(datetime(1990, 1, 1), datetime(2099, 12, 31))),
        min_size=1,
        max_size=20,
    )
)
def test_native_timestamps_and_dates_become_the_text_cells(moments: list[datetime | None]) -> None:
    """Parquet holds native values; CSV the text: both must say the same minute and day."""
    valid = np.array([m is not None for m in moments])
    minutes = np.array(
        [0 if m is None else int((m - EPOCH).total_seconds() // 60) for m in moments],
        dtype=np.int64,
    )
    native = pa.table(
        {
            "at": columns.timestamp_values(minutes, valid),
            "on": columns.date_values(minutes // 1440, valid),
        }
    )
    assert native.column("at").to_pylist() == [
        None if m is None else m.replace(second=0, microsecond=0) for m in moments
    ]
    text = columns.as_text(native)
    assert text.column("at").to_pylist() == [
        None if m is None else m.isoformat(timespec="minutes") for m in moments
    ]
    assert text.column("on").to_pylist() == [
        None if m is None else m.date().isoformat() for m in moments
    ]


@given(st.lists(st.integers(0, 10**10 - 1), min_size=1, max_size=20))
def test_identifiers_are_zero_padded_numbers(numbers: list[int]) -> None:
    written = columns.identifiers("R", np.array(numbers, dtype=np.int64), 10).to_pylist()
    assert written == [f"R{n:010d}" for n in numbers]


def test_null_cells_are_written_as_nulls() -> None:
    valid = np.array([True, False, True])
    assert columns.timestamps(np.array([0, 5, 60]), valid).to_pylist() == [
        "1970-01-01T00:00",
        None,
        "1970-01-01T01:00",
    ]
    assert columns.labels(["a", "b"], np.array([1, -1, 0])).to_pylist() == ["b", None, "a"]


@given(st.lists(st.floats(0.0, 10.0), min_size=1, max_size=12).filter(lambda w: sum(w) > 0.01))
def test_lookup_table_shares_are_exact_to_one_slice(weights: list[float]) -> None:
    table = table_from_weights(weights)
    counts = np.bincount(table, minlength=len(weights)) / SLICES
    assert np.allclose(counts, np.array(weights) / sum(weights), atol=1.0 / SLICES + 1e-12)


def test_draws_follow_the_shares() -> None:
    drawn = choice(np.random.default_rng(0), [0.1, 0.6, 0.3], 200_000)
    assert np.allclose(np.bincount(drawn) / drawn.size, [0.1, 0.6, 0.3], atol=0.005)
