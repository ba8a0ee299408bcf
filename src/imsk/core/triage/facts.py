"""The structured facts of one request, as the triage engine sees them.

Wales specification 2.3: "Requests to the integrated MSK service are stratified on the basis of need.
Initially this will include all clinical information provided on the request (including biomedical red
flags)". :class:`TriageFacts` is that information in coded form: who asked (source, category), the
person's age, the red flags ticked, the urgent-care criteria of 2.3, the impact of the condition, the
risk of chronicity (STarT Back, STarT MSK, Örebro short form: taken as *groups*, so the engine does not
depend on how they were scored) and the person's activation to self-manage.

Parsing is strict (house style: validate once, at the boundary). :func:`facts_from_mapping` accepts the
JSON shape documented in ``docs/triage-rules.md``; an unknown key is an error (a misspelt
``red_flag`` must never silently drop a red flag), and every error names the field.

Defaults where the request says nothing: no red flags, every yes/no criterion "no", risk groups and
Örebro unknown, activation ``unknown``. A missing answer therefore never *raises* a request's
priority, but an unknown risk or activation never allocates the least intensive pathway either (see the
rule set): unknown means "assess".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import TypeVar
from zoneinfo import ZoneInfo

from imsk.core.codes import CodeList, ConditionCode
from imsk.core.errors import TriageInputError
from imsk.core.triage.vocabulary import (
    Activation,
    AxialSpaFeature,
    Category,
    RedFlag,
    RiskGroup,
    Source,
)

__all__ = ["MAX_AGE", "TriageFacts", "facts_from_mapping"]

MAX_AGE = 130
_LONDON = "Europe/London"

E = TypeVar("E", bound=StrEnum)

_BOOLEAN_FIELDS = (
    "recent_surgery_requiring_rehab",
    "recent_injury_requiring_rehab",
    "high_pain",
    "significant_loss_of_function",
    "disturbed_sleep",
    "unable_to_work_or_care",
    "meets_subspecialty_criteria",
    "back_pain_onset_before_45_over_3_months",
)
_OPTIONAL_BOOLEAN_FIELDS = ("orebro_at_risk", "hla_b27_positive")


@dataclass(frozen=True)
class TriageFacts:
    """What the single point of access knows about one request when it triages it.

    ``received_on`` is the calendar date of receipt in Europe/London (the ``d`` of WD(d, n));
    ``received_at``, when known, is the naive local time of receipt and must fall on that date.
    ``category`` may be ``None`` only for a self-referral (data set ``requests.category``).
    """

    received_on: date
    source: Source
    age: int
    category: Category | None = None
    received_at: datetime | None = None
    request_id: str | None = None
    red_flags: frozenset[RedFlag] = frozenset()
    recent_surgery_requiring_rehab: bool = False
    recent_injury_requiring_rehab: bool = False
    high_pain: bool = False
    significant_loss_of_function: bool = False
    disturbed_sleep: bool = False
    unable_to_work_or_care: bool = False
    meets_subspecialty_criteria: bool = False
    start_back: RiskGroup | None = None
    start_msk: RiskGroup | None = None
    orebro_at_risk: bool | None = None
    activation: Activation = Activation.UNKNOWN
    back_pain_onset_before_45_over_3_months: bool = False
    axial_spa_features: frozenset[AxialSpaFeature] = field(default_factory=frozenset)
    hla_b27_positive: bool | None = None
    condition_code: str | None = None

    def __post_init__(self) -> None:
        if isinstance(self.age, bool) or not isinstance(self.age, int):
            raise TriageInputError(f"age must be a whole number of years; got {self.age!r}")
        if not 0 <= self.age <= MAX_AGE:
            raise TriageInputError(f"age must be between 0 and {MAX_AGE}; got {self.age}")
        if self.category is None and self.source is not Source.SELF:
            raise TriageInputError(
                f"category is required for a request from {self.source.value!r} "
                "(only a self-referral may have no category)"
            )
        if self.received_at is not None:
            self._check_received_at(self.received_at)

    def _check_received_at(self, received_at: datetime) -> None:
        if received_at.tzinfo is not None:
            raise TriageInputError("received_at must be a naive Europe/London local time")
        if received_at.date() != self.received_on:
            raise TriageInputError(
                f"received_at {received_at.isoformat()} is not on received_on "
                f"{self.received_on.isoformat()}"
            )


def facts_from_mapping(
    data: Mapping[str, object], condition_codes: CodeList[ConditionCode] | None = None
) -> TriageFacts:
    """Parse a request's facts from a JSON object; errors name the field.

    Raises :class:`TriageInputError` for a missing, unknown or ill-typed field and
    :class:`~imsk.core.errors.UnknownCodeError` when ``condition_codes`` is given and the request's
    ``condition_code`` is not in it.
    """
    unknown = sorted(set(data) - _ALLOWED_KEYS)
    if unknown:
        raise TriageInputError(f"unknown field(s) in request: {', '.join(unknown)}")
    received_on, received_at = _received(_required(data, "received_at"))
    code = _optional_text(data, "condition_code")
    if code is not None and condition_codes is not None:
        condition_codes.get(code)
    return TriageFacts(
        received_on=received_on,
        received_at=received_at,
        source=_enum(Source, _required(data, "source"), "source"),
        age=_age(_required(data, "age")),
        category=_optional_enum(Category, data, "category"),
        request_id=_optional_text(data, "request_id"),
        red_flags=_enum_set(RedFlag, data, "red_flags"),
        start_back=_optional_enum(RiskGroup, data, "start_back"),
        start_msk=_optional_enum(RiskGroup, data, "start_msk"),
        activation=_optional_enum(Activation, data, "activation") or Activation.UNKNOWN,
        axial_spa_features=_enum_set(AxialSpaFeature, data, "axial_spa_features"),
        condition_code=code,
        recent_surgery_requiring_rehab=_bool(data, "recent_surgery_requiring_rehab"),
        recent_injury_requiring_rehab=_bool(data, "recent_injury_requiring_rehab"),
        high_pain=_bool(data, "high_pain"),
        significant_loss_of_function=_bool(data, "significant_loss_of_function"),
        disturbed_sleep=_bool(data, "disturbed_sleep"),
        unable_to_work_or_care=_bool(data, "unable_to_work_or_care"),
        meets_subspecialty_criteria=_bool(data, "meets_subspecialty_criteria"),
        back_pain_onset_before_45_over_3_months=_bool(
            data, "back_pain_onset_before_45_over_3_months"
        ),
        orebro_at_risk=_optional_bool(data, "orebro_at_risk"),
        hla_b27_positive=_optional_bool(data, "hla_b27_positive"),
    )


_ALLOWED_KEYS = frozenset(
    {
        "received_at",
        "source",
        "age",
        "category",
        "request_id",
        "red_flags",
        "start_back",
        "start_msk",
        "activation",
        "axial_spa_features",
        "condition_code",
        *_BOOLEAN_FIELDS,
        *_OPTIONAL_BOOLEAN_FIELDS,
    }
)


def _required(data: Mapping[str, object], name: str) -> object:
    if data.get(name) is None:
        raise TriageInputError(f"{name} is required")
    return data[name]


def _received(value: object) -> tuple[date, datetime | None]:
    """``YYYY-MM-DD`` (date of receipt) or an ISO date-time (local, or with an offset)."""
    if not isinstance(value, str):
        raise TriageInputError(f"received_at must be an ISO date or date-time text; got {value!r}")
    try:
        if len(value) == len("YYYY-MM-DD"):
            return date.fromisoformat(value), None
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise TriageInputError(f"received_at {value!r} is not an ISO date or date-time") from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(ZoneInfo(_LONDON)).replace(tzinfo=None)
    return moment.date(), moment


def _age(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TriageInputError(f"age must be a whole number of years; got {value!r}")
    return value


def _enum(kind: type[E], value: object, name: str) -> E:
    if isinstance(value, str) and value in kind.__members__.values():
        return kind(value)
    allowed = ", ".join(member.value for member in kind)
    raise TriageInputError(f"{name} {value!r} is not one of: {allowed}")


def _optional_enum(kind: type[E], data: Mapping[str, object], name: str) -> E | None:
    value = data.get(name)
    return None if value is None else _enum(kind, value, name)


def _enum_set(kind: type[E], data: Mapping[str, object], name: str) -> frozenset[E]:
    value = data.get(name)
    if value is None:
        return frozenset()
    if not isinstance(value, list):
        raise TriageInputError(f"{name} must be a list; got {value!r}")
    items: Iterable[object] = value
    return frozenset(_enum(kind, item, name) for item in items)


def _bool(data: Mapping[str, object], name: str) -> bool:
    return bool(_optional_bool(data, name))


def _optional_bool(data: Mapping[str, object], name: str) -> bool | None:
    value = data.get(name)
    if value is not None and not isinstance(value, bool):
        raise TriageInputError(f"{name} must be true or false; got {value!r}")
    return value


def _optional_text(data: Mapping[str, object], name: str) -> str | None:
    value = data.get(name)
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise TriageInputError(f"{name} must be non-empty text; got {value!r}")
    return value
