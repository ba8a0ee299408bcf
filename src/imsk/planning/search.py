"""The least FTE by band that meets the waiting-time targets, found by simulation.

Question (Wales specification 2.5: "a workforce planning toolkit aligned to the rehab demand modelling
tool"): for a demand forecast (a scenario with its ``changes``), how many whole-time clinicians of
bands 5-6 and of band 7+ does the service need so that, for example, 90 % of routine requests have a
first contact within 6 weeks and urgent requests within 10 working days (section 2.3)?

Method (``docs/workforce-planning.md``):

1. **Workload.** One run with plenty of clinicians gives each band's workload in FTE (clinician minutes
   used ÷ minutes one FTE offers): fewer clinicians than that and the queue grows without limit, so it
   is the lower end of the search.
2. **Search with common random numbers.** For each band (the bands have separate clinicians and
   queues, so they are planned one at a time, the other band kept generous) FTE levels on a grid of
   ``step`` are simulated with the same R seeds: the same people with the same luck, only more or
   fewer clinicians. The grid is searched upwards by doubling from the workload until the targets are
   met, then by bisection, assuming that more clinicians never make the measured shares worse (checked
   in ``tests/planning``). A level *meets* the targets when the mean over the replications of each
   share is at least its target.
3. **Trade-off curve.** The levels evaluated, plus a few either side of the answer, give the curve of
   FTE against % within target (``imsk plan`` draws it).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any

from imsk.core.errors import PlanningError
from imsk.core.triage import RuleSet
from imsk.sim.model import effective
from imsk.sim.runner import Task, run_tasks
from imsk.sim.scenario import BAND_GROUPS, Changes, Scenario
from imsk.sim.summary import Estimate

_GENEROUS_FACTOR = 3.0
_GENEROUS_MINIMUM = 10.0


@dataclass(frozen=True)
class Targets:
    """Shares in percent: routine first contact within ``routine_weeks``; urgent within 10 WD."""

    routine_weeks: float = 6.0
    routine_share: float = 90.0
    urgent_share: float = 95.0

    def __post_init__(self) -> None:
        if not self.routine_weeks > 0:
            raise PlanningError(f"routine_weeks must be above 0; got {self.routine_weeks}")
        for name in ("routine_share", "urgent_share"):
            value = getattr(self, name)
            if not 0 < value <= 100:
                raise PlanningError(f"{name} must be a percentage in (0, 100]; got {value}")


@dataclass(frozen=True)
class Point:
    """One FTE level: the measured shares (with intervals) and whether the targets are met."""

    fte: float
    routine: Estimate
    urgent: Estimate
    meets: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "fte": self.fte,
            "routine_within_target": self.routine.as_dict(),
            "urgent_within_10wd": self.urgent.as_dict(),
            "meets_targets": self.meets,
        }


@dataclass(frozen=True)
class BandPlan:
    """The answer for one band group; ``least_fte`` is None when no level up to the cap works."""

    band_group: str
    workload_fte: float
    least_fte: float | None
    points: tuple[Point, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "workload_fte": round(self.workload_fte, 3),
            "least_fte": self.least_fte,
            "points": [p.as_dict() for p in self.points],
        }


@dataclass(frozen=True)
class Plan:
    targets: Targets
    replications: int
    seed: int
    step: float
    bands: dict[str, BandPlan] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "targets": dataclasses.asdict(self.targets),
            "replications": self.replications,
            "seed": self.seed,
            "step_fte": self.step,
            "bands": {name: plan.as_dict() for name, plan in self.bands.items()},
        }


@dataclass
class _Search:
    base: Scenario
    ruleset: RuleSet
    targets: Targets
    replications: int
    seed: int
    workers: int
    generous: dict[str, float]
    cache: dict[tuple[str, float], Point] = field(default_factory=dict)

    def scenario_with(self, group: str, fte: float) -> Scenario:
        bands = {
            g: dataclasses.replace(c, fte=fte if g == group else self.generous[g])
            for g, c in self.base.clinics.bands.items()
        }
        return dataclasses.replace(
            self.base, clinics=dataclasses.replace(self.base.clinics, bands=bands)
        )

    def evaluate(self, group: str, fte: float) -> Point:
        key = (group, round(fte, 6))
        if key not in self.cache:
            scenario = self.scenario_with(group, fte)
            tasks = [
                Task(scenario, self.seed, r, self.ruleset, self.targets.routine_weeks)
                for r in range(self.replications)
            ]
            runs = run_tasks(tasks, self.workers)
            routine = Estimate.of([m.scalars[f"routine_seen_within_target_{group}"] for m in runs])
            urgent = Estimate.of([m.scalars[f"urgent_seen_10wd_{group}"] for m in runs])
            meets = _meets(routine, self.targets.routine_share) and _meets(
                urgent, self.targets.urgent_share
            )
            self.cache[key] = Point(fte, routine, urgent, meets)
        return self.cache[key]


def _meets(estimate: Estimate, target: float) -> bool:
    """Mean share at least the target; a band with no such requests meets it trivially."""
    return math.isnan(estimate.mean) or estimate.mean >= target - 1e-9


def planning_base(scenario: Scenario) -> Scenario:
    """The forecast: the scenario's changes folded in (variants ignored), FTE left to the search."""
    folded = effective(scenario)
    kept = Changes(
        demand_growth_pct=scenario.changes.demand_growth_pct,
        self_management_shift_pct=scenario.changes.self_management_shift_pct,
    )
    return dataclasses.replace(folded, changes=kept, variants={})


def plan_workforce(
    scenario: Scenario,
    ruleset: RuleSet,
    targets: Targets,
    *,
    replications: int = 5,
    seed: int = 1,
    step: float = 0.5,
    workers: int = 2,
    max_fte: float = 500.0,
    curve_points: int = 2,
) -> Plan:
    """The least FTE of each band group meeting ``targets`` (see the module docstring)."""
    if replications < 1 or step <= 0:
        raise PlanningError("replications must be 1 or more and step above 0")
    base = planning_base(scenario)
    if base.calendar == "continuous":
        step = max(1.0, float(round(step)))  # whole servers on the continuous calendar
    generous = {
        g: max(_GENEROUS_FACTOR * c.fte, _GENEROUS_MINIMUM) for g, c in base.clinics.bands.items()
    }
    search = _Search(base, ruleset, targets, replications, seed, workers, generous)
    workload = _workload(search)
    bands = {}
    for group in BAND_GROUPS:
        least = _least(search, group, workload[group], step, max_fte)
        if least is not None:
            for k in range(-curve_points, curve_points + 1):
                if least + k * step >= step:
                    search.evaluate(group, least + k * step)
        points = tuple(
            sorted((p for (g, _), p in search.cache.items() if g == group), key=lambda p: p.fte)
        )
        bands[group] = BandPlan(group, workload[group], least, points)
    return Plan(targets, replications, seed, step, bands)


def _workload(search: _Search) -> dict[str, float]:
    """Each band's workload in FTE, from one generously staffed run."""
    scenario = dataclasses.replace(
        search.base,
        clinics=dataclasses.replace(
            search.base.clinics,
            bands={
                g: dataclasses.replace(c, fte=search.generous[g])
                for g, c in search.base.clinics.bands.items()
            },
        ),
    )
    (run,) = run_tasks([Task(scenario, search.seed, 0, search.ruleset)], 1)
    return {g: run.scalars[f"utilisation_{g}"] / 100.0 * search.generous[g] for g in BAND_GROUPS}


def _least(search: _Search, group: str, workload: float, step: float, cap: float) -> float | None:
    low = max(step, math.floor(workload / step) * step)
    if search.evaluate(group, low).meets:
        while low - step >= step and search.evaluate(group, low - step).meets:
            low -= step
        return low
    gap = step
    high = low + gap
    while True:
        if high > cap:
            return None
        if search.evaluate(group, high).meets:
            break
        low, gap = high, gap * 2
        high = low + gap
    while high - low > step + 1e-9:
        middle = low + round((high - low) / (2 * step)) * step
        if search.evaluate(group, middle).meets:
            high = middle
        else:
            low = middle
    return high
