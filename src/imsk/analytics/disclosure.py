"""Disclosure control: suppressing small numbers in outputs for people without access to records.

``shared/spec/kpis.md`` ("Disclosure control"): published dashboards and exports for network and
national levels show any count from 1 to 4, and any rate whose numerator or denominator is from 1
to 4, as suppressed, with secondary suppression where a suppressed value could be recovered from a
total. Analysts' raw output is not suppressed unless asked (``imsk kpi --suppress``).

The exact rule applied here, per group and per KPI (a suppressed cell becomes :data:`SUPPRESSED`):

1. **Primary.** A count (a count KPI, a category count, a waiting band, ``total``,
   ``over_14_weeks``, requests per deprivation quintile, ``unknown``) of 1-4 is suppressed. Zero is
   shown: it discloses no one. A rate with numerator or denominator of 1-4 has its numerator,
   denominator and value suppressed. Cost per case with 1-4 cases has ``cases`` and ``value``
   suppressed (value x cases would give the cost back).
2. **Secondary.** For every set of cells that adds up to a total (the categories of a counts KPI
   add up to their ``total``, shown or not: the requests of a period can be added up from another
   KPI; waiting bands add up to ``total``; the bands of 14 weeks and more add up to
   ``over_14_weeks``; the bands under 14 weeks plus ``over_14_weeks`` add up to ``total``), when
   exactly one member is suppressed and the total is not, the smallest other member above zero is
   suppressed too (or, if every other member is zero, the total). This repeats until no set has a
   lone suppressed member.
3. **Derived values.** When any quintile's requests are suppressed, every ``access_ratio`` of that
   group is suppressed (with the population, one ratio gives the total number of requests back).
   Population figures are census counts, not patient records, and are never suppressed.

Not covered: recovering a value across groups (a health board's count from the national count
minus the other boards) when several levels are published together; publish one level, or suppress
those combinations by hand.
"""

from __future__ import annotations

import copy
from typing import Any

from imsk.analytics.kpis.access import MAXIMUM_WAIT_WEEKS, WAITING_BANDS
from imsk.analytics.kpis.base import Kind
from imsk.analytics.kpis.registry import KPIS
from imsk.analytics.rollup import QUINTILES, UNKNOWN_CATEGORY

SUPPRESSED = "*"
"""The value shown in place of a suppressed number (the NHS statistics convention)."""

SMALLEST_SHOWN = 5
"""Counts from 1 to ``SMALLEST_SHOWN - 1`` are suppressed."""

Json = Any


def is_small(value: object) -> bool:
    """A count from 1 to 4 (booleans are not counts)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < SMALLEST_SHOWN


def suppress_report(report: dict[str, Any]) -> dict[str, Any]:
    """A copy of a KPI report (the JSON shape of ``kpis.md``) with small numbers suppressed."""
    result = copy.deepcopy(report)
    for group in result["groups"]:
        for kpi_id, value in group["kpis"].items():
            if isinstance(value, dict) and value.get("status") == "unavailable":
                continue
            group["kpis"][kpi_id] = _suppress(KPIS[kpi_id].kind, value, KPIS[kpi_id].with_total)
    return result


def _suppress(kind: Kind, value: Json, with_total: bool) -> Json:
    if kind is Kind.COUNT:
        return SUPPRESSED if is_small(value) else value
    if kind is Kind.RATE:
        return suppress_rate(value)
    if kind is Kind.COUNTS:
        return suppress_counts(value, with_total)
    if kind is Kind.SNAPSHOT:
        return suppress_waiting(value)
    if kind is Kind.RATIO:
        return suppress_cost(value)
    return suppress_quintiles(value)


def suppress_rate(rate: Json) -> Json:
    if is_small(rate["numerator"]) or is_small(rate["denominator"]):
        return dict.fromkeys(rate, SUPPRESSED)
    return rate


def suppress_cost(cost: Json) -> Json:
    if is_small(cost["cases"]):
        return {**cost, "cases": SUPPRESSED, "value": SUPPRESSED}
    return cost


def suppress_counts(counts: Json, with_total: bool) -> Json:
    """Category counts (and their ``total`` when shown), primary then secondary suppression."""
    members = [name for name in counts if not (with_total and name == "total")]
    cells = dict(counts)
    total_key = "total" if with_total else None
    _protect(cells, [(members, total_key)])
    return cells


def suppress_waiting(waiting: Json) -> Json:
    cells = {
        **waiting["bands"],
        "total": waiting["total"],
        "over_14_weeks": waiting["over_14_weeks"],
    }
    long_waits = [label for label, lower, _ in WAITING_BANDS if lower >= MAXIMUM_WAIT_WEEKS]
    short_waits = [label for label, lower, _ in WAITING_BANDS if lower < MAXIMUM_WAIT_WEEKS]
    all_bands = [label for label, _, _ in WAITING_BANDS]
    _protect(
        cells,
        [
            (all_bands, "total"),
            (long_waits, "over_14_weeks"),
            ([*short_waits, "over_14_weeks"], "total"),
        ],
    )
    return {
        "total": cells["total"],
        "over_14_weeks": cells["over_14_weeks"],
        "bands": {label: cells[label] for label in all_bands},
    }


def suppress_quintiles(access: Json) -> Json:
    cells = {q: access[q]["requests"] for q in QUINTILES}
    cells[UNKNOWN_CATEGORY] = access[UNKNOWN_CATEGORY]
    _protect(cells, [(list(cells), None)])
    any_hidden = any(cells[q] == SUPPRESSED for q in QUINTILES)
    result: dict[str, Json] = {}
    for q in QUINTILES:
        ratio = SUPPRESSED if any_hidden else access[q]["access_ratio"]
        result[q] = {**access[q], "requests": cells[q], "access_ratio": ratio}
    result[UNKNOWN_CATEGORY] = cells[UNKNOWN_CATEGORY]
    return result


def _protect(cells: dict[str, Json], sums: list[tuple[list[str], str | None]]) -> None:
    """Primary suppression of every cell, then secondary over ``sums`` (members, total or None for
    a total that is not shown but can be worked out), in place."""
    for name, value in cells.items():
        if is_small(value):
            cells[name] = SUPPRESSED
    changed = True
    while changed:
        changed = False
        for members, total in sums:
            hidden = [m for m in members if cells[m] == SUPPRESSED]
            total_hidden = total is not None and cells[total] == SUPPRESSED
            if len(hidden) != 1 or total_hidden:
                continue
            candidates = [m for m in members if isinstance(cells[m], int) and cells[m] > 0]
            if candidates:
                cells[min(candidates, key=lambda m: (cells[m], members.index(m)))] = SUPPRESSED
            elif total is not None:
                cells[total] = SUPPRESSED
            else:
                continue
            changed = True
