"""EQ-5D: the EuroQol health profile, its index values and the EQ VAS.

EQ-5D describes health on five dimensions, written as a five-digit profile in this order: mobility
(MO), self-care (SC), usual activities (UA), pain/discomfort (PD) and anxiety/depression (AD). In the
5L version each digit is a level 1 (no problems) to 5 (extreme problems/unable); in the older 3L
version, 1 to 3. The profile itself is not a score: a **value set** (population preferences) turns it
into an index where 1 = full health, 0 = as bad as dead and negative values are worse than dead.
Which value set produced a stored index must always be recorded: the same profile scores 0.812 under
one and 0.730 under another. The EQ VAS (0-100, 100 = best imaginable health) is the person's own
rating and is stored beside the index.

Value sets (:class:`ValueSet`):

* ``uk_5l_rowen_2026`` (default): Rowen D, Mukuria C, Bray N, et al. A UK value set for the
  EQ-5D-5L. Value Health 2026;29(5):858-869, doi:10.1016/j.jval.2026.03.008. The direction NICE
  took in 2026. Coefficients as published in ``fragla/eq5d`` and ``MathsinHealth/eq5dsuite-value-sets``
  (two independent packages agree); re-check against the paper's table before production [U].
* ``england_5l_devlin_2018``: Devlin NJ, Shah KK, Feng Y, Mulhern B, van Hout B. Health Econ
  2018;27(1):7-22, doi:10.1002/hec.3564 (legacy; not recommended by NICE since 2019).
* ``uk_3l_dolan_1997``: Dolan P. Med Care 1997;35(11):1095-108, for 3L profiles (digits 1-3).
* ``uk_3l_vanhout_crosswalk`` and ``uk_3l_nice_dsu_mapping``: 5L profiles expressed on the 3L UK
  scale through tables the user supplies (see :mod:`imsk.core.instruments.eq5d_mapping`).

The three additive value sets are a handful of published coefficients, held here in **thousandths**
so the arithmetic is exact integers: 55555 under UK 2026 is exactly -0.567, with no float noise.

Licence: the EQ-5D instrument and its wording belong to the EuroQol Research Foundation (registration
required); no wording is included here. Value sets are published research results, cited above.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from imsk.core.errors import ResponseOutOfRangeError, ScoringError, UnknownInstrumentError
from imsk.core.instruments.eq5d_mapping import (
    CrosswalkTable,
    DsuMappingTable,
    Sex,
    age_band_for,
)
from imsk.core.instruments.result import InstrumentResult, require_in_range

INSTRUMENT_5L = "eq5d5l"
INSTRUMENT_3L = "eq5d3l"
VERSION_5L = "eq5d-5l"
VERSION_3L = "eq5d-3l"
DIMENSIONS = ("MO", "SC", "UA", "PD", "AD")
DIMENSION_NAMES = {
    "MO": "mobility",
    "SC": "self-care",
    "UA": "usual activities",
    "PD": "pain/discomfort",
    "AD": "anxiety/depression",
}


class ValueSet(StrEnum):
    """The selectable, versioned ways of turning a profile into an index."""

    UK_5L_ROWEN_2026 = "uk_5l_rowen_2026"
    ENGLAND_5L_DEVLIN_2018 = "england_5l_devlin_2018"
    UK_3L_DOLAN_1997 = "uk_3l_dolan_1997"
    UK_3L_VANHOUT_CROSSWALK = "uk_3l_vanhout_crosswalk"
    UK_3L_NICE_DSU_MAPPING = "uk_3l_nice_dsu_mapping"


DEFAULT_VALUE_SET = ValueSet.UK_5L_ROWEN_2026


@dataclass(frozen=True)
class AdditiveValueSet:
    """An additive value set in thousandths: index = 1 - constants - per-dimension decrements.

    ``decrements[dimension][k]`` is the decrement for level ``k + 2`` (level 1 is always 0).
    ``any_problem`` applies once if any dimension is above level 1; ``any_level_3`` (Dolan's N3)
    once if any dimension is at level 3.
    """

    name: ValueSet
    levels: int
    decrements: Mapping[str, tuple[int, ...]]
    citation: str
    any_problem: int = 0
    any_level_3: int = 0

    def index_thousandths(self, levels: tuple[int, ...]) -> int:
        """The index in thousandths for a parsed profile (levels 1..``self.levels``)."""
        loss = sum(
            self.decrements[dimension][level - 2]
            for dimension, level in zip(DIMENSIONS, levels, strict=True)
            if level > 1
        )
        if any(level > 1 for level in levels):
            loss += self.any_problem
        if any(level == 3 for level in levels):
            loss += self.any_level_3
        return 1000 - loss


UK_5L_ROWEN_2026 = AdditiveValueSet(
    name=ValueSet.UK_5L_ROWEN_2026,
    levels=5,
    decrements={
        "MO": (32, 58, 179, 279),
        "SC": (38, 60, 162, 206),
        "UA": (49, 86, 184, 212),
        "PD": (56, 66, 371, 479),
        "AD": (41, 126, 313, 391),
    },
    citation="Rowen D et al. Value Health 2026;29(5):858-869, doi:10.1016/j.jval.2026.03.008",
)

ENGLAND_5L_DEVLIN_2018 = AdditiveValueSet(
    name=ValueSet.ENGLAND_5L_DEVLIN_2018,
    levels=5,
    decrements={
        "MO": (58, 76, 207, 274),
        "SC": (50, 80, 164, 203),
        "UA": (50, 63, 162, 184),
        "PD": (63, 84, 276, 335),
        "AD": (78, 104, 285, 289),
    },
    citation="Devlin NJ et al. Health Econ 2018;27(1):7-22, doi:10.1002/hec.3564",
)

UK_3L_DOLAN_1997 = AdditiveValueSet(
    name=ValueSet.UK_3L_DOLAN_1997,
    levels=3,
    decrements={
        "MO": (69, 314),
        "SC": (104, 214),
        "UA": (36, 94),
        "PD": (123, 386),
        "AD": (71, 236),
    },
    citation="Dolan P. Med Care 1997;35(11):1095-108, doi:10.1097/00005650-199711000-00002",
    any_problem=81,
    any_level_3=269,
)

ADDITIVE_VALUE_SETS: dict[ValueSet, AdditiveValueSet] = {
    ValueSet.UK_5L_ROWEN_2026: UK_5L_ROWEN_2026,
    ValueSet.ENGLAND_5L_DEVLIN_2018: ENGLAND_5L_DEVLIN_2018,
    ValueSet.UK_3L_DOLAN_1997: UK_3L_DOLAN_1997,
}


@dataclass(frozen=True)
class Eq5dMappingInputs:
    """What the table-based value sets need: the tables, and for the DSU mapping age and sex."""

    crosswalk: CrosswalkTable | None = None
    dsu_mapping: DsuMappingTable | None = None
    age: int | None = None
    sex: Sex | None = None


def value_set_named(name: str) -> ValueSet:
    """The :class:`ValueSet` called ``name``; an unknown name lists the known ones."""
    try:
        return ValueSet(name)
    except ValueError:
        known = ", ".join(ValueSet)
        raise UnknownInstrumentError(f"unknown EQ-5D value set {name!r}; known: {known}") from None


def parse_profile(profile: str, levels: int = 5) -> tuple[int, ...]:
    """The five levels of a profile such as ``"21232"``; errors name the dimension at fault."""
    text = profile.strip()
    if len(text) != len(DIMENSIONS):
        raise ResponseOutOfRangeError(
            f"EQ-5D profile {profile!r}: expected 5 digits (MO SC UA PD AD), got {len(text)}"
        )
    parsed = []
    for dimension, digit in zip(DIMENSIONS, text, strict=True):
        if not ("1" <= digit <= str(levels)):
            raise ResponseOutOfRangeError(
                f"EQ-5D profile {profile!r}: dimension {dimension} ({DIMENSION_NAMES[dimension]}) "
                f"is {digit!r}, expected a level 1-{levels}"
            )
        parsed.append(int(digit))
    return tuple(parsed)


def eq5d_index(
    profile: str,
    value_set: ValueSet = DEFAULT_VALUE_SET,
    mapping: Eq5dMappingInputs | None = None,
) -> float:
    """The index of ``profile`` under ``value_set`` (3 d.p. for additive sets; DSU values as given)."""
    additive = ADDITIVE_VALUE_SETS.get(value_set)
    if additive is not None:
        return additive.index_thousandths(parse_profile(profile, additive.levels)) / 1000
    state = "".join(str(level) for level in parse_profile(profile, 5))
    inputs = mapping or Eq5dMappingInputs()
    if value_set is ValueSet.UK_3L_VANHOUT_CROSSWALK:
        if inputs.crosswalk is None:
            raise ScoringError(f"value set {value_set}: no crosswalk table was given")
        return inputs.crosswalk.index_for(state)
    if inputs.dsu_mapping is None:
        raise ScoringError(f"value set {value_set}: no NICE DSU mapping table was given")
    if inputs.age is None or inputs.sex is None:
        raise ScoringError(f"value set {value_set}: needs the person's age and sex")
    return inputs.dsu_mapping.utility_for(state, age_band_for(inputs.age), inputs.sex)


def score_eq5d(
    profile: str,
    value_set: ValueSet = DEFAULT_VALUE_SET,
    *,
    vas: int | None = None,
    mapping: Eq5dMappingInputs | None = None,
) -> InstrumentResult:
    """Score an EQ-5D profile (and optional EQ VAS 0-100) under a versioned value set."""
    index = eq5d_index(profile, value_set, mapping)
    subscores: dict[str, int] = {}
    if vas is not None:
        subscores["vas"] = require_in_range(vas, 0, 100, where="EQ VAS")
    details: dict[str, str] = {"profile": profile.strip()}
    if value_set is ValueSet.UK_3L_NICE_DSU_MAPPING and mapping and mapping.age and mapping.sex:
        details["age_band"] = age_band_for(mapping.age).value
        details["sex"] = mapping.sex.value
    is_3l = value_set is ValueSet.UK_3L_DOLAN_1997
    return InstrumentResult(
        INSTRUMENT_3L if is_3l else INSTRUMENT_5L,
        VERSION_3L if is_3l else VERSION_5L,
        index,
        value_set=value_set.value,
        subscores=subscores,
        details=details,
    )
