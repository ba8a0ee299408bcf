"""From fact tables to one JSON value per group: the grouping and summing rules of the KPI catalogue.

``shared/spec/kpis.md``, "Shared rules": a row's group at ``health_board`` or ``service`` level comes
from its service; rows pointing to an unknown request or service count at ``national`` level only
(here: an inner join to ``services`` drops them from the lower levels, never from national). Every
service or health board of ``services`` gets a group, even with no rows, so each kind below also says
what an empty group looks like. Population rows are anchored to a health board; at ``service`` level a
service gets its whole health board's population.

Rounding: a rate's ``value`` is 100 x numerator / denominator rounded to 6 decimal places, an access
ratio likewise; money (``cost``, cost per case ``value``) to 2 decimal places (pence).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ibis

from imsk.analytics.kpis.access import MAXIMUM_WAIT_WEEKS, WAITING_BANDS
from imsk.analytics.kpis.base import Facts, Kind, Kpi
from imsk.analytics.kpis.inputs import KpiInputs, Level, Table

NATIONAL_KEY = "national"
RATE_DECIMALS = 6
MONEY_DECIMALS = 2
QUINTILES = ("1", "2", "3", "4", "5")
UNKNOWN_CATEGORY = "unknown"

Json = Any
Rows = list[dict[str, Any]]


def group_keys(inputs: KpiInputs, level: Level) -> list[str]:
    """The keys of the report's groups, sorted: ``national``, or every health board or service."""
    if level is Level.NATIONAL:
        return [NATIONAL_KEY]
    cache_key = f"group_keys:{level}"
    if cache_key not in inputs._cache:
        column = "health_board" if level is Level.HEALTH_BOARD else "service_id"
        services = inputs.table("services")
        values = services.select(key=services[column]).distinct().to_pyarrow().to_pylist()
        inputs._cache[cache_key] = sorted(row["key"] for row in values if row["key"] is not None)
    keys: list[str] = inputs._cache[cache_key]
    return keys


def keyed(facts: Table, inputs: KpiInputs, level: Level) -> Table:
    """``facts`` with a ``group_key`` column at ``level`` (rows outside every group dropped)."""
    if level is Level.NATIONAL:
        return facts.mutate(group_key=ibis.literal(NATIONAL_KEY))
    services = inputs.table("services")
    target = services.health_board if level is Level.HEALTH_BOARD else services.service_id
    if "service_id" in facts.columns:
        lookup = services.select(anchor_service=services.service_id, group_key=target)
        return facts.inner_join(lookup, facts.service_id == lookup.anchor_service)
    lookup = services.select(anchor_board=services.health_board, group_key=target).distinct()
    return facts.inner_join(lookup, facts.health_board == lookup.anchor_board)


def rate(numerator: int, denominator: int) -> Json:
    value = None if denominator == 0 else round(100 * numerator / denominator, RATE_DECIMALS)
    return {"numerator": numerator, "denominator": denominator, "value": value}


def _run(expr: Table) -> Rows:
    rows: Rows = expr.to_pyarrow().to_pylist()
    return rows


def _by_key(rows: Rows) -> dict[str, Rows]:
    grouped: dict[str, Rows] = {}
    for row in rows:
        grouped.setdefault(row["group_key"], []).append(row)
    return grouped


def _summarise_rate(kpi: Kpi, facts: Facts, inputs: KpiInputs, level: Level) -> dict[str, Json]:
    cohort = keyed(facts["cohort"], inputs, level)
    rows = _run(
        cohort.group_by("group_key").aggregate(
            numerator=cohort.is_numerator.cast("int64").sum().fill_null(0),
            denominator=cohort.count(),
        )
    )
    found = {row["group_key"]: rate(row["numerator"], row["denominator"]) for row in rows}
    return {key: found.get(key, rate(0, 0)) for key in group_keys(inputs, level)}


def _summarise_count(kpi: Kpi, facts: Facts, inputs: KpiInputs, level: Level) -> dict[str, Json]:
    rows_table = keyed(facts["rows"], inputs, level)
    rows = _run(rows_table.group_by("group_key").aggregate(total=rows_table.amount.sum()))
    found = {row["group_key"]: int(row["total"] or 0) for row in rows}
    return {key: found.get(key, 0) for key in group_keys(inputs, level)}


def _summarise_counts(kpi: Kpi, facts: Facts, inputs: KpiInputs, level: Level) -> dict[str, Json]:
    rows_table = keyed(facts["rows"], inputs, level)
    rows = _run(rows_table.group_by(["group_key", "category"]).aggregate(n=rows_table.count()))
    closed = kpi.categories(inputs) if kpi.categories else None
    result: dict[str, Json] = {}
    for key in group_keys(inputs, level):
        counts = {
            (row["category"] if row["category"] is not None else UNKNOWN_CATEGORY): row["n"]
            for row in _by_key(rows).get(key, [])
        }
        result[key] = _ordered_counts(counts, closed, kpi.with_total)
    return result


def _ordered_counts(
    counts: dict[str, int], closed: tuple[str, ...] | None, with_total: bool
) -> Json:
    """A closed list in its order, zeros included, then any value outside it (sorted); an open list
    sorted, above zero only."""
    if closed is None:
        ordered = {name: counts[name] for name in sorted(counts) if counts[name] > 0}
    else:
        ordered = {name: counts.get(name, 0) for name in closed}
        ordered.update({name: counts[name] for name in sorted(set(counts) - set(closed))})
    if with_total:
        ordered["total"] = sum(counts.values())
    return ordered


def _summarise_snapshot(kpi: Kpi, facts: Facts, inputs: KpiInputs, level: Level) -> dict[str, Json]:
    rows_table = keyed(facts["rows"], inputs, level)
    rows = _run(rows_table.group_by(["group_key", "band"]).aggregate(n=rows_table.count()))
    grouped = _by_key(rows)
    result: dict[str, Json] = {}
    for key in group_keys(inputs, level):
        counts = {row["band"]: row["n"] for row in grouped.get(key, [])}
        bands = {label: counts.get(label, 0) for label, _, _ in WAITING_BANDS}
        over = sum(bands[label] for label, lower, _ in WAITING_BANDS if lower >= MAXIMUM_WAIT_WEEKS)
        result[key] = {"total": sum(bands.values()), "over_14_weeks": over, "bands": bands}
    return result


def cost_ratio(cost: float, cases: int) -> Json:
    value = None if cases == 0 else round(cost / cases, MONEY_DECIMALS)
    return {"cost": round(float(cost), MONEY_DECIMALS), "cases": cases, "value": value}


def _summarise_ratio(kpi: Kpi, facts: Facts, inputs: KpiInputs, level: Level) -> dict[str, Json]:
    rows_table = keyed(facts["rows"], inputs, level)
    rows = _run(
        rows_table.group_by("group_key").aggregate(
            cost=rows_table.cost.sum(), cases=rows_table.cases.sum()
        )
    )
    found = {row["group_key"]: cost_ratio(row["cost"] or 0.0, row["cases"] or 0) for row in rows}
    return {key: found.get(key, cost_ratio(0.0, 0)) for key in group_keys(inputs, level)}


def _summarise_quintiles(
    kpi: Kpi, facts: Facts, inputs: KpiInputs, level: Level
) -> dict[str, Json]:
    requests = keyed(facts["requests"], inputs, level)
    request_rows = _by_key(
        _run(requests.group_by(["group_key", "quintile"]).aggregate(n=requests.count()))
    )
    population = keyed(facts["population"], inputs, level)
    population_rows = _by_key(
        _run(
            population.group_by(["group_key", "quintile"]).aggregate(n=population.population.sum())
        )
    )
    return {
        key: access_by_quintile(
            {_quintile_label(row["quintile"]): row["n"] for row in request_rows.get(key, [])},
            {_quintile_label(row["quintile"]): row["n"] for row in population_rows.get(key, [])},
        )
        for key in group_keys(inputs, level)
    }


def _quintile_label(quintile: int | None) -> str:
    return UNKNOWN_CATEGORY if quintile is None else str(quintile)


def access_by_quintile(requests: dict[str, int], population: dict[str, int]) -> Json:
    """Requests, population and access ratio per quintile; requests without one as ``unknown``.

    access_ratio(q) = (requests_q / Σ requests) / (population_q / Σ population), null when a share
    is undefined (no requests with a known quintile, no population, or population_q = 0).
    """
    total_requests = sum(requests.get(q, 0) for q in QUINTILES)
    total_population = sum(population.get(q, 0) or 0 for q in QUINTILES)
    result: dict[str, Json] = {}
    for q in QUINTILES:
        n, people = requests.get(q, 0), population.get(q, 0) or 0
        ratio = None
        if total_requests and total_population and people:
            ratio = round((n / total_requests) / (people / total_population), RATE_DECIMALS)
        result[q] = {"requests": n, "population": people, "access_ratio": ratio}
    result[UNKNOWN_CATEGORY] = requests.get(UNKNOWN_CATEGORY, 0)
    return result


Summariser = Callable[[Kpi, Facts, KpiInputs, Level], dict[str, Json]]

SUMMARISERS: dict[Kind, Summariser] = {
    Kind.RATE: _summarise_rate,
    Kind.COUNT: _summarise_count,
    Kind.COUNTS: _summarise_counts,
    Kind.SNAPSHOT: _summarise_snapshot,
    Kind.RATIO: _summarise_ratio,
    Kind.QUINTILES: _summarise_quintiles,
}
