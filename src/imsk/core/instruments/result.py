"""The common result of scoring a questionnaire, and the small parsing helpers every scorer shares.

Every stored score must say which instrument (and which version of it) produced it, and, for
preference-weighted indices such as EQ-5D, which value set turned the answers into a number: an EQ-5D
index of 0.812 means different things under the England 2018 and the UK 2026 value sets. So every
scorer returns an :class:`InstrumentResult` carrying those labels beside the score.

Scoring works on response *codes* (numbers), never on item wording: the wording of licensed
instruments (MSK-HQ, STarT MSK, EQ-5D) is not part of imsk.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Sized
from dataclasses import dataclass, field
from types import MappingProxyType

from imsk.core.errors import IncompleteResponseError, ResponseOutOfRangeError

Number = int | float
DetailValue = str | int | float | bool | None


@dataclass(frozen=True)
class InstrumentResult:
    """One scored questionnaire.

    ``score`` is the instrument's headline number (a total, an index or a percentage); it is ``None``
    only when a configured rule says "no score" (e.g. MSK-HQ with a missing item under the
    ``no_score`` rule). ``band`` is the risk or category group (``low``/``medium``/``high``,
    ``at_risk``...) or ``None`` when the instrument has none. ``value_set`` names the versioned value
    set of a preference-weighted index (``uk_5l_rowen_2026``...), ``None`` otherwise. ``subscores``
    holds named parts of the score (the STarT Back distress subscale...), ``details`` anything else
    worth storing (item scores, the VAS, the age band used by a mapping...).
    """

    instrument: str
    instrument_version: str
    score: Number | None
    band: str | None = None
    value_set: str | None = None
    subscores: Mapping[str, Number] = field(default_factory=dict)
    details: Mapping[str, DetailValue] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Read-only views: a result is a value, nobody may edit its parts after scoring.
        object.__setattr__(self, "subscores", MappingProxyType(dict(self.subscores)))
        object.__setattr__(self, "details", MappingProxyType(dict(self.details)))

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dictionary (used by the CLI and the API)."""
        return {
            "instrument": self.instrument,
            "instrument_version": self.instrument_version,
            "score": self.score,
            "band": self.band,
            "value_set": self.value_set,
            "subscores": dict(self.subscores),
            "details": dict(self.details),
        }


UNANSWERED_MARK = "-"
"""How an unanswered item is written in a space-separated response string (imsk's convention)."""


def parse_codes(tokens: Sequence[str], *, instrument: str) -> list[int | None]:
    """Whole-number response codes from text tokens; :data:`UNANSWERED_MARK` becomes ``None``."""
    return [
        None if token == UNANSWERED_MARK else parse_code(token, where=f"{instrument} item {number}")
        for number, token in enumerate(tokens, start=1)
    ]


def parse_code(token: str, *, where: str) -> int:
    """A response code written as text (``"3"``) as an integer; ``where`` names the item in errors."""
    text = token.strip()
    if not text or not (text.isdigit() or (text[0] in "+-" and text[1:].isdigit())):
        raise ResponseOutOfRangeError(f"{where}: response {token!r} is not a whole number")
    return int(text)


def require_in_range(value: int | None, low: int, high: int, *, where: str) -> int:
    """``value`` itself if ``low <= value <= high``; a missing or out-of-range value is an error."""
    if value is None:
        raise IncompleteResponseError(f"{where}: no response")
    if isinstance(value, bool) or not isinstance(value, int):
        raise ResponseOutOfRangeError(f"{where}: response {value!r} is not a whole number")
    if not low <= value <= high:
        raise ResponseOutOfRangeError(f"{where}: response {value} is outside {low}-{high}")
    return value


def require_count(responses: Sized, expected: int, *, instrument: str) -> None:
    """Raise unless exactly ``expected`` responses were given."""
    count = len(responses)
    if count != expected:
        raise IncompleteResponseError(
            f"{instrument}: expected {expected} item responses, got {count}"
        )
