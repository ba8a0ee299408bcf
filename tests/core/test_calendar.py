"""The working-day calendar: WD(d, n) exactly as ``shared/spec/kpis.md`` defines it, and bank holidays
by nation as GOV.UK publishes them (https://www.gov.uk/bank-holidays)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from imsk.core.calendar import Nation, WorkingDayCalendar, calendar_for
from imsk.core.errors import CalendarError

WALES = calendar_for("wales")
SCOTLAND = calendar_for("scotland")
NORTHERN_IRELAND = calendar_for("northern_ireland")
ENGLAND = calendar_for("england")

dates = st.dates(min_value=date(2015, 1, 1), max_value=date(2032, 12, 31))
nations = st.sampled_from(list(Nation))


@pytest.mark.parametrize(
    ("received", "n", "expected", "why"),
    [
        (date(2026, 11, 20), 1, date(2026, 11, 23), "received Friday, n = 1 is Monday (kpis.md)"),
        (date(2026, 11, 21), 1, date(2026, 11, 23), "received Saturday, n = 1 is Monday (kpis.md)"),
        (date(2026, 11, 22), 1, date(2026, 11, 23), "received Sunday, n = 1 is Monday"),
        (date(2026, 5, 22), 1, date(2026, 5, 26), "Friday before the Spring bank holiday: Tuesday"),
        (
            date(2026, 4, 2),
            1,
            date(2026, 4, 7),
            "Thursday before Easter: Good Friday and Easter Monday skipped",
        ),
        (
            date(2026, 12, 24),
            1,
            date(2026, 12, 29),
            "Christmas Eve: Christmas, weekend, Boxing Day substitute",
        ),
        (
            date(2026, 11, 23),
            3,
            date(2026, 11, 26),
            "routine triage on a plain week: three days later",
        ),
        (date(2026, 12, 23), 3, date(2026, 12, 30), "routine over Christmas 2026"),
        (date(2026, 11, 23), 10, date(2026, 12, 7), "urgent first contact: two working weeks"),
        (
            date(2021, 12, 24),
            1,
            date(2021, 12, 29),
            "2021: Christmas and Boxing Day both substituted",
        ),
        (
            date(2022, 5, 27),
            5,
            date(2022, 6, 7),
            "2022: moved Spring bank holiday and the Platinum Jubilee",
        ),
    ],
)
def test_wd_lands_on_the_published_working_day_in_wales(
    received: date, n: int, expected: date, why: str
) -> None:
    assert WALES.add_working_days(received, n) == expected, why


def test_scotland_keeps_the_second_of_january_and_st_andrews_day() -> None:
    assert not SCOTLAND.is_working_day(date(2026, 1, 2))
    assert WALES.is_working_day(date(2026, 1, 2))
    assert not SCOTLAND.is_working_day(date(2026, 11, 30))
    assert WALES.is_working_day(date(2026, 11, 30))


def test_scotland_has_no_easter_monday_but_wales_does() -> None:
    assert SCOTLAND.is_working_day(date(2026, 4, 6))
    assert not WALES.is_working_day(date(2026, 4, 6))


def test_northern_ireland_keeps_st_patricks_day_and_the_boyne() -> None:
    assert not NORTHERN_IRELAND.is_working_day(date(2026, 3, 17))
    assert not NORTHERN_IRELAND.is_working_day(date(2026, 7, 13)), "12 July 2026 is a Sunday"
    assert ENGLAND.is_working_day(date(2026, 3, 17))


def test_england_and_wales_share_their_bank_holidays() -> None:
    for year in range(2018, 2030):
        assert set(WALES.bank_holidays(year)) == set(ENGLAND.bank_holidays(year))


def test_wales_2026_bank_holidays_match_gov_uk() -> None:
    weekday_holidays = sorted(d for d in WALES.bank_holidays(2026) if d.weekday() < 5)
    assert weekday_holidays == [
        date(2026, 1, 1),
        date(2026, 4, 3),
        date(2026, 4, 6),
        date(2026, 5, 4),
        date(2026, 5, 25),
        date(2026, 8, 31),
        date(2026, 12, 25),
        date(2026, 12, 28),
    ]


def test_a_local_closure_is_not_a_working_day() -> None:
    closed = WorkingDayCalendar(Nation.WALES, frozenset({date(2026, 11, 24)}))
    assert not closed.is_working_day(date(2026, 11, 24))
    assert closed.add_working_days(date(2026, 11, 23), 1) == date(2026, 11, 25)


def test_wd_refuses_fewer_than_one_working_day() -> None:
    with pytest.raises(CalendarError, match="n >= 1"):
        WALES.add_working_days(date(2026, 1, 5), 0)


def test_an_unknown_nation_is_named_in_the_error() -> None:
    with pytest.raises(CalendarError, match="'cymru'"):
        calendar_for("cymru")


def test_a_calendar_table_ordinal_counts_working_days_up_to_each_date() -> None:
    rows = WALES.table(date(2026, 12, 24), date(2027, 1, 5))
    by_day = {row.day: row for row in rows}
    assert by_day[date(2026, 12, 24)].ordinal == 1
    assert by_day[date(2026, 12, 29)].ordinal == 2
    assert by_day[date(2027, 1, 1)].is_working_day is False
    assert by_day[date(2027, 1, 5)].ordinal == 6


def test_a_calendar_table_refuses_an_end_before_its_start() -> None:
    with pytest.raises(CalendarError, match="before its start"):
        WALES.table(date(2026, 2, 1), date(2026, 1, 1))


@given(day=dates, n=st.integers(min_value=1, max_value=40), nation=nations)
def test_wd_is_a_working_day_strictly_after_d_with_exactly_n_working_days(
    day: date, n: int, nation: Nation
) -> None:
    calendar = WorkingDayCalendar(nation)
    result = calendar.add_working_days(day, n)
    assert result > day
    assert calendar.is_working_day(result)
    assert calendar.working_days_between(day, result) == n
    assert calendar.working_days_between(day, result - timedelta(days=1)) == n - 1


@given(day=dates, n=st.integers(min_value=1, max_value=30), nation=nations)
def test_wd_agrees_with_the_calendar_table_ordinals(day: date, n: int, nation: Nation) -> None:
    calendar = WorkingDayCalendar(nation)
    rows = calendar.table(day, day + timedelta(days=3 * n + 20))
    start = rows[0].ordinal
    first_with_ordinal = next(r.day for r in rows if r.is_working_day and r.ordinal == start + n)
    assert first_with_ordinal == calendar.add_working_days(day, n)


@given(start=dates, end=dates, nation=nations)
def test_working_days_between_is_antisymmetric(start: date, end: date, nation: Nation) -> None:
    calendar = WorkingDayCalendar(nation)
    assert calendar.working_days_between(start, end) == -calendar.working_days_between(end, start)
