"""Weeks waited and the waiting-list bands (``shared/spec/kpis.md``, ``waiting_first_contact``)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from imsk.core.waiting import WAITING_BANDS, WaitingError, waiting_band, weeks_waited

BOUNDS = [(label, lower, upper) for label, lower, upper in WAITING_BANDS]


def test_a_wait_is_zero_weeks_for_six_days_and_one_week_on_the_seventh() -> None:
    monday = date(2026, 3, 2)
    assert weeks_waited(monday, monday + timedelta(days=6)) == 0
    assert weeks_waited(monday, monday + timedelta(days=7)) == 1


def test_the_bands_are_the_catalogues_nine_in_order() -> None:
    assert [label for label, _, _ in WAITING_BANDS] == [
        "0-3", "4-7", "8-11", "12-13", "14-17", "18-25", "26-35", "36-51", "52+",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("weeks", "band"),
    [(0, "0-3"), (3, "0-3"), (4, "4-7"), (13, "12-13"), (14, "14-17"), (51, "36-51"), (52, "52+")],
)
def test_the_band_edges_of_the_catalogue(weeks: int, band: str) -> None:
    assert waiting_band(weeks) == band


@given(st.sampled_from(BOUNDS), st.data())
def test_every_week_inside_a_band_gets_that_band_and_its_edges_belong_to_it(
    bound: tuple[str, int, int | None], data: st.DataObject
) -> None:
    label, lower, upper = bound
    top = upper if upper is not None else lower + 1000
    weeks = data.draw(st.integers(min_value=lower, max_value=top))
    assert waiting_band(weeks) == label
    if lower > 0:
        assert waiting_band(lower - 1) != label  # the band starts exactly at its lower edge


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 1, 1)), st.integers(0, 5000))
def test_weeks_waited_is_the_floor_of_days_over_seven(started: date, days: int) -> None:
    weeks = weeks_waited(started, started + timedelta(days=days))
    assert 7 * weeks <= days < 7 * (weeks + 1)


def test_a_wait_that_has_not_started_is_refused() -> None:
    with pytest.raises(WaitingError):
        weeks_waited(date(2026, 3, 2), date(2026, 3, 1))
    with pytest.raises(WaitingError):
        waiting_band(-1)
