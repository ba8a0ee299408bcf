"""Demand: every request of a run drawn up front, with the random numbers its journey will use.

Requests arrive at the single point of access as a Poisson process per source whose daily rate follows
the scenario's volume, weekday pattern (professional referrals on weekdays, self-referrals also at
weekends) and month pattern (seasonal dips in August and December), at uniform times within each
source's receipt hours. Each request gets a case profile (and so, via the core triage engine, a
priority, pathway and band group), a condition code, an age and sex.

**Common random numbers.** Each request also carries its own row of uniform random numbers for
everything that may happen to it later (whether it is seen, how each appointment goes, how it exits,
whether it returns). A run with more clinicians therefore sees the very same people with the very same
luck, only at different times, which makes comparisons between staffing levels far less noisy and is
what the workforce planner's search relies on (``docs/workforce-planning.md``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Final

import numpy as np
from numpy.typing import NDArray

from imsk.sim.casemix import CaseDecision
from imsk.sim.clock import MINUTES_PER_DAY, ServiceClock
from imsk.sim.scenario import BAND_GROUPS, SEEN_PATHWAYS, SOURCES, Scenario

PATHWAYS: Final = (*SEEN_PATHWAYS, "redirected")
REDIRECTED: Final = len(SEEN_PATHWAYS)
SEXES: Final = ("female", "male", "other", "unknown")
SEX_MIX: Final = (0.58, 0.415, 0.002, 0.003)
SELF_LIKE: Final = frozenset({"self", "nhs111"})

# Layout of each request's row of uniforms.
U_SEEN, U_EXIT, U_OUTCOME, U_RETURN, U_RETURN_TIME = 0, 1, 2, 3, 4
U_ONWARD, U_SUBSPECIALTY, U_ROUTE, U_CONVERTED = 5, 6, 7, 8
U_APPOINTMENTS = 9
APPOINTMENT_DRAWS = 3  # outcome, mode, discharge after DNA
APPOINTMENTS_DRAWN = 10
ROW_WIDTH: Final = U_APPOINTMENTS + APPOINTMENT_DRAWS * APPOINTMENTS_DRAWN


@dataclass
class Requests:
    """Every request of a run, one Python list per attribute (returns are appended during the run)."""

    received: list[float] = field(default_factory=list)
    source: list[int] = field(default_factory=list)
    has_category: list[bool] = field(default_factory=list)
    profile: list[int] = field(default_factory=list)
    urgent: list[bool] = field(default_factory=list)
    pathway: list[int] = field(default_factory=list)
    band_group: list[int] = field(default_factory=list)  # index into BAND_GROUPS; -1 redirected
    age: list[int] = field(default_factory=list)
    sex: list[int] = field(default_factory=list)
    code: list[str] = field(default_factory=list)
    person: list[int] = field(default_factory=list)
    follow_ups: list[int] = field(default_factory=list)
    draws: list[list[float]] = field(default_factory=list)
    returned_from: list[int] = field(default_factory=list)  # -1 for a new request

    def __len__(self) -> int:
        return len(self.received)


@dataclass(frozen=True)
class DecisionArrays:
    """The engine's decisions as lookup arrays indexed [profile, source, has category]."""

    urgent: NDArray[np.bool_]
    pathway: NDArray[np.int64]
    band_group: NDArray[np.int64]

    @classmethod
    def of(cls, table: dict[tuple[int, int, bool], CaseDecision], profiles: int) -> DecisionArrays:
        shape = (profiles, len(SOURCES), 2)
        urgent = np.zeros(shape, dtype=np.bool_)
        pathway = np.zeros(shape, dtype=np.int64)
        band = np.full(shape, -1, dtype=np.int64)
        for (p, s, with_category), decision in table.items():
            cells = [(p, s, 1), (p, s, 0)] if s != 0 else [(p, s, int(with_category))]
            for cell in cells:
                urgent[cell] = decision.urgent
                pathway[cell] = PATHWAYS.index(decision.pathway)
                if decision.band_group is not None:
                    band[cell] = BAND_GROUPS.index(decision.band_group)
        return cls(urgent, pathway, band)


def _normalised(weights: tuple[float, ...]) -> NDArray[np.float64]:
    values = np.array(weights, dtype=np.float64)
    return np.asarray(values * (values.shape[0] / float(values.sum())), dtype=np.float64)


def daily_rates(scenario: Scenario, clock: ServiceClock) -> NDArray[np.float64]:
    """Expected requests per (day, source) over the whole run (growth applied)."""
    demand = scenario.demand
    growth = 1.0 + scenario.changes.demand_growth_pct / 100.0
    per_day = demand.requests_per_year * growth / 365.25
    days = np.arange(clock.days)
    as_dates = np.datetime64(clock.first_day.isoformat()) + days.astype("timedelta64[D]")
    weekday = (as_dates.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday
    month = as_dates.astype("datetime64[M]").astype(np.int64) % 12
    month_factor = _normalised(demand.month_weights)[month]
    professional = _normalised(demand.weekday_weights)[weekday]
    self_like = _normalised(demand.self_weekday_weights)[weekday]
    shares = np.array([demand.source_mix[s] for s in SOURCES])
    pattern = np.where(
        np.array([s in SELF_LIKE for s in SOURCES])[None, :],
        self_like[:, None],
        professional[:, None],
    )
    return np.asarray(per_day * month_factor[:, None] * pattern * shares[None, :], dtype=np.float64)


def draw_requests(
    scenario: Scenario,
    clock: ServiceClock,
    decisions: DecisionArrays,
    rng: np.random.Generator,
    *,
    days: int,
) -> Requests:
    """Every new request of the first ``days`` days, sorted by receipt time, with decision and draws."""
    rates = daily_rates(scenario, clock)[:days]
    counts = rng.poisson(rates)
    day, source = np.nonzero(counts)
    repeat = counts[day, source]
    day = np.repeat(day, repeat)
    source = np.repeat(source, repeat)
    hours = np.array(
        [
            scenario.demand.self_hours if s in SELF_LIKE else scenario.demand.professional_hours
            for s in SOURCES
        ]
    )
    low, high = hours[source, 0], hours[source, 1]
    minute = day * MINUTES_PER_DAY + (low + rng.random(day.shape[0]) * (high - low)) * 60.0
    order = np.argsort(minute, kind="stable")
    return _attributes(scenario, decisions, minute[order], source[order], rng)


def _attributes(
    scenario: Scenario,
    decisions: DecisionArrays,
    minute: NDArray[np.float64],
    source: NDArray[np.int64],
    rng: np.random.Generator,
) -> Requests:
    n = minute.shape[0]
    demand = scenario.demand
    profiles = demand.case_mix
    shares = np.array([p.share for p in profiles])
    profile = np.asarray(rng.choice(len(profiles), size=n, p=shares / shares.sum()), dtype=np.int64)
    keep_category = rng.random(n) >= demand.self_referral_without_category
    has_category = (source != 0) | keep_category
    cell = (profile, source, has_category.astype(np.int64))
    urgent = decisions.urgent[cell]
    pathway = decisions.pathway[cell].copy()
    shift = scenario.changes.self_management_shift_pct / 100.0
    moved = (pathway == SEEN_PATHWAYS.index("assess_and_support")) & ~urgent
    pathway[moved & (rng.random(n) < shift)] = SEEN_PATHWAYS.index("self_management")
    fixed_age = np.array([-1 if p.age is None else p.age for p in profiles])[profile]
    drawn_age = np.clip(np.rint(rng.normal(demand.age_mean, demand.age_sd, n)), 18, 100)
    code_pick = np.asarray(rng.random(n), dtype=np.float64)
    follow_mean = np.array([scenario.pathways[p].follow_ups_mean for p in SEEN_PATHWAYS] + [0.0])
    requests = Requests(
        received=minute.tolist(),
        source=source.tolist(),
        has_category=has_category.tolist(),
        profile=profile.tolist(),
        urgent=urgent.tolist(),
        pathway=pathway.tolist(),
        band_group=decisions.band_group[cell].tolist(),
        age=np.where(fixed_age >= 0, fixed_age, drawn_age).astype(np.int64).tolist(),
        sex=np.asarray(rng.choice(len(SEXES), size=n, p=SEX_MIX), dtype=np.int64).tolist(),
        code=[
            profiles[p].condition_codes[math.floor(u * len(profiles[p].condition_codes))]
            for p, u in zip(profile.tolist(), code_pick.tolist(), strict=True)
        ],
        person=list(range(n)),
        follow_ups=rng.poisson(follow_mean[pathway]).tolist(),
        draws=rng.random((n, ROW_WIDTH)).tolist(),
        returned_from=[-1] * n,
    )
    return requests


def add_return(
    requests: Requests,
    parent: int,
    minute: float,
    seed: tuple[int, int],
    follow_ups_mean: float,
) -> int:
    """Append a SOS or PIFU return of request ``parent``: same person, condition, pathway, band.

    Its own draws come from a generator seeded by (run seed, replication, parent), so they do not
    depend on when the return happens.
    """
    rng = np.random.default_rng([*seed, 0x5EE, parent])
    pathway = requests.pathway[parent]
    requests.received.append(minute)
    requests.source.append(0)  # the person comes back themselves
    requests.has_category.append(False)
    requests.profile.append(requests.profile[parent])
    requests.urgent.append(False)
    requests.pathway.append(pathway)
    requests.band_group.append(requests.band_group[parent])
    requests.age.append(requests.age[parent])
    requests.sex.append(requests.sex[parent])
    requests.code.append(requests.code[parent])
    requests.person.append(requests.person[parent])
    requests.follow_ups.append(int(rng.poisson(follow_ups_mean)))
    requests.draws.append(rng.random(ROW_WIDTH).tolist())
    requests.returned_from.append(parent)
    return len(requests) - 1
