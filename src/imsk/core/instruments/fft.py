"""NHS Friends and Family Test (FFT): one question about the overall experience of a service.

Since April 2020 the FFT asks how the person's experience of the service was overall, with six
responses, coded here 1-6: 1 very good, 2 good, 3 neither good nor poor, 4 poor, 5 very poor,
6 don't know (NHS England FFT guidance; ``../shared/research/instruments.md`` section 6). The
standard wording must be used as NHS England sets it out, plus at least one free-text question; imsk
stores codes only.

Reporting: % positive = (very good + good) / all responses x 100; % negative = (poor + very poor) /
all responses x 100. "All responses" **includes don't know**, as in the published practice figures
(e.g. Watton Medical Practice, February 2025: 214 of 244 = 87.7 %) and the pre-2020 NHS England
formula; the post-2020 technical definition was not retrieved [U]. With no responses the percentages
are undefined (``None``) and should be suppressed, not shown as 0.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import IntEnum
from types import MappingProxyType

from imsk.core.instruments.result import InstrumentResult, require_in_range

INSTRUMENT = "fft"
VERSION = "fft-2020"


class FftResponse(IntEnum):
    """The six FFT response codes."""

    VERY_GOOD = 1
    GOOD = 2
    NEITHER = 3
    POOR = 4
    VERY_POOR = 5
    DONT_KNOW = 6

    @property
    def label(self) -> str:
        """The response as a snake_case category name (``very_good``...)."""
        return self.name.lower()

    @property
    def is_positive(self) -> bool:
        return self in (FftResponse.VERY_GOOD, FftResponse.GOOD)

    @property
    def is_negative(self) -> bool:
        return self in (FftResponse.POOR, FftResponse.VERY_POOR)


@dataclass(frozen=True)
class FftSummary:
    """Counts and percentages over many FFT responses (denominator includes don't know)."""

    n: int
    positive: int
    negative: int
    counts: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "counts", MappingProxyType(dict(self.counts)))

    @property
    def positive_percent(self) -> float | None:
        """% positive, or ``None`` when there are no responses."""
        return 100 * self.positive / self.n if self.n else None

    @property
    def negative_percent(self) -> float | None:
        """% negative, or ``None`` when there are no responses."""
        return 100 * self.negative / self.n if self.n else None

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dictionary; percentages rounded to one decimal place for display."""
        return {
            "instrument": INSTRUMENT,
            "instrument_version": VERSION,
            "n": self.n,
            "positive": self.positive,
            "negative": self.negative,
            "positive_percent": _one_place(self.positive_percent),
            "negative_percent": _one_place(self.negative_percent),
            "counts": dict(self.counts),
        }


def fft_response(code: int | None) -> FftResponse:
    """The :class:`FftResponse` for a code 1-6."""
    return FftResponse(require_in_range(code, 1, 6, where="FFT response"))


def score_fft(code: int | None) -> InstrumentResult:
    """One FFT response: the score is the code, the band its category, plus positive/negative."""
    response = fft_response(code)
    return InstrumentResult(
        INSTRUMENT,
        VERSION,
        int(response),
        band=response.label,
        details={"positive": response.is_positive, "negative": response.is_negative},
    )


def summarise_fft(codes: Iterable[int | None]) -> FftSummary:
    """Summarise FFT response codes: n, positive and negative counts, counts per category."""
    responses = [fft_response(code) for code in codes]
    tally = Counter(responses)
    return FftSummary(
        n=len(responses),
        positive=sum(1 for response in responses if response.is_positive),
        negative=sum(1 for response in responses if response.is_negative),
        counts={response.label: tally[response] for response in FftResponse},
    )


def _one_place(value: float | None) -> float | None:
    return None if value is None else round(value, 1)
