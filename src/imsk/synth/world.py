"""Everything a chunk of synthetic requests is drawn from, prepared once per run.

The *world* fixes the period, the working-day table, the geography (LSOAs, their service and GP
practice), the sampling weights (who consults, on which day), the condition code list and the triage
mapper. Chunks of requests are then drawn independently from it, each with its own random stream, so
the output depends only on the seed and the options.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from numpy.typing import NDArray

from imsk.core.calendar import WorkingDayCalendar
from imsk.core.codes import CodeList, ConditionCode
from imsk.core.errors import SynthError
from imsk.core.triage import RuleSet
from imsk.synth.config import SynthConfig
from imsk.synth.days import DayTable, day_number
from imsk.synth.geography import AGES, Geography
from imsk.synth.sampling import Table, table_from_weights
from imsk.synth.triage_map import TriageMapper

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]

AGE_BANDS = (
    (0, 15, "0-15"),
    (16, 24, "16-24"),
    (25, 44, "25-44"),
    (45, 64, "45-64"),
    (65, 74, "65-74"),
    (75, AGES - 1, "75+"),
)
LSOAS_PER_PRACTICE = 6
TABLE_MARGIN_DAYS = 900  # waits, booked appointments and follow-ups after the period end
_COMMON_SPECIFIC = frozenset({"NONSPECIFIC", "PAIN", "OA", "RC", "UNDIFFERENTIATED"})
_LONG_TERM = frozenset(
    {"CHRONIC", "OA", "STENOSIS", "FIBROMYALGIA", "CHRONIC_PAIN", "OSTEOPOROSIS", "CRPS", "FROZEN"}
)
SUBSPECIALTIES = ("orthopaedics", "spinal", "rheumatology", "persistent_pain", "other")
_SUBSPECIALTY_OF_GROUP = {
    "BACK": 1,
    "NECK": 1,
    "WIDESPREAD": 3,
    "INFLAM": 2,
    "BONE": 4,
    "OTHER": 4,
}


@dataclass(frozen=True)
class Services:
    """The synthetic services: id, name, health board index, performance factor."""

    ids: list[str]
    names: list[str]
    board: IntArray
    factor: FloatArray


@dataclass(frozen=True)
class Codes:
    """The condition code list as arrays: group of each code, sampling weights, traits."""

    codes: list[str]
    groups: list[str]
    group_of: IntArray
    group_table: Table
    code_table_by_group: list[Table]
    codes_by_group: list[IntArray]
    long_term: NDArray[np.bool_]
    subspecialty: IntArray


@dataclass(frozen=True)
class World:
    config: SynthConfig
    calendar: WorkingDayCalendar
    days: DayTable
    start_day: int
    end_day: int
    geography: Geography
    services: Services
    lsoa_service: IntArray
    lsoa_practice: IntArray
    cell_cum: FloatArray  # cumulative weights over (lsoa, age) cells
    day_self: Table  # day of the period (0 = first) by sampling slice, self-referrals
    day_professional: Table
    codes: Codes
    mapper: TriageMapper

    @property
    def extract_minute(self) -> int:
        """The last minute of the period: the data set is an extract taken then."""
        return (self.end_day + 1) * 1440 - 1

    @property
    def period_days(self) -> int:
        return self.end_day - self.start_day + 1


def _band_ratio(config: SynthConfig) -> FloatArray:
    ratio = np.zeros(AGES)
    for low, high, name in AGE_BANDS:
        ratio[low : high + 1] = config.age_rate_ratio[name]
    return ratio


def consultation_weights(geography: Geography, config: SynthConfig) -> FloatArray:
    """Relative chance of each (LSOA, age) cell to make a request: population x rate ratios."""
    quintile_ratio = np.array([config.deprivation_rate_ratio[str(q)] for q in range(1, 6)])
    weights = geography.population * _band_ratio(config)[None, :]
    return np.asarray(weights * quintile_ratio[geography.quintile - 1][:, None], dtype=np.float64)


def expected_requests_per_year(geography: Geography, config: SynthConfig, scale: float) -> float:
    """Population x consultation rate x share reaching the service, with the age/deprivation ratios."""
    weights = consultation_weights(geography, config)
    return float(weights.sum()) * scale * config.consultation_rate * config.service_share


def _cumulative(weights: FloatArray) -> FloatArray:
    total = float(weights.sum())
    if total <= 0:
        raise SynthError("nothing to sample from: every weight is zero")
    cum = np.asarray(np.cumsum(weights) / total, dtype=np.float64)
    cum[-1] = 1.0
    return cum


def _services(
    geography: Geography, per_board: int, rng: np.random.Generator, spread: float
) -> tuple[Services, IntArray]:
    """``per_board`` services per board, each covering a block of the board's LSOAs."""
    ids: list[str] = []
    names: list[str] = []
    boards: list[int] = []
    lsoa_service = np.zeros(len(geography.lsoa), dtype=np.int64)
    per_lsoa = geography.population.sum(axis=1)
    for b, ods in enumerate(geography.boards):
        members = np.flatnonzero(geography.board == b)
        members = members[
            np.argsort(np.array(geography.lsoa, dtype=object)[members], kind="stable")
        ]
        share = np.cumsum(per_lsoa[members]) / max(float(per_lsoa[members].sum()), 1.0)
        block = np.minimum((share * per_board - 1e-9).astype(np.int64), per_board - 1)
        lsoa_service[members] = len(ids) + np.maximum(block, 0)
        for s in range(per_board):
            ids.append(f"{ods}-MSK{s + 1:02d}")
            names.append(f"{geography.board_names[b]} integrated MSK service {s + 1}")
            boards.append(b)
    factor = np.exp(rng.normal(0.0, spread, len(ids))) if spread > 0 else np.ones(len(ids))
    return Services(ids, names, np.array(boards, dtype=np.int64), factor), lsoa_service


def _codes(codes: CodeList[ConditionCode], config: SynthConfig) -> Codes:
    entries = list(codes)
    groups = sorted({entry.group for entry in entries})
    mix = config.condition_group_mix
    if set(mix) != set(groups):
        raise SynthError(
            "config condition_group_mix must name exactly the groups of condition codes version "
            f"{codes.version}: {', '.join(groups)}; got {', '.join(sorted(mix))}"
        )
    group_of = np.array([groups.index(e.group) for e in entries], dtype=np.int64)
    specific = [e.code.split(".", 1)[1] for e in entries]
    weight = np.array([3.0 if s in _COMMON_SPECIFIC else 1.0 for s in specific])
    by_group = [np.flatnonzero(group_of == g) for g in range(len(groups))]
    return Codes(
        codes=[e.code for e in entries],
        groups=groups,
        group_of=group_of,
        group_table=table_from_weights([mix[g] for g in groups]),
        code_table_by_group=[table_from_weights(weight[members]) for members in by_group],
        codes_by_group=by_group,
        long_term=np.array([s in _LONG_TERM for s in specific]),
        subspecialty=np.array(
            [
                1 if s in {"RADICULAR", "STENOSIS"} else _SUBSPECIALTY_OF_GROUP.get(e.group, 0)
                for e, s in zip(entries, specific, strict=True)
            ],
            dtype=np.int64,
        ),
    )


def _day_table(days: DayTable, start: int, end: int, config: SynthConfig, weekend: float) -> Table:
    span = np.arange(start, end + 1, dtype=np.int64)
    month = span.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) % 12
    seasonal = np.array(config.month_weight)[month]
    return table_from_weights(seasonal * np.where(days.is_working(span), 1.0, weekend))


def build_world(
    *,
    config: SynthConfig,
    calendar: WorkingDayCalendar,
    start: date,
    end: date,
    geography: Geography,
    services_per_board: int,
    condition_codes: CodeList[ConditionCode],
    ruleset: RuleSet,
    seed: int,
) -> World:
    if end < start:
        raise SynthError(f"the period ends ({end}) before it starts ({start})")
    days = DayTable.build(
        calendar, start - timedelta(days=7), end + timedelta(days=TABLE_MARGIN_DAYS)
    )
    start_day, end_day = day_number(start), day_number(end)
    rng = np.random.default_rng([seed, 0xC0FFEE])
    services, lsoa_service = _services(geography, services_per_board, rng, config.service_variation)
    codes = _codes(condition_codes, config)
    return World(
        config=config,
        calendar=calendar,
        days=days,
        start_day=start_day,
        end_day=end_day,
        geography=geography,
        services=services,
        lsoa_service=lsoa_service,
        lsoa_practice=np.arange(len(geography.lsoa), dtype=np.int64) // LSOAS_PER_PRACTICE,
        cell_cum=_cumulative(consultation_weights(geography, config).reshape(-1)),
        day_self=_day_table(days, start_day, end_day, config, config.weekend_weight_self),
        day_professional=_day_table(
            days, start_day, end_day, config, config.weekend_weight_professional
        ),
        codes=codes,
        mapper=TriageMapper(ruleset, calendar, codes.codes, start),
    )
