"""A simulation scenario: one integrated MSK service, its demand, capacity and the changes to test.

A scenario is what a service manager would write down to ask "what happens if...": how many requests
arrive (by source, weekday and month), how they triage (a case mix fed to the core triage engine), how
much triage and clinic time there is (clinicians' FTE by Agenda for Change band group, 5-6 and 7+, as
the Wales specification section 2.3 allocates simple presentations to bands 5-6 and complex ones to 7+),
how often people do not attend or cancel, how many follow-ups each pathway needs, and how people leave
(discharge, see on symptom (SOS), patient-initiated follow-up (PIFU), onward referral).

Every number has a default (sources and assumptions: ``docs/simulation.md``); a scenario file gives
only what differs. ``changes`` adjust the baseline (demand growth, added FTE, fewer DNAs, more
self-management) and ``variants`` name further change sets to compare against it. The fields are
plain frozen dataclasses; :mod:`imsk.sim.schema` parses a file into them with errors naming the field.

Field metadata ``check`` names the rule a value must meet (``share``, ``positive``, ``mix``...), read by
the parser; ``choices`` lists the allowed words of a text field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Any, Final

from imsk.sim.casemix import DEFAULT_CASE_MIX, CaseProfile

BAND_GROUPS: Final = ("5-6", "7+")
"""Clinic band groups: the triage engine's band requirement (Wales specification 2.3)."""

SOURCES: Final = (
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
MODES: Final = ("in_person", "video", "telephone", "group")
SEEN_PATHWAYS: Final = (
    "self_management",
    "assess_and_support",
    "supported_high_risk",
    "subspecialty",
)
EXITS_AFTER_CARE: Final = ("discharged", "see_on_symptom", "patient_initiated_follow_up", "other")
FAILED_ATTENDANCE: Final = ("did_not_attend", "patient_cancelled", "service_cancelled")
SUBSPECIALTIES: Final = ("orthopaedics", "spinal", "rheumatology", "persistent_pain", "other")
CALENDARS: Final = ("working_days", "continuous")
SERVICE_TIMES: Final = ("fixed", "exponential")
FOLLOW_UP_PRIORITIES: Final = ("before_routine", "longest_waiting")


def _meta(check: str, **more: Any) -> MappingProxyType[str, Any]:
    return MappingProxyType({"check": check, **more})


def _mix(**shares: float) -> dict[str, float]:
    return dict(shares)


@dataclass(frozen=True)
class ServiceInfo:
    """The ``services`` row of the simulated data set; ``nation`` picks the bank holidays."""

    service_id: str = "SIM01"
    name: str = "Simulated integrated MSK service"
    health_board: str = "7A1"
    nation: str = field(default="wales", metadata=_meta("nation"))


@dataclass(frozen=True)
class Period:
    """What is reported: ``weeks`` from ``start``, after ``warmup_weeks`` that fill the queues."""

    start: date = date(2025, 4, 1)
    weeks: int = field(default=52, metadata=_meta("positive"))
    warmup_weeks: int = field(default=13, metadata=_meta("non_negative"))


@dataclass(frozen=True)
class Demand:
    """Requests at the single point of access: volume, sources, weekly and yearly pattern."""

    requests_per_year: float = field(default=50_000.0, metadata=_meta("positive"))
    source_mix: dict[str, float] = field(
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
        ),
        metadata=_meta("mix", keys=SOURCES),
    )
    weekday_weights: tuple[float, ...] = field(
        default=(1.3, 1.15, 1.1, 1.05, 0.95, 0.05, 0.02), metadata=_meta("weights", length=7)
    )
    self_weekday_weights: tuple[float, ...] = field(
        default=(1.2, 1.05, 1.0, 1.0, 0.95, 0.45, 0.35), metadata=_meta("weights", length=7)
    )
    month_weights: tuple[float, ...] = field(
        default=(1.12, 1.05, 1.05, 0.97, 1.0, 1.0, 0.98, 0.88, 1.0, 1.05, 1.03, 0.87),
        metadata=_meta("weights", length=12),
    )
    professional_hours: tuple[float, ...] = field(default=(8.0, 18.0), metadata=_meta("hours"))
    self_hours: tuple[float, ...] = field(default=(0.0, 24.0), metadata=_meta("hours"))
    self_referral_without_category: float = field(default=0.7, metadata=_meta("share"))
    case_mix: tuple[CaseProfile, ...] = field(default=DEFAULT_CASE_MIX, metadata=_meta("case_mix"))
    age_mean: float = field(default=52.0, metadata=_meta("positive"))
    age_sd: float = field(default=17.0, metadata=_meta("non_negative"))


@dataclass(frozen=True)
class Triage:
    """Triage (pathway allocation) capacity: clinician hours on each working day."""

    clinician_hours_per_working_day: float = field(default=20.0, metadata=_meta("non_negative"))
    minutes_per_request: float = field(default=5.0, metadata=_meta("non_negative"))
    session_start_hour: float = field(default=8.5, metadata=_meta("hour"))
    session_hours: float = field(default=7.5, metadata=_meta("positive"))


@dataclass(frozen=True)
class Clinic:
    """The clinicians of one band group: whole-time equivalents, recorded band, yearly cost each."""

    fte: float = field(default=30.0, metadata=_meta("non_negative"))
    band: int = field(default=6, metadata=_meta("band"))
    annual_cost_per_fte: float = field(default=48_000.0, metadata=_meta("non_negative"))


def _default_bands() -> dict[str, Clinic]:
    return {
        "5-6": Clinic(fte=48.0, band=6, annual_cost_per_fte=48_000.0),
        "7+": Clinic(fte=24.0, band=7, annual_cost_per_fte=62_000.0),
    }


@dataclass(frozen=True)
class Clinics:
    """Clinic time: who works how long, how long each kind and mode of appointment takes."""

    bands: dict[str, Clinic] = field(
        default_factory=_default_bands, metadata=_meta("table", keys=BAND_GROUPS)
    )
    hours_per_fte_day: float = field(default=7.5, metadata=_meta("positive"))
    clinical_share: float = field(default=0.7, metadata=_meta("share"))
    availability: float = field(default=0.85, metadata=_meta("share"))
    session_start_hour: float = field(default=9.0, metadata=_meta("hour"))
    first_minutes: dict[str, float] = field(
        default_factory=lambda: _mix(in_person=45.0, video=40.0, telephone=30.0, group=15.0),
        metadata=_meta("amounts", keys=MODES),
    )
    follow_up_minutes: dict[str, float] = field(
        default_factory=lambda: _mix(in_person=30.0, video=30.0, telephone=20.0, group=10.0),
        metadata=_meta("amounts", keys=MODES),
    )
    service_time: str = field(default="fixed", metadata=_meta("choice", choices=SERVICE_TIMES))
    follow_up_priority: str = field(
        default="before_routine", metadata=_meta("choice", choices=FOLLOW_UP_PRIORITIES)
    )
    urgent_notice_days: float = field(default=0.5, metadata=_meta("non_negative"))
    routine_notice_days: float = field(default=3.0, metadata=_meta("non_negative"))

    @property
    def minutes_per_fte_day(self) -> float:
        """Clinic minutes one whole-time clinician offers on a working day."""
        return self.hours_per_fte_day * 60.0 * self.clinical_share * self.availability


def _statuses(dna: float, patient: float, service: float) -> dict[str, float]:
    return {"did_not_attend": dna, "patient_cancelled": patient, "service_cancelled": service}


@dataclass(frozen=True)
class Attendance:
    """Shares of booked appointments not attended, and what happens next."""

    first: dict[str, float] = field(
        default_factory=lambda: _statuses(0.07, 0.05, 0.02),
        metadata=_meta("shares", keys=FAILED_ATTENDANCE),
    )
    follow_up: dict[str, float] = field(
        default_factory=lambda: _statuses(0.08, 0.04, 0.02),
        metadata=_meta("shares", keys=FAILED_ATTENDANCE),
    )
    discharge_after_dna: float = field(default=0.5, metadata=_meta("share"))
    rebook_days_patient: float = field(default=7.0, metadata=_meta("non_negative"))
    rebook_days_service: float = field(default=2.0, metadata=_meta("non_negative"))


@dataclass(frozen=True)
class PathwayPlan:
    """What care on one pathway looks like after triage."""

    contact_share: float = field(default=1.0, metadata=_meta("share"))
    follow_ups_mean: float = field(default=2.0, metadata=_meta("non_negative"))
    follow_up_interval_days: float = field(default=14.0, metadata=_meta("positive"))
    first_mode_mix: dict[str, float] = field(
        default_factory=lambda: _mix(in_person=0.65, video=0.1, telephone=0.25, group=0.0),
        metadata=_meta("mix", keys=MODES),
    )
    follow_up_mode_mix: dict[str, float] = field(
        default_factory=lambda: _mix(in_person=0.6, video=0.08, telephone=0.2, group=0.12),
        metadata=_meta("mix", keys=MODES),
    )
    exit_mix: dict[str, float] = field(
        default_factory=lambda: _mix(
            discharged=0.62, see_on_symptom=0.22, patient_initiated_follow_up=0.11, other=0.05
        ),
        metadata=_meta("mix", keys=EXITS_AFTER_CARE),
    )
    onward_referral_share: float = field(default=0.03, metadata=_meta("share"))


def _default_pathways() -> dict[str, PathwayPlan]:
    return {
        "self_management": PathwayPlan(
            contact_share=0.3,
            follow_ups_mean=0.3,
            first_mode_mix=_mix(in_person=0.2, video=0.2, telephone=0.6, group=0.0),
            exit_mix=_mix(
                discharged=0.5, see_on_symptom=0.45, patient_initiated_follow_up=0.0, other=0.05
            ),
            onward_referral_share=0.005,
        ),
        "assess_and_support": PathwayPlan(follow_ups_mean=2.2),
        "supported_high_risk": PathwayPlan(
            follow_ups_mean=4.0,
            exit_mix=_mix(
                discharged=0.45, see_on_symptom=0.2, patient_initiated_follow_up=0.3, other=0.05
            ),
            onward_referral_share=0.08,
        ),
        "subspecialty": PathwayPlan(follow_ups_mean=0.8, onward_referral_share=0.45),
    }


@dataclass(frozen=True)
class Returns:
    """SOS and PIFU: how long a person may come back, and how many do (Wales specification 2.3)."""

    see_on_symptom_window_days: int = field(default=182, metadata=_meta("positive"))
    pifu_window_days: int = field(default=365, metadata=_meta("positive"))
    see_on_symptom_return_share: float = field(default=0.12, metadata=_meta("share"))
    pifu_return_share: float = field(default=0.3, metadata=_meta("share"))


@dataclass(frozen=True)
class Onward:
    """Onward referrals to subspecialty services: where to, by which route, how many convert."""

    subspecialty_mix: dict[str, float] = field(
        default_factory=lambda: _mix(
            orthopaedics=0.5, spinal=0.2, rheumatology=0.1, persistent_pain=0.15, other=0.05
        ),
        metadata=_meta("mix", keys=SUBSPECIALTIES),
    )
    interface_clinic_share: float = field(default=0.4, metadata=_meta("share"))
    conversion_rate: float = field(default=0.6, metadata=_meta("share"))
    conversion_unknown_days: int = field(default=90, metadata=_meta("non_negative"))


@dataclass(frozen=True)
class Changes:
    """Changes to the baseline: the levers a service manager pulls."""

    demand_growth_pct: float = field(default=0.0, metadata=_meta("growth"))
    added_fte: dict[str, float] = field(
        default_factory=dict, metadata=_meta("amounts", keys=BAND_GROUPS, partial=True)
    )
    added_triage_hours: float = field(default=0.0, metadata=_meta("any"))
    dna_reduction_pct: float = field(default=0.0, metadata=_meta("percent"))
    self_management_shift_pct: float = field(default=0.0, metadata=_meta("percent"))

    @property
    def is_empty(self) -> bool:
        return self == Changes()


@dataclass(frozen=True)
class Scenario:
    """Everything one simulation run needs; ``variants`` are named change sets to compare."""

    name: str = "baseline"
    description: str = ""
    calendar: str = field(default="working_days", metadata=_meta("choice", choices=CALENDARS))
    service: ServiceInfo = field(default_factory=ServiceInfo)
    period: Period = field(default_factory=Period)
    demand: Demand = field(default_factory=Demand)
    triage: Triage = field(default_factory=Triage)
    clinics: Clinics = field(default_factory=Clinics)
    attendance: Attendance = field(default_factory=Attendance)
    pathways: dict[str, PathwayPlan] = field(
        default_factory=_default_pathways, metadata=_meta("table", keys=SEEN_PATHWAYS)
    )
    returns: Returns = field(default_factory=Returns)
    onward: Onward = field(default_factory=Onward)
    changes: Changes = field(default_factory=Changes)
    variants: dict[str, Changes] = field(default_factory=dict, metadata=_meta("variants"))
