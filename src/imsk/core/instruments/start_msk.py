"""Keele STarT MSK Tool: risk stratification for musculoskeletal pain at any body site.

STarT MSK extends STarT Back to the common MSK pain presentations (back, neck, shoulder, knee,
multisite pain): ten items on function, pain, coping, comorbidity and impact give an overall score
0-12 and a low, medium or high risk group (Dunn KM et al. Eur J Pain 2021, doi:10.1002/ejp.1821; trial:
Hill JC et al. Lancet Rheumatol 2022;4(9):e591-e602; score range 0-12 confirmed by van den Broek et al.
2021).

What imsk does **not** know: the per-item scoring is in the licensed Keele pack only, so imsk takes
the **total score** (0-12) the licensed tool produced. The risk cut-points 0-4 low, 5-8 medium,
9-12 high are widely quoted but were **not found in any retrieved source [U]**: they are the defaults
of :class:`StartMskCutoffs` and must be confirmed against the Keele pack; a service sets its own with
``StartMskCutoffs(low_max=..., medium_max=...)`` (``--cutoffs LOW_MAX MEDIUM_MAX`` on the CLI).

Licence: Keele University; a (free for the NHS) licence is obligatory for every user and the tool may
not be modified or copied. No item wording is included here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from imsk.core.errors import ScoringError
from imsk.core.instruments.result import InstrumentResult, require_in_range

INSTRUMENT = "start_msk"
VERSION = "start_msk-2021-total"
MAX_TOTAL = 12


class StartMskGroup(StrEnum):
    """The three STarT MSK risk groups."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


@dataclass(frozen=True)
class StartMskCutoffs:
    """Inclusive upper bounds of the low and medium groups; the rest (up to 12) is high. [U]"""

    low_max: int = 4
    medium_max: int = 8

    def __post_init__(self) -> None:
        if not 0 <= self.low_max < self.medium_max < MAX_TOTAL:
            raise ScoringError(
                "STarT MSK cut-offs must satisfy 0 <= low_max < medium_max < 12, got "
                f"low_max={self.low_max}, medium_max={self.medium_max}"
            )


DEFAULT_CUTOFFS = StartMskCutoffs()


def start_msk_group(total: int, cutoffs: StartMskCutoffs = DEFAULT_CUTOFFS) -> StartMskGroup:
    """The risk group of a STarT MSK total under ``cutoffs``."""
    value = require_in_range(total, 0, MAX_TOTAL, where="STarT MSK total score")
    if value <= cutoffs.low_max:
        return StartMskGroup.LOW
    if value <= cutoffs.medium_max:
        return StartMskGroup.MEDIUM
    return StartMskGroup.HIGH


def score_start_msk(
    total: int | None, cutoffs: StartMskCutoffs = DEFAULT_CUTOFFS
) -> InstrumentResult:
    """Group a STarT MSK total (0-12) from the licensed tool; the cut-offs are recorded in details."""
    value = require_in_range(total, 0, MAX_TOTAL, where="STarT MSK total score")
    return InstrumentResult(
        INSTRUMENT,
        VERSION,
        value,
        band=start_msk_group(value, cutoffs).value,
        details={
            "low_max": cutoffs.low_max,
            "medium_max": cutoffs.medium_max,
            "cutoffs_confirmed": False,
        },
    )
