"""Charts drawn on the server as inline SVG: no chart library, no script, no request elsewhere.

Each chart is an ``<svg role="img">`` named by its ``<title>`` and described by its ``<desc>``
(``aria-labelledby``), so a screen reader announces one image with its summary; the figures
themselves are in the NHS.UK table printed beneath every chart, which is the accessible form of
the data (WCAG 2.2, 1.1.1 non-text content). Series are told apart by dash pattern as well as by
colour (1.4.1 use of colour). A value that is missing or suppressed (``None``) leaves a gap: no
line is drawn through it and no bar is drawn for it.

Every piece of text is escaped by ``format_html``; the pieces are then joined as safe markup.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

WIDTH: Final = 640
LEFT: Final = 60
RIGHT: Final = 24
TOP: Final = 16
PLOT_HEIGHT: Final = 200
LEGEND_COLUMN: Final = 200
TEXT: Final = "#212b32"
GRID: Final = "#d8dde0"
TARGET: Final = "#d5281b"
PALETTE: Final = ("#005eb8", "#7c2855", "#007f3b", "#330072", "#ed8b00", "#425563")
DASHES: Final = ("", "8 4", "2 3", "10 3 2 3", "4 4", "1 2")
#: Light to dark: longer waits are darker.
SEQUENTIAL: Final = (
    "#c6dbef",
    "#9ecae1",
    "#6baed6",
    "#4292c6",
    "#2171b5",
    "#08519c",
    "#08306b",
    "#330072",
    "#1d0040",
)


@dataclass(frozen=True)
class Series:
    """A named series of values, one per label; ``None`` where there is no value to draw."""

    name: str
    values: Sequence[float | None]


@dataclass(frozen=True)
class Reference:
    """A horizontal line across the plot (a target, or the line of equal access)."""

    label: str
    value: float


def nice_max(value: float) -> float:
    """The smallest of 1, 2, 2.5 or 5 times a power of ten that is at least ``value``."""
    if value <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    for step in (1.0, 2.0, 2.5, 5.0, 10.0):
        if value <= step * power:
            return step * power
    return 10.0 * power


def line_chart(
    chart_id: str,
    title: str,
    description: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    y_max: float | None = None,
    unit: str = "",
    target: Reference | None = None,
) -> SafeString:
    """Lines over the labels (months), one per series, with an optional target line."""
    top = y_max or nice_max(_largest([v for s in series for v in s.values], target))
    parts = _axes(labels, top, unit)
    for index, one in enumerate(series):
        parts += _line(one, len(labels), top, PALETTE[index % len(PALETTE)], DASHES[index % 6])
    if target is not None:
        parts += _reference(target, top, unit)
    legend = [
        (s.name, PALETTE[i % len(PALETTE)], DASHES[i % 6], False) for i, s in enumerate(series)
    ]
    return _frame(chart_id, title, description, parts, legend)


def bar_chart(
    chart_id: str,
    title: str,
    description: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    *,
    unit: str = "",
    reference: Reference | None = None,
) -> SafeString:
    """One bar per label; a missing value is marked with a dash instead of a bar."""
    top = nice_max(_largest(values, reference))
    parts = _axes(labels, top, unit)
    slot = _plot_width() / max(len(labels), 1)
    for index, value in enumerate(values):
        x = LEFT + index * slot + slot * 0.2
        if value is None:
            parts.append(_text(x + slot * 0.3, TOP + PLOT_HEIGHT - 4, "\u2013", "middle"))
            continue
        height = PLOT_HEIGHT * value / top
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
                _n(x),
                _n(TOP + PLOT_HEIGHT - height),
                _n(slot * 0.6),
                _n(height),
                PALETTE[0],
            )
        )
    if reference is not None:
        parts += _reference(reference, top, unit)
    return _frame(chart_id, title, description, parts, [])


def stacked_chart(
    chart_id: str,
    title: str,
    description: str,
    labels: Sequence[str],
    series: Sequence[Series],
) -> SafeString:
    """Stacked columns (e.g. waiting-list bands per month). A column with any missing part is not
    drawn (a partial stack would mislead) and is marked with an asterisk."""
    totals = [_column_total(series, i) for i in range(len(labels))]
    top = nice_max(max([t for t in totals if t is not None], default=0.0))
    parts = _axes(labels, top, "")
    slot = _plot_width() / max(len(labels), 1)
    for index, total in enumerate(totals):
        x = LEFT + index * slot + slot * 0.15
        if total is None:
            parts.append(_text(x + slot * 0.35, TOP + PLOT_HEIGHT - 4, "*", "middle"))
            continue
        base = float(TOP + PLOT_HEIGHT)
        for band, one in enumerate(series):
            height = PLOT_HEIGHT * float(one.values[index] or 0) / top
            base -= height
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
                    _n(x),
                    _n(base),
                    _n(slot * 0.7),
                    _n(height),
                    SEQUENTIAL[band % 9],
                )
            )
    legend = [(s.name, SEQUENTIAL[i % 9], "", True) for i, s in enumerate(series)]
    return _frame(chart_id, title, description, parts, legend)


def _column_total(series: Sequence[Series], index: int) -> float | None:
    values = [one.values[index] for one in series]
    if any(value is None for value in values):
        return None
    return float(sum(value or 0 for value in values))


def _largest(values: Sequence[float | None], line: Reference | None) -> float:
    known = [v for v in values if v is not None]
    if line is not None:
        known.append(line.value * 1.1)
    return max(known, default=0.0)


def _plot_width() -> int:
    return WIDTH - LEFT - RIGHT


def _n(value: float) -> str:
    return f"{value:.1f}"


def _y(value: float, top: float) -> float:
    return TOP + PLOT_HEIGHT - PLOT_HEIGHT * value / top


def _tick_label(value: float, unit: str) -> str:
    text = f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"
    return f"{text}{unit}"


def _text(x: float, y: float, content: str, anchor: str = "start") -> SafeString:
    return format_html(
        '<text x="{}" y="{}" text-anchor="{}" font-size="12" fill="{}">{}</text>',
        _n(x),
        _n(y),
        anchor,
        TEXT,
        content,
    )


def _axes(labels: Sequence[str], top: float, unit: str) -> list[SafeString]:
    parts: list[SafeString] = []
    for step in range(5):
        value = top * step / 4
        y = _y(value, top)
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1"/>',
                LEFT,
                _n(y),
                WIDTH - RIGHT,
                _n(y),
                GRID if step else TEXT,
            )
        )
        parts.append(_text(LEFT - 6, y + 4, _tick_label(value, unit), "end"))
    slot = _plot_width() / max(len(labels), 1)
    for index, label in enumerate(labels):
        parts.append(_text(LEFT + (index + 0.5) * slot, TOP + PLOT_HEIGHT + 16, label, "middle"))
    return parts


def _line(one: Series, count: int, top: float, colour: str, dash: str) -> list[SafeString]:
    slot = _plot_width() / max(count, 1)
    parts: list[SafeString] = []
    run: list[str] = []
    points = [*one.values, None]
    for index, value in enumerate(points):
        if value is None:
            if len(run) > 1:
                parts.append(
                    format_html(
                        '<polyline points="{}" fill="none" stroke="{}" stroke-width="2.5"'
                        ' stroke-dasharray="{}"/>',
                        " ".join(run),
                        colour,
                        dash or "none",
                    )
                )
            run = []
            continue
        x, y = LEFT + (index + 0.5) * slot, _y(value, top)
        run.append(f"{_n(x)},{_n(y)}")
        parts.append(
            format_html('<circle cx="{}" cy="{}" r="3.5" fill="{}"/>', _n(x), _n(y), colour)
        )
    return parts


def _reference(line: Reference, top: float, unit: str) -> list[SafeString]:
    y = _y(line.value, top)
    return [
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="2"'
            ' stroke-dasharray="6 4"/>',
            LEFT,
            _n(y),
            WIDTH - RIGHT,
            _n(y),
            TARGET,
        ),
        _text(WIDTH - RIGHT, y - 6, f"{line.label} ({_tick_label(line.value, unit)})", "end"),
    ]


def _legend(entries: Sequence[tuple[str, str, str, bool]], top: float) -> list[SafeString]:
    per_row = max(1, (WIDTH - LEFT) // LEGEND_COLUMN)
    parts: list[SafeString] = []
    for index, (name, colour, dash, filled) in enumerate(entries):
        x = LEFT + (index % per_row) * LEGEND_COLUMN
        y = top + (index // per_row) * 20
        if filled:
            sample = format_html(
                '<rect x="{}" y="{}" width="14" height="12" fill="{}"/>', x, _n(y - 10), colour
            )
        else:
            sample = format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="2.5"'
                ' stroke-dasharray="{}"/>',
                x,
                _n(y - 4),
                x + 24,
                _n(y - 4),
                colour,
                dash or "none",
            )
        parts += [sample, _text(x + 30, y, name)]
    return parts


def _frame(
    chart_id: str,
    title: str,
    description: str,
    parts: list[SafeString],
    legend: Sequence[tuple[str, str, str, bool]],
) -> SafeString:
    per_row = max(1, (WIDTH - LEFT) // LEGEND_COLUMN)
    rows = math.ceil(len(legend) / per_row)
    legend_top = TOP + PLOT_HEIGHT + 44
    height = legend_top + rows * 20 + (0 if rows else -20)
    body = _joined([*parts, *_legend(legend, legend_top)])
    return format_html(
        '<svg class="imsk-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}"'
        ' width="{}" height="{}" role="img" aria-labelledby="{}-title {}-desc"'
        ' style="max-width:100%;height:auto" font-family="inherit">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}</svg>',
        WIDTH,
        height,
        WIDTH,
        height,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        description,
        body,
    )


def _joined(parts: list[SafeString]) -> SafeString:
    # Every part was built by format_html, which escaped each value put into it.
    return mark_safe("".join(parts))  # noqa: S308
