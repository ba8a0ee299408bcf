"""The assumptions behind synthetic MSK service data, as one configuration value.

Every rate and mix the generator draws from lives in :class:`SynthConfig`, with the source of its
default in ``docs/synthetic-data.md`` (a published figure, or "assumption" when none was found). A user
changes any of them with a JSON or TOML file (``imsk synth --config PATH``) holding a subset of the
field names; parsing is strict: an unknown field, a mix with unknown or missing categories, or shares
that do not add up to 1 is an error naming the field, never silently repaired.
"""

from __future__ import annotations

import dataclasses
import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from imsk.core.errors import SynthError

Mix = dict[str, float]

SOURCES = (
    "self",
    "gp",
    "primary_care_mdt",
    "urgent_primary_care",
    "minor_injury_unit",
    "emergency_department",
    "nhs111",
    "subspecialty",
    "other",
)
CATEGORIES = (
    "rehabilitation_intervention",
    "diagnosis_and_management_opinion",
    "management_opinion",
)
SEXES = ("female", "male", "other", "unknown")
RISK_GROUPS = ("low", "medium", "high")
FIRST_STATUSES = ("attended", "did_not_attend", "patient_cancelled", "service_cancelled")
FFT_RESPONSES = ("very_good", "good", "neither", "poor", "very_poor", "dont_know")
EXIT_CODES = ("discharged", "see_on_symptom", "patient_initiated_follow_up", "transferred", "other")
MODES = ("in_person", "video", "telephone", "group")


def _mix(**shares: float) -> Mix:
    return dict(shares)


@dataclass(frozen=True)
class SynthConfig:
    """Rates and mixes of the synthetic service. Shares are fractions (0.07 = 7 %)."""

    # Volume and people.
    consultation_rate: float = 0.20
    service_share: float = 0.5
    requests_per_person: float = 1.12
    age_rate_ratio: Mix = field(
        default_factory=lambda: _mix(
            **{"0-15": 0.03, "16-24": 0.45, "25-44": 0.8, "45-64": 1.15, "65-74": 1.25, "75+": 1.1}
        )
    )
    deprivation_rate_ratio: Mix = field(
        default_factory=lambda: _mix(**{"1": 1.25, "2": 1.12, "3": 1.0, "4": 0.92, "5": 0.85})
    )
    sex_mix: Mix = field(
        default_factory=lambda: _mix(female=0.58, male=0.415, other=0.002, unknown=0.003)
    )
    # Requests.
    source_mix: Mix = field(
        default_factory=lambda: _mix(
            self=0.30,
            gp=0.42,
            primary_care_mdt=0.09,
            urgent_primary_care=0.03,
            minor_injury_unit=0.04,
            emergency_department=0.03,
            nhs111=0.02,
            subspecialty=0.04,
            other=0.03,
        )
    )
    category_mix: Mix = field(
        default_factory=lambda: _mix(
            rehabilitation_intervention=0.2,
            diagnosis_and_management_opinion=0.5,
            management_opinion=0.3,
        )
    )
    self_referral_without_category: float = 0.7
    missing_practice_share: float = 0.02
    weekend_weight_self: float = 0.35
    weekend_weight_professional: float = 0.03
    month_weight: tuple[float, ...] = (
        1.12,
        1.05,
        1.05,
        0.97,
        1.0,
        1.0,
        0.98,
        0.88,
        1.0,
        1.05,
        1.03,
        0.87,
    )
    condition_group_mix: Mix = field(
        default_factory=lambda: _mix(
            BACK=0.29,
            NECK=0.09,
            SHOULDER=0.14,
            ELBOW=0.03,
            HANDWRIST=0.06,
            HIP=0.08,
            KNEE=0.16,
            FOOTANKLE=0.07,
            WIDESPREAD=0.02,
            INFLAM=0.01,
            BONE=0.01,
            REHAB=0.03,
            OTHER=0.01,
        )
    )
    # Triage facts.
    start_back_mix: Mix = field(default_factory=lambda: _mix(low=0.4, medium=0.4, high=0.2))
    start_msk_mix: Mix = field(default_factory=lambda: _mix(low=0.4, medium=0.4, high=0.2))
    start_msk_share: float = 0.5
    activation_high_share: float = 0.6
    activation_unknown_share: float = 0.1
    acute_high_pain_share: float = 0.06
    red_flag_share: float = 0.004
    subspecialty_criteria_share: float = 0.03
    # Triage timing (Wales specification 2.3: urgent in WD(d, 1), routine in WD(d, 3)).
    late_triage_share_urgent: float = 0.10
    late_triage_share_routine: float = 0.15
    # Waits and contacts.
    urgent_breach_share: float = 0.15
    routine_wait_median_days: float = 49.0
    routine_wait_sigma: float = 0.7
    service_variation: float = 0.25
    first_status_mix: Mix = field(
        default_factory=lambda: _mix(
            attended=0.86, did_not_attend=0.07, patient_cancelled=0.05, service_cancelled=0.02
        )
    )
    follow_up_status_mix: Mix = field(
        default_factory=lambda: _mix(
            attended=0.86, did_not_attend=0.08, patient_cancelled=0.04, service_cancelled=0.02
        )
    )
    discharge_after_dna_share: float = 0.5
    self_management_contact_share: float = 0.3
    follow_ups_mean: Mix = field(
        default_factory=lambda: _mix(
            self_management=0.4, assess_and_support=2.2, supported_high_risk=4.0, subspecialty=0.8
        )
    )
    first_mode_mix: Mix = field(
        default_factory=lambda: _mix(in_person=0.65, video=0.1, telephone=0.25, group=0.0)
    )
    follow_up_mode_mix: Mix = field(
        default_factory=lambda: _mix(in_person=0.6, video=0.08, telephone=0.2, group=0.12)
    )
    # Exits and onward referral.
    exit_mix_seen: Mix = field(
        default_factory=lambda: _mix(
            discharged=0.62,
            see_on_symptom=0.2,
            patient_initiated_follow_up=0.13,
            transferred=0.0,
            other=0.05,
        )
    )
    see_on_symptom_window_days: int = 182
    pifu_window_days: int = 365
    onward_referral_share: float = 0.05
    referral_conversion_rate: float = 0.6
    interface_clinic_share: float = 0.4
    conversion_unknown_days: int = 90
    # Measures.
    msk_hq_baseline_share: float = 0.85
    msk_hq_discharge_share: float = 0.6
    msk_hq_baseline_mean: float = 27.0
    msk_hq_baseline_sd: float = 9.0
    msk_hq_change_mean: float = 9.0
    msk_hq_change_sd: float = 8.0
    eq5d_share: float = 0.7
    start_back_share: float = 0.9
    fft_response_share: float = 0.25
    fft_mix: Mix = field(
        default_factory=lambda: _mix(
            very_good=0.7, good=0.2, neither=0.04, poor=0.02, very_poor=0.02, dont_know=0.02
        )
    )
    # Condition coding.
    coded_by_referrer_share: float = 0.75
    uncoded_at_triage_share: float = 0.05
    recode_share: float = 0.15
    # Activities.
    investigation_share: Mix = field(
        default_factory=lambda: _mix(
            **{
                "INV.XRAY": 0.08,
                "INV.ULTRASOUND": 0.03,
                "INV.MRI": 0.05,
                "INV.CT": 0.005,
                "INV.BLOODS": 0.03,
                "INV.NCS": 0.015,
            }
        )
    )
    follow_up_activity_share: float = 0.5
    # Service-level tables.
    staff_cost_per_attended_contact: float = 62.0
    consumables_per_attended_contact: float = 4.0
    feedback_per_1000_requests: Mix = field(
        default_factory=lambda: _mix(complaint=1.0, compliment=5.0, concern=1.5)
    )
    resource_hits_per_request: float = 2.5


_FIXED_KEYS: dict[str, tuple[str, ...]] = {
    "sex_mix": SEXES,
    "source_mix": SOURCES,
    "category_mix": CATEGORIES,
    "start_back_mix": RISK_GROUPS,
    "start_msk_mix": RISK_GROUPS,
    "first_status_mix": FIRST_STATUSES,
    "follow_up_status_mix": FIRST_STATUSES,
    "first_mode_mix": MODES,
    "follow_up_mode_mix": MODES,
    "exit_mix_seen": EXIT_CODES,
    "fft_mix": FFT_RESPONSES,
    "deprivation_rate_ratio": ("1", "2", "3", "4", "5"),
    "age_rate_ratio": ("0-15", "16-24", "25-44", "45-64", "65-74", "75+"),
    "follow_ups_mean": (
        "self_management",
        "assess_and_support",
        "supported_high_risk",
        "subspecialty",
    ),
    "feedback_per_1000_requests": ("complaint", "compliment", "concern"),
}
_SHARE_MIXES = frozenset(
    {
        "sex_mix",
        "source_mix",
        "category_mix",
        "start_back_mix",
        "start_msk_mix",
        "first_status_mix",
        "follow_up_status_mix",
        "first_mode_mix",
        "follow_up_mode_mix",
        "exit_mix_seen",
        "fft_mix",
        "condition_group_mix",
    }
)


def validate_config(config: SynthConfig) -> SynthConfig:
    """Check every share is in [0, 1] and every mix is complete and adds up to 1."""
    for item in dataclasses.fields(config):
        value = getattr(config, item.name)
        if isinstance(value, dict):
            _check_mix(item.name, value)
        elif item.name.endswith(("_share", "_rate")) and not 0.0 <= float(value) <= 1.0:
            raise SynthError(f"config {item.name} = {value} is not a share between 0 and 1")
    if len(config.month_weight) != 12 or min(config.month_weight) < 0:
        raise SynthError("config month_weight needs 12 non-negative weights (January first)")
    return config


def _check_mix(name: str, mix: Mapping[str, float]) -> None:
    expected = _FIXED_KEYS.get(name)
    if expected is not None and set(mix) != set(expected):
        raise SynthError(
            f"config {name} must give exactly: {', '.join(expected)}; got {', '.join(sorted(mix))}"
        )
    for key, value in mix.items():
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise SynthError(f"config {name}[{key!r}] = {value!r} is not a non-negative number")
    if name in _SHARE_MIXES and abs(sum(mix.values()) - 1.0) > 1e-6:
        raise SynthError(f"config {name} shares add up to {sum(mix.values()):.6f}, not 1")


def config_from_mapping(data: Mapping[str, object], base: SynthConfig | None = None) -> SynthConfig:
    """A configuration from ``base`` (the defaults) with the fields given in ``data`` replaced."""
    known = {item.name: item for item in dataclasses.fields(SynthConfig)}
    unknown = sorted(set(data) - set(known))
    if unknown:
        raise SynthError(f"unknown config field(s): {', '.join(unknown)}")
    changes: dict[str, object] = {}
    current = base or SynthConfig()
    for name, value in data.items():
        default = getattr(current, name)
        changes[name] = _coerced(name, value, default)
    return validate_config(dataclasses.replace(current, **changes))  # type: ignore[arg-type]


def _coerced(name: str, value: object, default: object) -> object:
    if isinstance(default, dict):
        if not isinstance(value, dict):
            raise SynthError(f"config {name} must be a table of category = share")
        return {
            str(key): float(share) if _is_number(share) else share for key, share in value.items()
        }
    if isinstance(default, tuple):
        if not isinstance(value, list) or not all(_is_number(item) for item in value):
            raise SynthError(f"config {name} must be a list of numbers")
        return tuple(float(item) for item in value)
    if isinstance(default, bool) or not _is_number(value):
        raise SynthError(f"config {name} must be a number; got {value!r}")
    assert isinstance(value, int | float)
    return int(value) if isinstance(default, int) else float(value)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def load_config(path: Path) -> SynthConfig:
    """Read a ``.json`` or ``.toml`` configuration file (a subset of :class:`SynthConfig` fields)."""
    text = path.read_text(encoding="utf-8")
    try:
        data: object = tomllib.loads(text) if path.suffix == ".toml" else json.loads(text)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as error:
        raise SynthError(f"config file {path.name} cannot be parsed: {error}") from None
    if not isinstance(data, dict):
        raise SynthError(f"config file {path.name} must hold a table of field = value")
    return config_from_mapping(data)
