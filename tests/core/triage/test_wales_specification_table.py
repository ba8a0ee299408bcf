"""The bundled rule set decides as the Wales specification (and the guidelines it cites) says.

Each case quotes the line it comes from. "Wales 2.3" is section 2.3 (Core Principles) of the NHS Wales
Integrated Service for Musculoskeletal Health specification, draft 0.6; deadlines follow
``../shared/spec/kpis.md`` (WD(d, n): the n-th working day strictly after the date of receipt).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest

from imsk.core.calendar import calendar_for
from imsk.core.triage import (
    Activation,
    AxialSpaFeature,
    BandRequirement,
    Category,
    Disposition,
    Pathway,
    Priority,
    RedFlag,
    RiskGroup,
    Source,
    TriageFacts,
    triage,
)
from tests.core.triage.builders import a_request, bundled_ruleset

RULESET = bundled_ruleset()

LOW_RISK_HIGH_ACTIVATION: dict[str, Any] = {
    "start_back": RiskGroup.LOW,
    "activation": Activation.HIGH,
}
NG65_PRECONDITION: dict[str, Any] = {"back_pain_onset_before_45_over_3_months": True}
FOUR_FEATURES = frozenset(list(AxialSpaFeature)[:4])
THREE_FEATURES = frozenset(list(AxialSpaFeature)[:3])


@dataclass(frozen=True)
class Case:
    name: str
    cite: str
    facts: TriageFacts
    expect: dict[str, Any]
    fired: frozenset[str] = frozenset()
    nation: str = "wales"
    not_fired: frozenset[str] = field(default_factory=frozenset)


def urgent(on: date, **changes: Any) -> TriageFacts:
    return a_request(received_on=on, recent_surgery_requiring_rehab=True, **changes)


def routine(on: date, **changes: Any) -> TriageFacts:
    return a_request(received_on=on, **changes)


CASES = [
    # ---- Deadlines: "24 hours for urgent requests and 3 working days for routine" (Wales 2.3) ----
    Case(
        "routine midweek: triage by the third working day",
        "Wales 2.3: 3 working days for routine requests",
        routine(date(2026, 6, 10)),
        {
            "priority": Priority.ROUTINE,
            "triage_deadline": date(2026, 6, 15),
            "first_contact_deadline": None,
        },
    ),
    Case(
        "urgent midweek: triage next working day, first contact within 10",
        "Wales 2.3: 24 hours; within 10 working days",
        urgent(date(2026, 6, 10)),
        {
            "priority": Priority.URGENT,
            "triage_deadline": date(2026, 6, 11),
            "first_contact_deadline": date(2026, 6, 24),
        },
    ),
    Case(
        "urgent on Christmas Eve (Thursday) waits out Christmas and Boxing Day observed",
        "Wales 2.3: 24 hours for urgent; kpis.md WD(d, 1) skips bank holidays",
        urgent(date(2026, 12, 24)),
        {"triage_deadline": date(2026, 12, 29), "first_contact_deadline": date(2027, 1, 12)},
    ),
    Case(
        "urgent received on Christmas Day (Friday)",
        "kpis.md: received Friday, n = 1 -> Monday, or Tuesday if a bank holiday",
        urgent(date(2026, 12, 25)),
        {"triage_deadline": date(2026, 12, 29)},
    ),
    Case(
        "urgent received on a Saturday",
        "kpis.md: received Saturday, n = 1 -> Monday",
        urgent(date(2026, 6, 13)),
        {"triage_deadline": date(2026, 6, 15), "first_contact_deadline": date(2026, 6, 26)},
    ),
    Case(
        "urgent received on Good Friday skips Easter Monday",
        "kpis.md: WD(d, n) skips the nation's bank holidays",
        urgent(date(2026, 4, 3)),
        {"triage_deadline": date(2026, 4, 7)},
    ),
    Case(
        "routine received before the Welsh late summer bank holiday",
        "Wales 2.3: 3 working days for routine requests",
        routine(date(2026, 8, 28)),
        {"triage_deadline": date(2026, 9, 3)},
    ),
    Case(
        "routine received in Scotland before its (earlier) summer bank holiday passed",
        "kpis.md: bank holidays of the service's nation",
        routine(date(2026, 8, 28)),
        {"triage_deadline": date(2026, 9, 2)},
        nation="scotland",
    ),
    Case(
        "urgent received on New Year's Day in Scotland skips 2 January",
        "kpis.md: bank holidays of the service's nation",
        urgent(date(2026, 1, 1)),
        {"triage_deadline": date(2026, 1, 5)},
        nation="scotland",
    ),
    Case(
        "urgent received the day before St Patrick's Day in Northern Ireland",
        "kpis.md: bank holidays of the service's nation",
        urgent(date(2026, 3, 16)),
        {"triage_deadline": date(2026, 3, 18)},
        nation="northern_ireland",
    ),
    # ---- Urgent criteria (Wales 2.3, "Urgent care (within 10 working days)") ----
    Case(
        "recent surgery requiring rehabilitation is urgent",
        "Wales 2.3: recent surgery/procedure, requiring rehabilitation",
        a_request(recent_surgery_requiring_rehab=True),
        {
            "disposition": Disposition.ACCEPT,
            "priority": Priority.URGENT,
            "pathway": Pathway.ASSESS_AND_SUPPORT,
        },
        fired=frozenset({"urgent_recent_surgery"}),
    ),
    Case(
        "recent fracture or dislocation requiring rehabilitation is urgent",
        "Wales 2.3: recent injury, fracture or dislocation requiring rehabilitation",
        a_request(recent_injury_requiring_rehab=True),
        {"priority": Priority.URGENT},
        fired=frozenset({"urgent_recent_injury"}),
    ),
    Case(
        "high pain with loss of function and unable to work is urgent",
        "Wales 2.3: high levels of pain ... loss of function ... inability to work",
        a_request(high_pain=True, significant_loss_of_function=True, unable_to_work_or_care=True),
        {"priority": Priority.URGENT},
        fired=frozenset({"urgent_high_pain_and_impact"}),
    ),
    Case(
        "high pain with disturbed sleep and unable to care is urgent",
        "Wales 2.3: ... and/or disturbed sleep and an inability to ... undertake care",
        a_request(high_pain=True, disturbed_sleep=True, unable_to_work_or_care=True),
        {"priority": Priority.URGENT},
    ),
    Case(
        "high pain and loss of function but able to work stays routine",
        "Wales 2.3: criterion 3 needs an inability to work or undertake care",
        a_request(high_pain=True, significant_loss_of_function=True),
        {"priority": Priority.ROUTINE},
        not_fired=frozenset({"urgent_high_pain_and_impact"}),
    ),
    Case(
        "high pain alone stays routine",
        "Wales 2.3: high pain must lead to loss of function and/or disturbed sleep",
        a_request(high_pain=True, unable_to_work_or_care=True),
        {"priority": Priority.ROUTINE},
    ),
    # ---- Pathway allocation (Wales 2.3, "All requests will be allocated to a pathway") ----
    Case(
        "low risk, low impact, high activation: self-management",
        "Wales 2.3: low risk of chronicity, low impact and high activation - supported to self-manage",
        a_request(**LOW_RISK_HIGH_ACTIVATION),
        {"pathway": Pathway.SELF_MANAGEMENT, "band_requirement": BandRequirement.JUNIOR, "band": 6},
    ),
    Case(
        "low risk, low impact, low activation: assess and support",
        "Wales 2.3: low risk, low impact and low activation - assessed and ... supported",
        a_request(start_msk=RiskGroup.LOW, activation=Activation.LOW),
        {"pathway": Pathway.ASSESS_AND_SUPPORT, "band_requirement": BandRequirement.JUNIOR},
        fired=frozenset({"low_risk_low_impact_low_activation"}),
    ),
    Case(
        "low risk and low impact with unknown activation is assessed, not left to self-manage",
        "Wales 2.3: self-management needs high activation",
        a_request(start_back=RiskGroup.LOW),
        {"pathway": Pathway.ASSESS_AND_SUPPORT},
    ),
    Case(
        "low risk and high activation but disturbed sleep is not low impact",
        "Wales 2.3: self-management needs low impact",
        a_request(disturbed_sleep=True, **LOW_RISK_HIGH_ACTIVATION),
        {"pathway": Pathway.ASSESS_AND_SUPPORT},
    ),
    Case(
        "STarT Back high: supported high-risk pathway with a senior clinician",
        "Wales 2.3: high risk of chronicity - assessed and supported; START BACK",
        a_request(start_back=RiskGroup.HIGH, activation=Activation.HIGH),
        {
            "pathway": Pathway.SUPPORTED_HIGH_RISK,
            "band_requirement": BandRequirement.SENIOR,
            "band": 7,
        },
    ),
    Case(
        "STarT MSK high: supported high-risk pathway",
        "Wales 2.3: high risk of chronicity; START MSK",
        a_request(start_msk=RiskGroup.HIGH),
        {"pathway": Pathway.SUPPORTED_HIGH_RISK},
    ),
    Case(
        "Orebro at risk: supported high-risk pathway",
        "Wales 2.3: high risk of chronicity; Orebro",
        a_request(orebro_at_risk=True),
        {"pathway": Pathway.SUPPORTED_HIGH_RISK},
    ),
    Case(
        "STarT Back low but Orebro at risk: the higher risk wins",
        "Wales 2.3: high risk of chronicity (any tool)",
        a_request(orebro_at_risk=True, **LOW_RISK_HIGH_ACTIVATION),
        {"pathway": Pathway.SUPPORTED_HIGH_RISK},
    ),
    Case(
        "STarT Back medium: assess and support",
        "Wales 2.3: a level of care matched to need (STarT Back medium)",
        a_request(start_back=RiskGroup.MEDIUM, activation=Activation.HIGH),
        {"pathway": Pathway.ASSESS_AND_SUPPORT},
        fired=frozenset({"medium_risk_of_chronicity"}),
    ),
    Case(
        "no stratification recorded: assess and support",
        "Wales 2.3: assessments of need and capability (STarT MSK, STarT Back or Orebro)",
        a_request(activation=Activation.HIGH),
        {"pathway": Pathway.ASSESS_AND_SUPPORT},
        fired=frozenset({"no_risk_stratification"}),
    ),
    Case(
        "meets subspecialty criteria: subspecialty pathway, senior clinician",
        "Wales 2.3: escalation to affiliated multiprofessional subspecialty teams",
        a_request(meets_subspecialty_criteria=True, start_back=RiskGroup.HIGH),
        {"pathway": Pathway.SUBSPECIALTY, "band_requirement": BandRequirement.SENIOR},
    ),
    Case(
        "diagnostic opinion needs a band 7+ clinician",
        "Wales 2.3: complex presentations ... band 7 and above; diagnostic and management opinion",
        a_request(category=Category.DIAGNOSIS_AND_MANAGEMENT_OPINION, **LOW_RISK_HIGH_ACTIVATION),
        {"band_requirement": BandRequirement.SENIOR, "band": 7},
    ),
    Case(
        "a self-referral needs no category",
        "Wales 2.3: both self-initiated and healthcare-initiated requests",
        a_request(source=Source.SELF, category=None, **LOW_RISK_HIGH_ACTIVATION),
        {"disposition": Disposition.ACCEPT, "pathway": Pathway.SELF_MANAGEMENT},
    ),
    # ---- Red flags (Wales 2.3: stratification "including biomedical red flags") ----
    Case(
        "bladder disturbance: emergency redirect",
        "GIRFT suspected CES pathway 2023; instruments.md 8A",
        a_request(red_flags=frozenset({RedFlag.BLADDER_DISTURBANCE})),
        {
            "disposition": Disposition.EMERGENCY_REDIRECT,
            "priority": Priority.URGENT,
            "pathway": Pathway.REDIRECTED,
            "band": None,
            "first_contact_deadline": None,
            "act_same_day": True,
        },
    ),
    Case(
        "saddle anaesthesia in a low-risk, activated person is still an emergency",
        "GIRFT suspected CES pathway 2023; instruments.md 8A",
        a_request(red_flags=frozenset({RedFlag.SADDLE_ANAESTHESIA}), **LOW_RISK_HIGH_ACTIVATION),
        {"disposition": Disposition.EMERGENCY_REDIRECT, "pathway": Pathway.REDIRECTED},
    ),
    Case(
        "bilateral leg symptoms: emergency redirect",
        "IFOMPT 2020; instruments.md 8A",
        a_request(red_flags=frozenset({RedFlag.BILATERAL_LEG_SYMPTOMS})),
        {"disposition": Disposition.EMERGENCY_REDIRECT},
    ),
    Case(
        "history of cancer: same-day medical review",
        "NICE NG59; instruments.md 8B",
        a_request(red_flags=frozenset({RedFlag.HISTORY_OF_CANCER})),
        {
            "disposition": Disposition.URGENT_MEDICAL_REVIEW,
            "priority": Priority.URGENT,
            "act_same_day": True,
            "band_requirement": BandRequirement.SENIOR,
            "first_contact_deadline": date(2026, 6, 24),
        },
    ),
    Case(
        "unexplained weight loss overrides a self-management answer",
        "NICE NG59; instruments.md 8B",
        a_request(
            red_flags=frozenset({RedFlag.UNEXPLAINED_WEIGHT_LOSS}), **LOW_RISK_HIGH_ACTIVATION
        ),
        {"disposition": Disposition.URGENT_MEDICAL_REVIEW, "pathway": Pathway.ASSESS_AND_SUPPORT},
    ),
    Case(
        "fever: same-day medical review for suspected infection",
        "NICE NG59; instruments.md 8C",
        a_request(red_flags=frozenset({RedFlag.FEVER_OR_SYSTEMICALLY_UNWELL})),
        {"disposition": Disposition.URGENT_MEDICAL_REVIEW},
    ),
    Case(
        "intravenous drug use: same-day medical review",
        "IFOMPT 2020; instruments.md 8C",
        a_request(red_flags=frozenset({RedFlag.INTRAVENOUS_DRUG_USE})),
        {"disposition": Disposition.URGENT_MEDICAL_REVIEW},
    ),
    Case(
        "significant trauma: same-day review for suspected fracture",
        "IFOMPT 2020; instruments.md 8D",
        a_request(red_flags=frozenset({RedFlag.SIGNIFICANT_TRAUMA})),
        {"disposition": Disposition.URGENT_MEDICAL_REVIEW},
    ),
    Case(
        "minor trauma on long-term steroids: suspected fracture",
        "IFOMPT 2020; instruments.md 8D",
        a_request(
            red_flags=frozenset({RedFlag.MINOR_TRAUMA_WITH_OSTEOPOROSIS_OR_STEROIDS}),
            recent_injury_requiring_rehab=True,
        ),
        {"disposition": Disposition.URGENT_MEDICAL_REVIEW, "priority": Priority.URGENT},
    ),
    Case(
        "suspected persistent synovitis goes directly to rheumatology",
        "Wales 1.2: suspected early inflammatory arthritis is seen directly by rheumatology",
        a_request(red_flags=frozenset({RedFlag.SUSPECTED_PERSISTENT_SYNOVITIS})),
        {
            "disposition": Disposition.REDIRECT_RHEUMATOLOGY,
            "priority": Priority.URGENT,
            "pathway": Pathway.REDIRECTED,
        },
    ),
    Case(
        "condition coded suspected inflammatory arthritis goes to rheumatology",
        "Wales 1.2; condition codes v1 INFLAM.SUSPECTED",
        a_request(condition_code="INFLAM.SUSPECTED"),
        {"disposition": Disposition.REDIRECT_RHEUMATOLOGY},
    ),
    Case(
        "back pain before 45 for over 3 months with 4 NG65 features: rheumatology",
        "NICE NG65 1.1: 4 or more features -> refer",
        a_request(axial_spa_features=FOUR_FEATURES, **NG65_PRECONDITION),
        {"disposition": Disposition.REDIRECT_RHEUMATOLOGY, "priority": Priority.ROUTINE},
    ),
    Case(
        "3 NG65 features and HLA-B27 positive: rheumatology",
        "NICE NG65 1.1: 3 features, HLA-B27 positive -> refer",
        a_request(axial_spa_features=THREE_FEATURES, hla_b27_positive=True, **NG65_PRECONDITION),
        {"disposition": Disposition.REDIRECT_RHEUMATOLOGY},
    ),
    Case(
        "3 NG65 features, no HLA-B27 result: accept, senior arranges the test",
        "NICE NG65 1.1: 3 features -> HLA-B27 test",
        a_request(axial_spa_features=THREE_FEATURES, **NG65_PRECONDITION),
        {"disposition": Disposition.ACCEPT, "band_requirement": BandRequirement.SENIOR},
        fired=frozenset({"axial_spa_three_features_hla_b27_unknown"}),
    ),
    Case(
        "4 NG65 features without the back-pain precondition: accept",
        "NICE NG65 1.1: only for back pain starting before 45, lasting > 3 months",
        a_request(axial_spa_features=FOUR_FEATURES),
        {"disposition": Disposition.ACCEPT},
    ),
    # ---- Under 18 (Wales 3.1) ----
    Case(
        "a 17-year-old is redirected to paediatric services",
        "Wales 3.1: those below the age of 18 years ... through paediatric services",
        a_request(age=17),
        {
            "disposition": Disposition.REDIRECT_PAEDIATRICS,
            "pathway": Pathway.REDIRECTED,
            "band": None,
        },
    ),
    Case(
        "an 18-year-old is accepted",
        "Wales 3.1: below the age of 18 years",
        a_request(age=18),
        {"disposition": Disposition.ACCEPT},
        not_fired=frozenset({"under_18"}),
    ),
    Case(
        "a child with a cauda equina red flag goes to the emergency department",
        "Severity order (docs/triage-rules.md); GIRFT CES pathway",
        a_request(age=12, red_flags=frozenset({RedFlag.BOWEL_DISTURBANCE})),
        {"disposition": Disposition.EMERGENCY_REDIRECT},
        fired=frozenset({"under_18", "red_flag_cauda_equina"}),
    ),
    Case(
        "a 16-year-old with suspected synovitis goes to paediatrics, urgently",
        "Wales 3.1 and 1.2; severity order",
        a_request(age=16, red_flags=frozenset({RedFlag.SUSPECTED_PERSISTENT_SYNOVITIS})),
        {"disposition": Disposition.REDIRECT_PAEDIATRICS, "priority": Priority.URGENT},
    ),
    Case(
        "a child after a fracture is redirected urgently, with no first-contact deadline",
        "Wales 3.1; Wales 2.3 urgent criterion 2",
        a_request(age=15, recent_injury_requiring_rehab=True),
        {
            "disposition": Disposition.REDIRECT_PAEDIATRICS,
            "priority": Priority.URGENT,
            "triage_deadline": date(2026, 6, 11),
            "first_contact_deadline": None,
        },
    ),
]


def test_the_table_has_at_least_thirty_cases_with_distinct_names() -> None:
    assert len(CASES) >= 30
    assert len({case.name for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_the_bundled_rules_decide_as_the_specification_says(case: Case) -> None:
    decision = triage(case.facts, RULESET, calendar_for(case.nation))
    actual = {name: getattr(decision, name) for name in case.expect}
    assert actual == case.expect, case.cite
    fired = {rule.id for rule in decision.fired_rules}
    assert case.fired <= fired, case.cite
    assert not case.not_fired & fired, case.cite
    assert decision.ruleset_version == "wales-2026-v1"
