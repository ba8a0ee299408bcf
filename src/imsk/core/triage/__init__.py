"""Triage at the single point of access (Wales specification 2.3).

Every request to an integrated MSK service is triaged: is it safe for the service to accept (red flags
of serious pathology go to emergency or urgent medical care; children go to paediatric services;
suspected early inflammatory arthritis goes directly to rheumatology), how urgent is it, which pathway
matches the person's need, and which grade of clinician should see them, by when.

The rules are versioned data (``rulesets/*.json``, see ``docs/triage-rules.md``) interpreted by a pure
engine. A decision names the rules that fired, each with its plain-English explanation and source, and
records the rule-set version. Outcomes combine by severity, so no answer can downgrade a red flag.

The severity routing is a clinical-safety decision: it belongs to the service's clinical safety officer
under DCB0129 (manufacturer) and DCB0160 (deploying organisation).
"""

from imsk.core.triage.engine import (
    FIRST_CONTACT_WORKING_DAYS_URGENT,
    TRIAGE_WORKING_DAYS,
    FiredRule,
    TriageDecision,
    triage,
)
from imsk.core.triage.facts import TriageFacts, facts_from_mapping
from imsk.core.triage.outcomes import (
    RED_FLAG_FLOOR,
    BandRequirement,
    Disposition,
    Outcome,
    Pathway,
    Priority,
    severity,
)
from imsk.core.triage.ruleset import Rule, RuleSet, parse_ruleset
from imsk.core.triage.vocabulary import (
    RED_FLAG_GROUPS,
    Activation,
    AxialSpaFeature,
    Category,
    RedFlag,
    RedFlagGroup,
    RiskGroup,
    Source,
    group_of,
)

__all__ = [
    "FIRST_CONTACT_WORKING_DAYS_URGENT",
    "RED_FLAG_FLOOR",
    "RED_FLAG_GROUPS",
    "TRIAGE_WORKING_DAYS",
    "Activation",
    "AxialSpaFeature",
    "BandRequirement",
    "Category",
    "Disposition",
    "FiredRule",
    "Outcome",
    "Pathway",
    "Priority",
    "RedFlag",
    "RedFlagGroup",
    "RiskGroup",
    "Rule",
    "RuleSet",
    "Source",
    "TriageDecision",
    "TriageFacts",
    "facts_from_mapping",
    "group_of",
    "parse_ruleset",
    "severity",
    "triage",
]
