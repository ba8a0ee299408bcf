"""Server-side SVG charts: accessible names, gaps for missing values, escaped text, nice scales."""

from __future__ import annotations

from datetime import date
from xml.etree import ElementTree

from hypothesis import given
from hypothesis import strategies as st

from imsk.web.dashboard import charts
from imsk.web.dashboard.figures import trend_months

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)


def test_a_chart_is_an_image_named_by_its_title_and_description() -> None:
    svg = _parse(
        charts.line_chart("c1", "Triage", "Two lines", ["Jan", "Feb"], [charts.Series("A", [1, 2])])
    )
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "c1-title c1-desc"
    assert svg.find(f"{SVG}title").text == "Triage"  # type: ignore[union-attr]
    assert svg.find(f"{SVG}desc").text == "Two lines"  # type: ignore[union-attr]


def test_a_missing_value_breaks_the_line_rather_than_joining_across_it() -> None:
    series = charts.Series("Rate", [10.0, 20.0, None, 30.0, 40.0])
    svg = _parse(charts.line_chart("c", "t", "d", list("abcde"), [series]))
    assert len(svg.findall(f"{SVG}polyline")) == 2
    assert len(svg.findall(f"{SVG}circle")) == 4


def test_the_target_line_is_drawn_and_labelled() -> None:
    svg = charts.line_chart(
        "c",
        "t",
        "d",
        ["a"],
        [charts.Series("x", [80.0])],
        y_max=100.0,
        unit="%",
        target=charts.Reference("Target", 75.0),
    )
    assert "Target (75%)" in svg
    assert 'stroke="#d5281b"' in svg


def test_text_in_a_chart_is_escaped() -> None:
    svg = charts.bar_chart("c", "<script>x</script>", "d", ["<b>"], [1.0])
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    _parse(svg)  # still well-formed


def test_a_stacked_column_with_a_suppressed_part_is_not_drawn() -> None:
    bands = [charts.Series("0-3", [5.0, None]), charts.Series("4-7", [6.0, 7.0])]
    svg = _parse(charts.stacked_chart("c", "t", "d", ["Jan", "Feb"], bands))
    plotted = [r for r in svg.findall(f"{SVG}rect") if r.get("height") != "12"]
    assert len(plotted) == 2  # January's two bands; February is marked with an asterisk
    assert "*" in [t.text for t in svg.findall(f"{SVG}text")]


@given(st.floats(min_value=1e-6, max_value=1e12))
def test_the_scale_top_is_at_least_the_value_and_at_most_twice_it(value: float) -> None:
    top = charts.nice_max(value)
    assert value <= top <= 2 * value + 1e-9


def test_the_trend_covers_twelve_months_ending_on_the_last_day() -> None:
    months = trend_months(date(2026, 3, 15))
    assert len(months) == 12
    assert (months[0].start, months[0].end) == (date(2025, 4, 1), date(2025, 4, 30))
    assert (months[-1].start, months[-1].end) == (date(2026, 3, 1), date(2026, 3, 15))
    assert trend_months(date(2026, 1, 31))[0].start == date(2025, 2, 1)
