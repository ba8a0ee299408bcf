"""EQ-5D-5L -> 3L lookups: the van Hout crosswalk and the NICE DSU (EEPRU) mapping.

Health economists often need a 5L answer expressed on the older 3L UK (Dolan 1997) scale, to compare
with historical data or because an appraisal asks for it. Two published lookups do this; both are
large tables that imsk does **not** ship: the user points imsk at a downloaded copy, the I/O layer
(:mod:`imsk.dataio.eq5d_tables`) reads the file and this module parses its text.

* **van Hout crosswalk** (van Hout B et al. Value Health 2012;15(5):708-15,
  doi:10.1016/j.jval.2012.02.008): one 3L index per 5L state (3125 rows) per country. Expected layout
  (as in the ``fragla/eq5d`` ``data-raw/CW.csv`` file): a header whose first column is the state and
  whose other columns are countries; imsk reads the ``UK`` column by default.
* **NICE DSU / EEPRU mapping** (Hernandez Alava M, Pudney S, Wailoo A. PharmacoEconomics
  2023;41(2):199-207, doi:10.1007/s40273-022-01218-7; model: Hernandez-Alava & Pudney, J Health Econ
  2017;55:139-52): the *expected* UK 3L utility for a 5L state, an age band and a sex, so 11111 maps to
  about 0.987, not 1. Expected layout: CSV with columns ``State``, ``Age`` (``18-34``, ``35-44``,
  ``45-54``, ``55-64``, ``65+``), ``Sex`` (``female``/``male``) and ``mapped_eq5d3l_uk_utility``;
  other columns are ignored. Values are kept exactly as given. NICE DSU asks users to cite both
  papers above.

Both parsers are strict: a malformed state, a duplicate, a bad number or an incomplete table is an
error naming the line, so a truncated download cannot silently score some states and not others.
"""

from __future__ import annotations

import csv
import io
import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from imsk.core.errors import ScoringError

DIMENSION_COUNT = 5
LEVELS_5L = 5
STATE_COUNT_5L = LEVELS_5L**DIMENSION_COUNT
ALL_5L_STATES = frozenset(
    "".join(levels) for levels in itertools.product("12345", repeat=DIMENSION_COUNT)
)
DSU_REQUIRED_COLUMNS = ("State", "Age", "Sex", "mapped_eq5d3l_uk_utility")
DSU_MIN_AGE = 18


class Eq5dTableError(ScoringError):
    """An EQ-5D crosswalk or mapping table is malformed or incomplete."""


class AgeBand(StrEnum):
    """The age bands of the NICE DSU mapping."""

    AGE_18_34 = "18-34"
    AGE_35_44 = "35-44"
    AGE_45_54 = "45-54"
    AGE_55_64 = "55-64"
    AGE_65_PLUS = "65+"


class Sex(StrEnum):
    """The two sexes the NICE DSU mapping was estimated for."""

    FEMALE = "female"
    MALE = "male"


_BAND_LOWER_AGES: tuple[tuple[int, AgeBand], ...] = (
    (65, AgeBand.AGE_65_PLUS),
    (55, AgeBand.AGE_55_64),
    (45, AgeBand.AGE_45_54),
    (35, AgeBand.AGE_35_44),
    (DSU_MIN_AGE, AgeBand.AGE_18_34),
)


def age_band_for(age: int) -> AgeBand:
    """The DSU age band of an age in whole years; under 18 is outside the table's bands [U]."""
    for lower, band in _BAND_LOWER_AGES:
        if age >= lower:
            return band
    raise ScoringError(f"age {age}: the NICE DSU mapping covers ages {DSU_MIN_AGE} and over")


def sex_named(name: str) -> Sex:
    """``female`` or ``male`` (any case) as a :class:`Sex`."""
    try:
        return Sex(name.strip().lower())
    except ValueError:
        raise ScoringError(f"sex {name!r}: expected 'female' or 'male'") from None


@dataclass(frozen=True)
class CrosswalkTable:
    """van Hout crosswalk values for one country: 5L state -> 3L index."""

    country: str
    values: Mapping[str, float]

    def index_for(self, state: str) -> float:
        """The crosswalk index of a five-digit 5L state."""
        if state not in self.values:
            raise ScoringError(f"EQ-5D state {state!r} is not in the crosswalk table")
        return self.values[state]


@dataclass(frozen=True)
class DsuMappingTable:
    """NICE DSU 5L -> 3L UK utilities keyed by (state, age band, sex)."""

    values: Mapping[tuple[str, AgeBand, Sex], float]

    def utility_for(self, state: str, band: AgeBand, sex: Sex) -> float:
        """The mapped utility of a five-digit 5L state for an age band and sex."""
        key = (state, band, sex)
        if key not in self.values:
            raise ScoringError(f"EQ-5D state {state!r} ({band}, {sex}) is not in the DSU table")
        return self.values[key]


def parse_crosswalk(text: str, country: str = "UK") -> CrosswalkTable:
    """Parse crosswalk CSV text (state column first, then one column per country)."""
    rows = csv.reader(io.StringIO(text))
    header = next(rows, None)
    if header is None:
        raise Eq5dTableError("crosswalk table: the file is empty")
    if country not in header[1:]:
        raise Eq5dTableError(f"crosswalk table: no column {country!r} in the header")
    column = header.index(country)
    values: dict[str, float] = {}
    for line, row in enumerate(rows, start=2):
        state = _table_state(row[0] if row else "", line)
        if state in values:
            raise Eq5dTableError(f"crosswalk table line {line}: state {state} appears twice")
        values[state] = _table_number(row[column] if column < len(row) else "", line)
    _require_all_states(set(values), "crosswalk table")
    return CrosswalkTable(country, values)


def parse_dsu_mapping(text: str) -> DsuMappingTable:
    """Parse NICE DSU mapping CSV text with the columns in :data:`DSU_REQUIRED_COLUMNS`."""
    rows = csv.reader(io.StringIO(text))
    header = [name.strip() for name in next(rows, [])]
    missing = [name for name in DSU_REQUIRED_COLUMNS if name not in header]
    if missing:
        raise Eq5dTableError(f"DSU mapping table: missing column {missing[0]!r}")
    state_at, age_at, sex_at, value_at = (header.index(name) for name in DSU_REQUIRED_COLUMNS)
    bands = {band.value: band for band in AgeBand}
    values: dict[tuple[str, AgeBand, Sex], float] = {}
    for line, row in enumerate(rows, start=2):
        if len(row) < len(header):
            raise Eq5dTableError(
                f"DSU mapping table line {line}: {len(row)} fields, expected {len(header)}"
            )
        band = bands.get(row[age_at].strip())
        if band is None:
            raise Eq5dTableError(f"DSU mapping table line {line}: unknown age band {row[age_at]!r}")
        key = (_table_state(row[state_at], line), band, _table_sex(row[sex_at], line))
        if key in values:
            raise Eq5dTableError(f"DSU mapping table line {line}: {key[0]} {key[1]} {key[2]} twice")
        values[key] = _table_number(row[value_at], line)
    expected = len(ALL_5L_STATES) * len(AgeBand) * len(Sex)
    if len(values) != expected:
        _require_all_states({state for state, _, _ in values}, "DSU mapping table")
        raise Eq5dTableError(f"DSU mapping table: {len(values)} rows, expected {expected}")
    return DsuMappingTable(values)


def _table_state(text: str, line: int) -> str:
    state = text.strip().strip('"')
    if state not in ALL_5L_STATES:
        raise Eq5dTableError(f"table line {line}: {text!r} is not a five-digit EQ-5D-5L state")
    return state


def _table_sex(text: str, line: int) -> Sex:
    try:
        return Sex(text.strip().lower())
    except ValueError:
        raise Eq5dTableError(f"DSU mapping table line {line}: unknown sex {text!r}") from None


def _table_number(text: str, line: int) -> float:
    try:
        value = float(text)
    except ValueError:
        raise Eq5dTableError(f"table line {line}: {text!r} is not a number") from None
    if not math.isfinite(value):
        raise Eq5dTableError(f"table line {line}: {text!r} is not a finite number")
    return value


def _require_all_states(states: set[str], what: str) -> None:
    absent = sorted(ALL_5L_STATES - states)
    if absent:
        raise Eq5dTableError(f"{what}: state {absent[0]} is missing ({len(absent)} states absent)")


__all__ = [
    "AgeBand",
    "CrosswalkTable",
    "DsuMappingTable",
    "Eq5dTableError",
    "Sex",
    "age_band_for",
    "parse_crosswalk",
    "parse_dsu_mapping",
    "sex_named",
]
