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

4. **Across groups** (:func:`suppress_related`). When several reports are shown together, a value
   can also be recovered from sums *between* groups: a health board's count is the sum of its
   services' counts, the nation's the sum of the boards'; a year's flow is the sum of its months.
   Each such :class:`GroupSum` makes every additive cell of the total group (counts, categories,
   waiting bands, rate numerators and denominators, cost-per-case cases, requests per quintile) the
   sum of the same cell of its member groups. Whenever exactly one of the total and its members is
   suppressed, one more is suppressed: the smallest shown member above zero (else the smallest
   shown member, else the total). A rate is suppressed whole (numerator, denominator and value),
   cost per case as cases and value. Within-group rules 1-3 and the sums are applied again until
   nothing changes. Snapshot KPIs (the waiting list at the end of a period) add up across groups
   but not over time, so sums over time skip them. A cell counting people in several groups (a
   person with requests at two services) makes the members add up to more than the total: treating
   the sum as exact only suppresses more, never less.
5. **Audit.** The pairwise rules above stop recovery by one subtraction; sums can also be combined
   (a board's total minus its shown services, plus the nation minus the other boards...). So every
   KPI's additive cells, with every sum that links them (within a group and between groups), are
   finally solved as a linear system: a suppressed cell whose value the shown cells determine (its
   unit vector lies in the row space of the system restricted to the suppressed cells) takes one
   more cell of one of its sums with it, and the rules run again, until no suppressed cell is
   determined. Only exact recovery is prevented: bounds (a suppressed cell is at most 4) are the
   point of suppression, not a leak.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

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
    """A copy of a KPI report (the JSON shape of ``kpis.md``) with small numbers suppressed (rules
    1-3 and the audit of rule 5 within each group)."""
    return suppress_related({"report": report}, [])["report"]


def _suppress_groups(report: dict[str, Any]) -> dict[str, Any]:
    """Rules 1-3 on a copy of ``report``."""
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


@dataclass(frozen=True)
class GroupSum:
    """Group ``total`` adds up to ``members``: each a (report name, group key) of :func:`suppress_related`.

    ``over_time`` marks a sum of periods (months of a year), over which snapshot KPIs do not add up.
    """

    total: tuple[str, str]
    members: tuple[tuple[str, str], ...]
    over_time: bool = False


Path = tuple[str, ...]


def suppress_related(
    reports: Mapping[str, dict[str, Any]], sums: Sequence[GroupSum]
) -> dict[str, dict[str, Any]]:
    """Suppressed copies of ``reports`` (by name) shown together, protected within and across groups.

    Each report alone gets :func:`suppress_report`; then the ``sums`` between groups are protected
    as the module docstring (rule 4) says. A sum naming a group that is not in its report is an error
    (``KeyError``): the caller built the sums from the same reports.
    """
    result = {name: _suppress_groups(report) for name, report in reports.items()}
    index = {
        (name, group["key"]): group["kpis"]
        for name, report in result.items()
        for group in report["groups"]
    }
    for relation in sums:
        for ref in (relation.total, *relation.members):
            if ref not in index:
                raise KeyError(f"group {ref[1]!r} is not in report {ref[0]!r}")
    changed = True
    while changed:
        changed = False
        for relation in sums:
            for kpi_id, kpi in KPIS.items():
                if relation.over_time and kpi.kind is Kind.SNAPSHOT:
                    continue
                holders = [index[ref] for ref in (relation.total, *relation.members)]
                values = [holder.get(kpi_id) for holder in holders]
                if any(v is None or _unavailable(v) for v in values):
                    continue
                for path in _additive_paths(kpi.kind, values):
                    if _protect_sum(kpi.kind, [(h, kpi_id) for h in holders], path):
                        changed = True
        if not changed:
            changed = any(_audit(index, sums, kpi_id) for kpi_id in KPIS)
        if changed:
            for kpis in index.values():
                for kpi_id, value in kpis.items():
                    if not _unavailable(value):
                        kpi = KPIS[kpi_id]
                        kpis[kpi_id] = _suppress(kpi.kind, value, kpi.with_total)
    return result


Cell = tuple[tuple[str, str], Path]
"""A cell of one KPI: (report name, group key) and its path in the KPI's value."""


def _equations(
    index: Mapping[tuple[str, str], dict[str, Json]], sums: Sequence[GroupSum], kpi_id: str
) -> list[dict[Cell, int]]:
    """Every linear sum linking the additive cells of ``kpi_id``: coefficients by cell.

    The right-hand sides do not matter: they are zero or a number known from elsewhere.
    """
    kind = KPIS[kpi_id].kind
    available = {
        ref: kpis[kpi_id]
        for ref, kpis in index.items()
        if kpi_id in kpis and not _unavailable(kpis[kpi_id])
    }
    equations: list[dict[Cell, int]] = []
    for ref, value in available.items():
        equations.extend(_within(ref, kind, value, KPIS[kpi_id].with_total))
    for relation in sums:
        if relation.over_time and kind is Kind.SNAPSHOT:
            continue
        refs = (relation.total, *relation.members)
        if not all(ref in available for ref in refs):
            continue
        for path in _additive_paths(kind, [available[ref] for ref in refs]):
            equation = {(relation.total, path): 1}
            for member in relation.members:
                equation[(member, path)] = equation.get((member, path), 0) - 1
            equations.append(equation)
    return equations


def _within(
    ref: tuple[str, str], kind: Kind, value: Json, with_total: bool
) -> list[dict[Cell, int]]:
    """The sums inside one group's value (rule 2): members minus their total, or members alone."""
    if kind is Kind.COUNTS:
        members: dict[Cell, int] = {
            (ref, (name,)): 1 for name in value if not (with_total and name == "total")
        }
        if with_total:
            members[(ref, ("total",))] = -1
        return [members]
    if kind is Kind.SNAPSHOT:
        bands: dict[Cell, int] = {(ref, ("bands", label)): 1 for label, _, _ in WAITING_BANDS}
        long: dict[Cell, int] = {
            (ref, ("bands", label)): 1
            for label, lower, _ in WAITING_BANDS
            if lower >= MAXIMUM_WAIT_WEEKS
        }
        return [{**bands, (ref, ("total",)): -1}, {**long, (ref, ("over_14_weeks",)): -1}]
    if kind is Kind.QUINTILES:
        quintiles: dict[Cell, int] = {(ref, (q, "requests")): 1 for q in QUINTILES}
        return [{**quintiles, (ref, (UNKNOWN_CATEGORY,)): 1}]
    return []


def _audit(
    index: Mapping[tuple[str, str], dict[str, Json]], sums: Sequence[GroupSum], kpi_id: str
) -> bool:
    """Rule 5: suppress one more cell if a suppressed cell of ``kpi_id`` is determined. Changed?"""
    equations = _equations(index, sums, kpi_id)
    hidden = sorted(
        {
            cell
            for eq in equations
            for cell in eq
            if _cell(index[cell[0]][kpi_id], cell[1]) == SUPPRESSED
        }
    )
    if not hidden:
        return False
    column = {cell: j for j, cell in enumerate(hidden)}
    # Shown cells are constants: only the sums holding a suppressed cell constrain anything.
    equations = [eq for eq in equations if any(cell in column for cell in eq)]
    matrix = np.zeros((len(equations), len(hidden)))
    for i, eq in enumerate(equations):
        for cell, coefficient in eq.items():
            if cell in column:
                matrix[i, column[cell]] = coefficient
    # The suppressed cells' values are determined exactly where the null space has no component.
    _, singular, vt = np.linalg.svd(matrix)
    rank = int((singular > 1e-9).sum())
    null = vt[rank:].T
    kind = KPIS[kpi_id].kind
    for j, cell in enumerate(hidden):
        if null.shape[1] and np.abs(null[j]).max() > 1e-9:
            continue
        for eq in equations:
            if cell not in eq:
                continue
            shown = [
                (value, other)
                for other in eq
                if isinstance(value := _cell(index[other[0]][kpi_id], other[1]), int)
            ]
            if shown:
                positive = [item for item in shown if item[0] > 0] or shown
                _, chosen = min(positive, key=lambda item: (item[0], str(item[1])))
                _hide(kind, index[chosen[0]], kpi_id, chosen[1])
                return True
    return False


def _unavailable(value: Json) -> bool:
    return isinstance(value, dict) and value.get("status") == "unavailable"


def _additive_paths(kind: Kind, values: list[Json]) -> Iterator[Path]:
    """The cells of a KPI value that add up across groups."""
    if kind is Kind.COUNT:
        yield ()
    elif kind is Kind.COUNTS:
        names: dict[str, None] = {}
        for value in values:
            names.update(dict.fromkeys(value))
        for name in names:
            yield (name,)
    elif kind is Kind.SNAPSHOT:
        yield ("total",)
        yield ("over_14_weeks",)
        for label, _, _ in WAITING_BANDS:
            yield ("bands", label)
    elif kind is Kind.RATE:
        yield ("numerator",)
        yield ("denominator",)
    elif kind is Kind.RATIO:
        yield ("cases",)
    else:
        for q in QUINTILES:
            yield (q, "requests")
        yield (UNKNOWN_CATEGORY,)


def _cell(value: Json, path: Path) -> Json:
    for step in path:
        if not isinstance(value, dict):
            return value
        value = value.get(step, 0)  # an open category list leaves out its zeros
    return value


def _protect_sum(kind: Kind, slots: list[tuple[dict[str, Json], str]], path: Path) -> bool:
    """Suppress one more cell when exactly one of total and members is suppressed at ``path``.

    ``slots`` are (a group's KPIs, KPI id): the total's first, then the members'.
    """
    cells = [_cell(kpis[kpi_id], path) for kpis, kpi_id in slots]
    unknown = [i for i, cell in enumerate(cells) if cell == SUPPRESSED]
    if len(unknown) != 1:
        return False
    shown = [i for i in range(1, len(cells)) if isinstance(cells[i], int) and i != unknown[0]]
    positive = [i for i in shown if cells[i] > 0]
    pool = positive or shown
    chosen = min(pool, key=lambda i: (cells[i], i)) if pool else 0
    if chosen == unknown[0]:
        return False  # a lone member with a suppressed total: nothing else can be hidden
    kpis, kpi_id = slots[chosen]
    _hide(kind, kpis, kpi_id, path)
    return True


def _hide(kind: Kind, kpis: dict[str, Json], kpi_id: str, path: Path) -> None:
    """Suppress the cell at ``path`` in place, with the cells it could be worked out from."""
    if kind is Kind.COUNT:
        kpis[kpi_id] = SUPPRESSED
        return
    value = kpis[kpi_id]
    if kind is Kind.RATE:
        for key in value:
            value[key] = SUPPRESSED
        return
    if kind is Kind.RATIO:
        value["cases"] = value["value"] = SUPPRESSED
        return
    target = value
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = SUPPRESSED
