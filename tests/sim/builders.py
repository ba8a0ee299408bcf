"""Scenario builders for the simulation tests: an M/M/c set-up and a small realistic service."""

from __future__ import annotations

from typing import Any

from imsk.sim.scenario import Scenario
from imsk.sim.schema import scenario_from_mapping

MINUTES_PER_YEAR = 365.25 * 1440


def mmc_scenario(
    arrivals_per_hour: float,
    mean_service_minutes: float,
    servers: int,
    *,
    weeks: int = 8,
    warmup_weeks: int = 1,
) -> Scenario:
    """Poisson arrivals, exponential service, c always-open servers, one FIFO queue.

    Every request has the same case profile (routine, assess and support, band 5-6), is triaged on
    receipt, always attends, has no follow-up and is discharged after its first contact; there is no
    notice period and no working-day calendar. This is the M/M/c queue of Erlang C.
    """
    flat = {"in_person": 1.0, "video": 0.0, "telephone": 0.0, "group": 0.0}
    return scenario_from_mapping(
        {
            "calendar": "continuous",
            "period": {"start": "2025-01-06", "weeks": weeks, "warmup_weeks": warmup_weeks},
            "demand": {
                "requests_per_year": arrivals_per_hour * 24 * 365.25,
                "source_mix": {**dict.fromkeys(_SOURCES, 0.0), "gp": 1.0},
                "weekday_weights": [1] * 7,
                "self_weekday_weights": [1] * 7,
                "month_weights": [1] * 12,
                "professional_hours": [0, 24],
                "self_hours": [0, 24],
                "case_mix": [
                    {
                        "name": "routine",
                        "share": 1.0,
                        "facts": {
                            "start_back": "low",
                            "activation": "low",
                            "category": "management_opinion",
                        },
                        "condition_codes": ["KNEE.OA"],
                    }
                ],
            },
            "triage": {"minutes_per_request": 0},
            "clinics": {
                "bands": {"5-6": {"fte": servers}, "7+": {"fte": 0}},
                "service_time": "exponential",
                "first_minutes": {
                    "in_person": mean_service_minutes,
                    "video": 1,
                    "telephone": 1,
                    "group": 1,
                },
                "urgent_notice_days": 0,
                "routine_notice_days": 0,
            },
            "attendance": {
                "first": _no_failures(),
                "follow_up": _no_failures(),
            },
            "pathways": {
                "assess_and_support": {
                    "follow_ups_mean": 0,
                    "first_mode_mix": flat,
                    "exit_mix": {
                        "discharged": 1.0,
                        "see_on_symptom": 0.0,
                        "patient_initiated_follow_up": 0.0,
                        "other": 0.0,
                    },
                    "onward_referral_share": 0,
                }
            },
        }
    )


_SOURCES = (
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


def _no_failures() -> dict[str, float]:
    return {"did_not_attend": 0.0, "patient_cancelled": 0.0, "service_cancelled": 0.0}


def small_service(**overrides: Any) -> Scenario:
    """A realistic but small service (about 3,000 requests a year, 10 weeks reported)."""
    data: dict[str, Any] = {
        "service": {"service_id": "T1", "health_board": "7A3", "nation": "wales"},
        "period": {"start": "2025-04-01", "weeks": 10, "warmup_weeks": 4},
        "demand": {"requests_per_year": 3000},
        "triage": {"clinician_hours_per_working_day": 2.0},
        "clinics": {"bands": {"5-6": {"fte": 3.0}, "7+": {"fte": 1.5}}},
    }
    for key, value in overrides.items():
        data[key] = {**data.get(key, {}), **value} if isinstance(value, dict) else value
    return scenario_from_mapping(data)
