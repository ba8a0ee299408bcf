"""From raw KPI reports to what a user is shown: their groups, raw or suppressed, formatted.

:func:`shown_report` keeps the groups the user may see, each raw or suppressed
(:mod:`imsk.analytics.disclosure`) as :mod:`.access` decides; the page sections (:mod:`.sections`)
and the exports read only what this returns, so a suppressed figure cannot leak through either.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from imsk.analytics.disclosure import SUPPRESSED, is_small, suppress_report
from imsk.analytics.kpis.inputs import Level
from imsk.web.accounts.models import User
from imsk.web.dashboard import access
from imsk.web.dashboard.models import DashboardDataset

Json = Any
NO_VALUE = "\u2013"  # an en dash: no value (a rate with no denominator)


@dataclass(frozen=True)
class ShownReport:
    """A report narrowed to the user's groups; ``suppressed`` names the groups shown with ``*``."""

    report: dict[str, Any]
    suppressed: frozenset[str]

    def kpis(self, key: str) -> dict[str, Json] | None:
        for group in self.report["groups"]:
            if group["key"] == key:
                kpis: dict[str, Json] = group["kpis"]
                return kpis
        return None

    @property
    def keys(self) -> list[str]:
        return [group["key"] for group in self.report["groups"]]


def shown_report(
    user: User,
    dataset: DashboardDataset,
    report: dict[str, Any],
    keys: Sequence[str] | None = None,
    masked: Callable[[], dict[str, Any]] | None = None,
) -> ShownReport:
    """The groups of ``report`` the user may see (only ``keys`` if given), raw or suppressed.

    ``masked`` gives the suppressed version of ``report``, protected together with the other levels
    and months (``services.masked_figures``); it is called only when some group is shown suppressed.
    Without it the report is suppressed on its own.
    """
    level = Level(report["by"])
    hidden: dict[str, Any] | None = None
    groups, suppressed = [], set()
    for index, raw in enumerate(report["groups"]):
        key = raw["key"]
        if (keys is not None and key not in keys) or not access.can_see_group(
            user, dataset, level, key
        ):
            continue
        if access.sees_raw(user, dataset, level, key):
            groups.append(raw)
        else:
            if hidden is None:
                hidden = masked() if masked is not None else suppress_report(report)
            masked_group = hidden["groups"][index]
            if masked_group["key"] != key:
                raise ValueError("the suppressed report does not match the raw report")
            groups.append(masked_group)
            suppressed.add(key)
    shown = {"period": report["period"], "by": report["by"], "groups": groups}
    return ShownReport(shown, frozenset(suppressed))


def is_unavailable(value: Json) -> bool:
    return isinstance(value, dict) and value.get("status") == "unavailable"


def number(value: Json) -> float | None:
    """A value a chart can draw: ``None`` for suppressed, missing or unavailable values."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def count_text(value: Json) -> str:
    if value == SUPPRESSED:
        return SUPPRESSED
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return NO_VALUE


def percent_text(value: Json) -> str:
    if value == SUPPRESSED:
        return SUPPRESSED
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value:.1f}%"
    return NO_VALUE


def money_text(value: Json) -> str:
    if value == SUPPRESSED:
        return SUPPRESSED
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"£{value:,.2f}"
    return NO_VALUE


def ratio_text(value: Json) -> str:
    if value == SUPPRESSED:
        return SUPPRESSED
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value:.2f}"
    return NO_VALUE


def total_of(counts: Json) -> Json:
    """The sum of a counts KPI's categories; suppressed when any category is (or when small)."""
    if not isinstance(counts, dict) or is_unavailable(counts):
        return None
    values = list(counts.values())
    if any(value == SUPPRESSED for value in values):
        return SUPPRESSED
    total = sum(value for value in values if isinstance(value, int))
    return SUPPRESSED if is_small(total) else total


@dataclass(frozen=True)
class Table:
    """An NHS.UK table: a caption, column headings, rows (the first cell is the row heading)."""

    caption: str
    head: Sequence[str]
    rows: Sequence[Sequence[str]]
    links: Sequence[str] = field(default_factory=tuple)  # a link for each row's heading, or ""

    @property
    def body(self) -> list[tuple[str, str, Sequence[str]]]:
        """(row heading, its link or "", the other cells) for each row."""
        links = list(self.links) or [""] * len(self.rows)
        return [(row[0], link, row[1:]) for row, link in zip(self.rows, links, strict=True)]


def unavailable_reason(value: Json) -> str:
    return _("Not available: %(reason)s.") % {"reason": value.get("reason", "")}
