"""Drawing requests: who asks, when, from where, about what, and what the triager knows.

One chunk of requests is drawn from the :class:`~imsk.synth.world.World` with a chunk-local pool of
people (so a person's repeat requests stay in one chunk, and chunks are independent). People are drawn
from the population cells (LSOA x single year of age) weighted by the consultation-rate ratios;
requests by source from the source mix, on a day drawn from the seasonal and weekday pattern of that
kind of source. Condition codes, risk groups and the other triage facts follow; the triage engine's
decision is then mapped back (see :mod:`imsk.synth.triage_map`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from imsk.synth.config import CATEGORIES, RISK_GROUPS, SEXES, SOURCES, SynthConfig
from imsk.synth.geography import AGES, MAX_AGE
from imsk.synth.sampling import choice, draw
from imsk.synth.triage_map import RED_FLAG_MIX, Decisions
from imsk.synth.world import World

IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

SELF = SOURCES.index("self")
CODED_BY_REFERRER, CODED_AT_TRIAGE, CODED_AT_FIRST_CONTACT = 0, 1, 2
REPEAT_SAME_CONDITION = 0.5
_INJURY_CODES = frozenset(
    {
        "REHAB.FRACTURE",
        "REHAB.INJURY",
        "FOOTANKLE.SPRAIN",
        "BONE.FRAGILITY_FRACTURE",
        "NECK.WHIPLASH",
    }
)
_SURGERY_CODES = frozenset({"REHAB.POSTOP"})


def mix_choice(
    rng: np.random.Generator, mix: dict[str, float], order: tuple[str, ...], size: int
) -> IntArray:
    return choice(rng, [mix[name] for name in order], size)


@dataclass
class Requests:
    """One chunk of requests as arrays (row i of every array is request i)."""

    number: IntArray  # global request number, 1-based
    person: NDArray[np.uint64]  # pseudonymised person key
    service: IntArray
    received: IntArray  # minutes since 1970 (local time)
    source: IntArray
    practice: IntArray  # -1 = null
    category: IntArray  # -1 = null
    age: IntArray
    sex: IntArray
    lsoa: IntArray
    quintile: IntArray
    code: IntArray  # the condition as finally coded (index into the code list)
    initial_code: IntArray
    coded_stage: IntArray
    start_back: IntArray  # 0 = not recorded, 1..3 = low, medium, high
    start_msk: IntArray
    decisions: Decisions

    @property
    def size(self) -> int:
        return int(self.number.shape[0])

    @property
    def received_day(self) -> IntArray:
        return self.received // 1440


def pseudonym(seed: int, values: IntArray) -> NDArray[np.uint64]:
    """A keyed SplitMix64 bijection: distinct person numbers give distinct 64-bit keys."""
    with np.errstate(over="ignore"):
        z = values.astype(np.uint64) + np.uint64(0x9E3779B97F4A7C15) * np.uint64(seed + 1)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def _received(world: World, rng: np.random.Generator, source: IntArray) -> IntArray:
    is_self = source == SELF
    size = source.shape[0]
    day = np.where(
        is_self, draw(rng, world.day_self, size), draw(rng, world.day_professional, size)
    )
    day = day + world.start_day
    minute = np.where(
        is_self,
        7 * 60 + rng.integers(0, 16 * 60, source.shape[0]),
        8 * 60 + rng.integers(0, 600, source.shape[0]),
    )
    return day * 1440 + minute


def _conditions(world: World, rng: np.random.Generator, size: int) -> IntArray:
    codes = world.codes
    group = draw(rng, codes.group_table, size)
    code = np.zeros(size, dtype=np.int64)
    for g, members in enumerate(codes.codes_by_group):
        rows = group == g
        code[rows] = members[draw(rng, codes.code_table_by_group[g], int(rows.sum()))]
    return code


def _initial_codes(world: World, rng: np.random.Generator, code: IntArray) -> IntArray:
    """The code recorded first: another code of the same group for the requests recoded later."""
    codes = world.codes
    initial = code.copy()
    recoded = rng.random(code.shape[0]) < world.config.recode_share
    group = codes.group_of[code]
    for g, members in enumerate(codes.codes_by_group):
        rows = np.flatnonzero(recoded & (group == g))
        if members.shape[0] > 1 and rows.size:
            initial[rows] = members[rng.integers(0, members.shape[0], rows.size)]
    return initial


def _coded_stage(config: SynthConfig, rng: np.random.Generator, source: IntArray) -> IntArray:
    draw = rng.random(source.shape[0])
    uncoded = config.uncoded_at_triage_share
    by_referrer = (source != SELF) & (rng.random(source.shape[0]) < config.coded_by_referrer_share)
    stage = np.where(by_referrer, CODED_BY_REFERRER, CODED_AT_TRIAGE)
    return np.where(draw < uncoded, CODED_AT_FIRST_CONTACT, stage).astype(np.int64)


def _risk(
    rng: np.random.Generator, mix: dict[str, float], share: float, eligible: BoolArray
) -> IntArray:
    group = mix_choice(rng, mix, RISK_GROUPS, eligible.shape[0]) + 1
    recorded = eligible & (rng.random(eligible.shape[0]) < share)
    return np.where(recorded, group, 0).astype(np.int64)


def _member(codes: list[str], names: frozenset[str], code: IntArray) -> BoolArray:
    flags = np.array([c in names for c in codes], dtype=np.bool_)
    return flags[code]


def _facts(world: World, rng: np.random.Generator, r: Requests) -> dict[str, IntArray]:
    config, n = world.config, r.size
    codes = world.codes.codes
    groups = world.codes.groups
    group = world.codes.group_of[r.code]
    high_pain = rng.random(n)
    impact = np.where(high_pain < config.acute_high_pain_share, 2, 0)
    impact = np.where(
        (high_pain >= config.acute_high_pain_share)
        & (high_pain < 2.5 * config.acute_high_pain_share),
        1,
        impact,
    )
    red_flag = np.where(
        rng.random(n) < config.red_flag_share, choice(rng, list(RED_FLAG_MIX), n) + 1, 0
    )
    if "INFLAM" in groups:
        inflam = (group == groups.index("INFLAM")) & (rng.random(n) < 0.5)
        red_flag = np.where(inflam & (red_flag == 0), 5, red_flag)
    activation_draw = rng.random(n)
    activation = np.where(
        activation_draw < config.activation_unknown_share,
        0,
        np.where(rng.random(n) < config.activation_high_share, 2, 1),
    )
    known_code = np.where(r.coded_stage < CODED_AT_FIRST_CONTACT, r.initial_code + 1, 0)
    return {
        "source": r.source,
        "category": r.category + 1,
        "age": r.age,
        "red_flag": red_flag.astype(np.int64),
        "surgery": (_member(codes, _SURGERY_CODES, r.code) & (rng.random(n) < 0.9)).astype(
            np.int64
        ),
        "injury": (_member(codes, _INJURY_CODES, r.code) & (rng.random(n) < 0.8)).astype(np.int64),
        "impact": impact.astype(np.int64),
        "subspecialty": (rng.random(n) < config.subspecialty_criteria_share).astype(np.int64),
        "start_back": r.start_back,
        "start_msk": r.start_msk,
        "activation": activation.astype(np.int64),
        "code": known_code.astype(np.int64),
    }


def draw_requests(
    world: World, rng: np.random.Generator, size: int, first_number: int, seed: int
) -> Requests:
    """``size`` requests numbered from ``first_number``, sorted by receipt."""
    config = world.config
    people = max(1, min(size, round(size / config.requests_per_person)))
    # Sorted keys make the search cache-friendly; people are exchangeable, so order does not matter.
    cell = np.searchsorted(world.cell_cum, np.sort(rng.random(people)), side="right")
    cell = np.minimum(cell, world.cell_cum.shape[0] - 1)
    person_lsoa, person_age = np.divmod(cell.astype(np.int64), AGES)
    person_age = np.where(person_age == MAX_AGE, MAX_AGE + rng.integers(0, 8, people), person_age)
    person_sex = mix_choice(rng, config.sex_mix, SEXES, people)
    person = np.concatenate([np.arange(people), rng.integers(0, people, size - people)]).astype(
        np.int64
    )

    code = _conditions(world, rng, size)
    repeat = (np.arange(size) >= people) & (rng.random(size) < REPEAT_SAME_CONDITION)
    code = np.where(repeat, code[person], code)
    source = mix_choice(rng, config.source_mix, SOURCES, size)
    received = _received(world, rng, source)
    order = np.argsort(received, kind="stable")
    person, code, source, received = person[order], code[order], source[order], received[order]

    lsoa = person_lsoa[person]
    years = (received // 1440 - world.start_day) // 365
    category = mix_choice(rng, config.category_mix, CATEGORIES, size)
    no_category = (source == SELF) & (rng.random(size) < config.self_referral_without_category)
    practice = world.lsoa_practice[lsoa]
    group = world.codes.group_of[code]
    is_back = np.zeros(size, dtype=np.bool_)
    if "BACK" in world.codes.groups:
        is_back = group == world.codes.groups.index("BACK")
    requests = Requests(
        number=np.arange(first_number, first_number + size, dtype=np.int64),
        person=pseudonym(seed, person + first_number),
        service=world.lsoa_service[lsoa],
        received=received,
        source=source,
        practice=np.where(rng.random(size) < config.missing_practice_share, -1, practice),
        category=np.where(no_category, -1, category),
        age=person_age[person] + years,
        sex=person_sex[person],
        lsoa=lsoa,
        quintile=world.geography.quintile[lsoa],
        code=code,
        initial_code=_initial_codes(world, rng, code),
        coded_stage=_coded_stage(config, rng, source),
        start_back=_risk(rng, config.start_back_mix, config.start_back_share, is_back),
        start_msk=_risk(rng, config.start_msk_mix, config.start_msk_share, ~is_back),
        decisions=Decisions(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64)),
    )
    requests.decisions = world.mapper.decide(_facts(world, rng, requests))
    return requests
