"""The case mix: kinds of request, each triaged once by the core triage engine.

Wales specification 2.3: requests are "stratified on the basis of need" into a priority (urgent care
within 10 working days for recent surgery, recent injury, or acute high pain with loss of function),
a pathway matched to risk of chronicity and activation (self-management, assess and support,
supported high risk, subspecialty) and a grade of clinician (bands 5-6 for simple presentations, 7+ for
complex ones); some requests are not for the service at all (red flags, children, suspected
inflammatory arthritis) and are redirected.

The simulator does not invent those rules. A scenario lists :class:`CaseProfile` s, each a set of triage
facts (the JSON a referral would carry) with its share of requests and the condition codes such a
request is coded with. Before a run, :func:`decision_table` asks the core engine
(:func:`imsk.core.triage.triage` under the chosen rule set) for the decision of every profile from every
source (with and without a category for self-referrals), so every simulated request gets exactly the
priority, pathway and band the product's triage would give it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Final

from imsk.core.calendar import WorkingDayCalendar
from imsk.core.errors import ImskError, ScenarioError
from imsk.core.triage import Pathway, RuleSet, facts_from_mapping, triage

_REPRESENTATIVE_DAY: Final = date(2025, 6, 2)  # decisions do not depend on the date of receipt


@dataclass(frozen=True)
class CaseProfile:
    """One kind of request: triage facts (no ``source``/``received_at``), share, condition codes."""

    name: str
    share: float
    facts: dict[str, object] = field(default_factory=dict)
    condition_codes: tuple[str, ...] = ("OTHER.UNDIFFERENTIATED",)

    @property
    def age(self) -> int | None:
        """The age the profile fixes (e.g. a child), else ``None`` (ages are drawn)."""
        value = self.facts.get("age")
        return value if isinstance(value, int) and not isinstance(value, bool) else None


_BACK = ("BACK.NONSPECIFIC", "BACK.RADICULAR", "BACK.CHRONIC")
_JOINTS = (
    "NECK.NONSPECIFIC",
    "SHOULDER.RC",
    "SHOULDER.FROZEN",
    "HIP.OA",
    "KNEE.OA",
    "KNEE.PFP",
    "FOOTANKLE.PF",
    "HANDWRIST.CTS",
    "ELBOW.LATERAL",
)
_LOW = {"start_back": "low", "start_msk": "low"}

DEFAULT_CASE_MIX: Final[tuple[CaseProfile, ...]] = (
    CaseProfile(
        "low_risk_high_activation",
        0.22,
        {**_LOW, "activation": "high", "category": "rehabilitation_intervention"},
        _BACK + _JOINTS,
    ),
    CaseProfile(
        "low_risk_low_activation",
        0.198,
        {**_LOW, "activation": "low", "category": "management_opinion"},
        _BACK + _JOINTS,
    ),
    CaseProfile(
        "medium_risk",
        0.25,
        {"start_back": "medium", "start_msk": "medium", "category": "management_opinion"},
        _BACK + _JOINTS,
    ),
    CaseProfile(
        "diagnostic_opinion",
        0.12,
        {"start_msk": "medium", "category": "diagnosis_and_management_opinion"},
        (*_JOINTS, "OTHER.UNDIFFERENTIATED"),
    ),
    CaseProfile(
        "high_risk_of_chronicity",
        0.09,
        {"start_back": "high", "category": "management_opinion"},
        ("BACK.CHRONIC", "WIDESPREAD.CHRONIC_PAIN", "WIDESPREAD.FIBROMYALGIA", "NECK.NONSPECIFIC"),
    ),
    CaseProfile(
        "subspecialty_criteria",
        0.03,
        {
            "meets_subspecialty_criteria": True,
            "start_msk": "medium",
            "category": "management_opinion",
        },
        ("HIP.OA", "KNEE.OA", "BACK.STENOSIS", "SHOULDER.RC"),
    ),
    CaseProfile(
        "recent_surgery",
        0.03,
        {"recent_surgery_requiring_rehab": True, "category": "rehabilitation_intervention"},
        ("REHAB.POSTOP",),
    ),
    CaseProfile(
        "recent_injury",
        0.04,
        {"recent_injury_requiring_rehab": True, "category": "rehabilitation_intervention"},
        ("REHAB.INJURY", "REHAB.FRACTURE", "FOOTANKLE.SPRAIN"),
    ),
    CaseProfile(
        "acute_high_pain_and_impact",
        0.015,
        {
            "high_pain": True,
            "significant_loss_of_function": True,
            "unable_to_work_or_care": True,
            "category": "management_opinion",
        },
        ("BACK.NONSPECIFIC", "BACK.RADICULAR", "NECK.RADICULAR"),
    ),
    CaseProfile(
        "suspected_cauda_equina",
        0.002,
        {"red_flags": ["saddle_anaesthesia"], "category": "diagnosis_and_management_opinion"},
        ("BACK.RADICULAR",),
    ),
    CaseProfile(
        "suspected_inflammatory_arthritis",
        0.003,
        {"condition_code": "INFLAM.SUSPECTED", "category": "diagnosis_and_management_opinion"},
        ("INFLAM.SUSPECTED",),
    ),
    CaseProfile(
        "child",
        0.002,
        {"age": 12, "category": "management_opinion"},
        ("KNEE.PAIN", "FOOTANKLE.SPRAIN"),
    ),
)


@dataclass(frozen=True)
class CaseDecision:
    """The engine's decision for one profile and source: what the simulator needs of it."""

    urgent: bool
    pathway: str
    band_group: str | None  # "5-6" / "7+"; None when redirected

    @property
    def is_redirected(self) -> bool:
        return self.pathway == Pathway.REDIRECTED.value


def decide(
    profile: CaseProfile,
    source: str,
    with_category: bool,
    ruleset: RuleSet,
    calendar: WorkingDayCalendar,
) -> CaseDecision:
    """Triage one profile from one source with the core engine; bad facts name the profile."""
    facts = {k: v for k, v in profile.facts.items() if with_category or k != "category"}
    facts.setdefault("age", 50)
    facts.update(source=source, received_at=_REPRESENTATIVE_DAY.isoformat())
    try:
        decision = triage(facts_from_mapping(facts), ruleset, calendar)
    except ImskError as error:
        raise ScenarioError(f"demand.case_mix profile {profile.name!r}: {error}") from None
    band = decision.band_requirement.value if decision.band_requirement else None
    return CaseDecision(decision.priority.value == "urgent", decision.pathway.value, band)


def decision_table(
    profiles: tuple[CaseProfile, ...],
    sources: tuple[str, ...],
    ruleset: RuleSet,
    calendar: WorkingDayCalendar,
) -> dict[tuple[int, int, bool], CaseDecision]:
    """Decisions keyed by (profile index, source index, has category); the self source both ways."""
    table: dict[tuple[int, int, bool], CaseDecision] = {}
    for p, profile in enumerate(profiles):
        for s, source in enumerate(sources):
            for with_category in (True, False) if source == "self" else (True,):
                table[p, s, with_category] = decide(
                    profile, source, with_category, ruleset, calendar
                )
    return table
