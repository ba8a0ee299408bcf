"""From fact tables to one JSON value per group: the grouping and summing rules of the KPI catalogue.

``shared/spec/kpis.md``, "Shared rules": a row's group at ``health_board`` or ``service`` level comes
from its service; rows pointing to an unknown request or service count at ``national`` level only.
Every service or health board of ``services`` gets a group, even with no rows, so each kind below
also says what an empty group looks like. Population rows are anchored to a health board; at
``service`` level a service gets its whole health board's population.

Every quantity a KPI reports is a sum (a count, a numerator, a cost), so the engine sums each KPI's
facts once, at the finest anchor (the service, or the health board for population), and the three
levels are rolled up from those sums here, in Python: a service's sum is its own, a health board's
is the sum over its services, national is the sum over every anchor, unknown services included.
All KPIs are sent to the engine as one query (a ``UNION ALL`` of one small aggregate per KPI),
and the sums are kept with the inputs, so the other levels cost nothing more.

Rounding: a rate's ``value`` is 100 x numerator / denominator rounded to 6 decimal places, an access
ratio likewise; money (``cost``, cost per case ``value``) to 2 decimal places (pence).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
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
POPULATION_PART = "population"

Json = Any
Rows = list[dict[str, Any]]

#: The columns of every KPI's anchored sums: which KPI and fact table, the anchor (a service, or a
#: health board for population), the category (null when the kind has none), and three sums.
SUMS_SCHEMA = ibis.schema(
    {
        "kpi": "string",
        "part": "string",
        "anchor": "string",
        "category": "string",
        "n": "int64",
        "numerator": "int64",
        "amount": "float64",
    }
)


@dataclass(frozen=True)
class Groups:
    """The services of the data set: the groups of each level and where each service belongs."""

    board_of_service: dict[str, str]

    def keys(self, level: Level) -> list[str]:
        """The keys of the report's groups, sorted: ``national``, or every health board or service."""
        if level is Level.NATIONAL:
            return [NATIONAL_KEY]
        if level is Level.HEALTH_BOARD:
            return sorted(set(self.board_of_service.values()))
        return sorted(self.board_of_service)

    def of_anchor(self, part: str, anchor: str | None, level: Level) -> list[str]:
        """The groups an anchored sum counts in at ``level`` (none for an unknown service)."""
        if level is Level.NATIONAL:
            return [NATIONAL_KEY]
        if part == POPULATION_PART:  # anchored to a health board
            if level is Level.HEALTH_BOARD:
                known = anchor is not None and anchor in self.board_of_service.values()
                return [anchor] if known and anchor is not None else []
            return [s for s, board in self.board_of_service.items() if board == anchor]
        if anchor is None or anchor not in self.board_of_service:
            return []  # an unknown service: national level only
        return [self.board_of_service[anchor] if level is Level.HEALTH_BOARD else anchor]


def groups_of(inputs: KpiInputs) -> Groups:
    """The services and their health boards (read once per inputs)."""
    if "groups" not in inputs._cache:
        services = inputs.table("services")
        rows = services.select("service_id", "health_board").to_pyarrow().to_pylist()
        inputs._cache["groups"] = Groups(
            {
                row["service_id"]: row["health_board"]
                for row in rows
                if row["service_id"] is not None and row["health_board"] is not None
            }
        )
    groups: Groups = inputs._cache["groups"]
    return groups


def group_keys(inputs: KpiInputs, level: Level) -> list[str]:
    """The keys of the report's groups at ``level``, sorted."""
    return groups_of(inputs).keys(level)


# --- the engine side: one aggregate per KPI, all in one query -------------------------------------


def _weighted(facts: Table) -> Table:
    """``facts`` with a ``weight`` column (1 per row unless the facts carry their own)."""
    if "weight" in facts.columns:
        return facts.mutate(weight=facts.weight.cast("int64"))
    return facts.mutate(weight=ibis.literal(1, "int64"))


Sums = Callable[[Table], dict[str, Any]]


def _total(column: Any) -> Any:
    """The sum of an integer column as a 64-bit integer on every engine.

    Each row's value fits 32 bits (a count per request); summing 32-bit integers gives a 64-bit
    integer everywhere, whereas PostgreSQL sums 64-bit integers into ``numeric``.
    """
    return column.cast("int32").sum()


def _sums(
    kpi: Kpi, part: str, facts: Table, anchor: str, category: str | None, sums: Sums
) -> Table:
    """One KPI's fact table summed per anchor and category, in the columns of :data:`SUMS_SCHEMA`."""
    keyed = _weighted(facts).mutate(
        anchor_key=facts[anchor].cast("string"),
        category_key=ibis.null("string") if category is None else facts[category].cast("string"),
    )
    totals = keyed.group_by(["anchor_key", "category_key"]).aggregate(**sums(keyed))
    # Missing sums are nulls, not literals: a literal 0 is ``numeric`` in PostgreSQL.
    return totals.select(
        kpi=ibis.literal(kpi.id, "string"),
        part=ibis.literal(part, "string"),
        anchor=totals.anchor_key,
        category=totals.category_key,
        **{
            name: (totals[name] if name in totals.columns else ibis.null(kind)).cast(kind)
            for name, kind in (("n", "int64"), ("numerator", "int64"), ("amount", "float64"))
        },
    )


def _rate_sums(t: Table) -> dict[str, Any]:
    if "denominator" in t.columns:  # counted already: numerator and denominator per row
        return {"n": _total(t.denominator), "numerator": _total(t.numerator)}
    return {
        "n": _total(t.weight),
        "numerator": _total(ibis.ifelse(t.is_numerator.fill_null(False), t.weight, 0)),
    }


def anchored_sums(kpi: Kpi, facts: Facts) -> list[Table]:
    """The engine expressions summing ``kpi``'s facts per anchor (and category)."""
    if kpi.kind is Kind.RATE:
        return [_sums(kpi, "cohort", facts["cohort"], "service_id", None, _rate_sums)]
    if kpi.kind is Kind.COUNT:
        return [
            _sums(kpi, "rows", facts["rows"], "service_id", None, lambda t: {"n": _total(t.amount)})
        ]
    if kpi.kind in (Kind.COUNTS, Kind.SNAPSHOT):
        category = "category" if kpi.kind is Kind.COUNTS else "band"
        return [
            _sums(
                kpi,
                "rows",
                facts["rows"],
                "service_id",
                category,
                lambda t: {"n": _total(t.weight)},
            )
        ]
    if kpi.kind is Kind.RATIO:
        return [
            _sums(
                kpi,
                "rows",
                facts["rows"],
                "service_id",
                None,
                lambda t: {"n": _total(t.cases), "amount": t.cost.cast("float64").sum()},
            )
        ]
    return [
        _sums(
            kpi, "requests", facts["requests"], "service_id", "quintile", lambda t: {"n": t.count()}
        ),
        _sums(
            kpi,
            POPULATION_PART,
            facts["population"],
            "health_board",
            "quintile",
            lambda t: {"n": _total(t.population)},
        ),
    ]


def evaluate(
    inputs: KpiInputs, kpis: Iterable[Kpi], progress: Callable[[Kpi], None] | None = None
) -> dict[str, Rows]:
    """The anchored sums of every KPI of ``kpis``, from one query (kept with the inputs)."""
    known: dict[str, Rows] = inputs._cache.setdefault("sums", {})
    wanted = [kpi for kpi in kpis if kpi.id not in known]
    parts: list[Table] = []
    for kpi in wanted:
        if progress is not None:
            progress(kpi)
        parts.extend(anchored_sums(kpi, kpi.facts(inputs)))
    if parts:
        union = parts[0] if len(parts) == 1 else ibis.union(*parts)
        for kpi in wanted:
            known[kpi.id] = []
        for row in union.to_pyarrow().to_pylist():
            known[row["kpi"]].append(row)
    return {kpi.id: known[kpi.id] for kpi in kpis}


# --- the Python side: roll the sums up to a level and shape each kind's JSON ---------------------


@dataclass
class Totals:
    """The sums of one group: per (part, category), n, numerator and amount."""

    n: dict[tuple[str, str | None], int]
    numerator: dict[tuple[str, str | None], int]
    amount: dict[tuple[str, str | None], float]

    def count(self, part: str, category: str | None = None) -> int:
        return self.n.get((part, category), 0)

    def categories(self, part: str) -> dict[str | None, int]:
        return {category: n for (p, category), n in self.n.items() if p == part}


def roll_up(rows: Rows, groups: Groups, level: Level) -> dict[str, Totals]:
    """The anchored sums of one KPI summed into every group of ``level``."""
    totals: dict[str, Totals] = {}
    for row in rows:
        key = (row["part"], row["category"])
        for group in groups.of_anchor(row["part"], row["anchor"], level):
            into = totals.setdefault(
                group, Totals(defaultdict(int), defaultdict(int), defaultdict(float))
            )
            into.n[key] += row["n"] or 0
            into.numerator[key] += row["numerator"] or 0
            into.amount[key] += row["amount"] or 0.0
    return totals


def rate(numerator: int, denominator: int) -> Json:
    value = None if denominator == 0 else round(100 * numerator / denominator, RATE_DECIMALS)
    return {"numerator": numerator, "denominator": denominator, "value": value}


def cost_ratio(cost: float, cases: int) -> Json:
    value = None if cases == 0 else round(cost / cases, MONEY_DECIMALS)
    return {"cost": round(float(cost), MONEY_DECIMALS), "cases": cases, "value": value}


def _rate_json(kpi: Kpi, totals: Totals, inputs: KpiInputs) -> Json:
    return rate(totals.numerator.get(("cohort", None), 0), totals.count("cohort"))


def _count_json(kpi: Kpi, totals: Totals, inputs: KpiInputs) -> Json:
    return totals.count("rows")


def _counts_json(kpi: Kpi, totals: Totals, inputs: KpiInputs) -> Json:
    counts = {
        (UNKNOWN_CATEGORY if category is None else category): n
        for category, n in totals.categories("rows").items()
    }
    closed = kpi.categories(inputs) if kpi.categories else None
    return ordered_counts(counts, closed, kpi.with_total)


def ordered_counts(
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


def _snapshot_json(kpi: Kpi, totals: Totals, inputs: KpiInputs) -> Json:
    bands = {label: totals.count("rows", label) for label, _, _ in WAITING_BANDS}
    over = sum(bands[label] for label, lower, _ in WAITING_BANDS if lower >= MAXIMUM_WAIT_WEEKS)
    return {"total": sum(bands.values()), "over_14_weeks": over, "bands": bands}


def _ratio_json(kpi: Kpi, totals: Totals, inputs: KpiInputs) -> Json:
    return cost_ratio(totals.amount.get(("rows", None), 0.0), totals.count("rows"))


def _quintiles_json(kpi: Kpi, totals: Totals, inputs: KpiInputs) -> Json:
    requests = {_label(q): n for q, n in totals.categories("requests").items()}
    population = {_label(q): n for q, n in totals.categories(POPULATION_PART).items()}
    return access_by_quintile(requests, population)


def _label(quintile: str | None) -> str:
    return UNKNOWN_CATEGORY if quintile is None else quintile


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


Shaper = Callable[[Kpi, Totals, KpiInputs], Json]

SHAPERS: dict[Kind, Shaper] = {
    Kind.RATE: _rate_json,
    Kind.COUNT: _count_json,
    Kind.COUNTS: _counts_json,
    Kind.SNAPSHOT: _snapshot_json,
    Kind.RATIO: _ratio_json,
    Kind.QUINTILES: _quintiles_json,
}


def summarise(kpi: Kpi, rows: Rows, inputs: KpiInputs, level: Level) -> dict[str, Json]:
    """``kpi``'s JSON value in every group of ``level`` from its anchored sums."""
    groups = groups_of(inputs)
    totals = roll_up(rows, groups, level)
    empty = Totals({}, {}, {})
    return {
        key: SHAPERS[kpi.kind](kpi, totals.get(key, empty), inputs) for key in groups.keys(level)
    }
