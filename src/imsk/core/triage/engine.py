"""The triage engine: facts + rule set + working-day calendar -> an explained decision.

Wales specification 2.3: requests are "stratified on the basis of need", allocated to a pathway "within
24 hours for urgent requests and 3 working days for routine requests", and urgent care "should be met
... within 10 working days of accepting the request". The KPI catalogue (``../shared/spec/kpis.md``)
fixes these as WD(d, 1), WD(d, 3) and WD(d, 10), where d is the date of receipt and WD(d, n) is the
n-th working day strictly after d in the service's nation.

How a decision is made:

1. every rule of the rule set whose condition holds *fires*;
2. each decision field is the most severe value set by the fired rules (order in
   :mod:`imsk.core.triage.outcomes`), else the rule set's default (disposition ``accept``, priority
   ``routine``, the default pathway and band). Rule order never matters;
3. a same-day disposition (emergency redirect, urgent medical review) always has urgent priority;
4. a redirect disposition makes the pathway ``redirected`` with no band and no first-contact deadline
   (the service does not see the person);
5. deadlines: triage by WD(d, 1) (urgent) or WD(d, 3) (routine); for an accepted urgent request the
   first contact by WD(d, 10). A routine request's first contact follows national pathway and
   referral-to-treatment targets, which the specification does not fix, so it has no deadline here.

The engine is pure: the calendar is passed in and the clock is never read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from imsk.core.calendar import Nation, WorkingDayCalendar
from imsk.core.triage.facts import TriageFacts
from imsk.core.triage.outcomes import (
    DISPOSITION_ACTION,
    REDIRECTS,
    SAME_DAY,
    BandRequirement,
    Disposition,
    Outcome,
    Pathway,
    Priority,
    most_severe,
)
from imsk.core.triage.ruleset import Rule, RuleSet

__all__ = [
    "FIRST_CONTACT_WORKING_DAYS_URGENT",
    "TRIAGE_WORKING_DAYS",
    "FiredRule",
    "TriageDecision",
    "triage",
]

TRIAGE_WORKING_DAYS: dict[Priority, int] = {Priority.URGENT: 1, Priority.ROUTINE: 3}
"""Working days allowed for pathway allocation (Wales specification 2.3; kpis.md WD(d, 1) / WD(d, 3))."""

FIRST_CONTACT_WORKING_DAYS_URGENT = 10
"""Urgent care within 10 working days (Wales specification 2.3; kpis.md WD(date of receipt, 10))."""


@dataclass(frozen=True)
class FiredRule:
    """A rule that fired, with what it set and why, for the clinician and the auditor."""

    id: str
    title: str
    explanation: str
    source: str
    outcome: Outcome

    @classmethod
    def of(cls, rule: Rule) -> FiredRule:
        return cls(rule.id, rule.title, rule.explanation, rule.source, rule.outcome)


@dataclass(frozen=True)
class TriageDecision:
    """The outcome of triaging one request under one rule-set version."""

    request_id: str | None
    disposition: Disposition
    priority: Priority
    pathway: Pathway
    band_requirement: BandRequirement | None
    band: int | None
    action: str
    act_same_day: bool
    received_on: date
    nation: Nation
    triage_deadline: date
    first_contact_deadline: date | None
    fired_rules: tuple[FiredRule, ...]
    ruleset_version: str

    @property
    def is_redirected(self) -> bool:
        return self.disposition in REDIRECTS

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready rendering (the shape ``imsk triage`` prints)."""
        return {
            "request_id": self.request_id,
            "disposition": self.disposition.value,
            "priority": self.priority.value,
            "pathway": self.pathway.value,
            "band_requirement": self.band_requirement.value if self.band_requirement else None,
            "band": self.band,
            "action": self.action,
            "act_same_day": self.act_same_day,
            "received_on": self.received_on.isoformat(),
            "nation": self.nation.value,
            "triage_deadline": self.triage_deadline.isoformat(),
            "first_contact_deadline": _iso(self.first_contact_deadline),
            "ruleset_version": self.ruleset_version,
            "reasons": [
                {
                    "id": fired.id,
                    "title": fired.title,
                    "explanation": fired.explanation,
                    "source": fired.source,
                    "sets": fired.outcome.as_dict(),
                    "overridden": self.overridden(fired.outcome),
                }
                for fired in self.fired_rules
            ],
        }

    def overridden(self, outcome: Outcome) -> list[str]:
        """The fields ``outcome`` set that the decision does not carry (a more severe rule won)."""
        final = {
            "disposition": self.disposition.value,
            "priority": self.priority.value,
            "pathway": self.pathway.value,
            "band": self.band_requirement.value if self.band_requirement else None,
        }
        return [name for name, value in outcome.as_dict().items() if final[name] != value]


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def triage(facts: TriageFacts, ruleset: RuleSet, calendar: WorkingDayCalendar) -> TriageDecision:
    """Decide disposition, priority, pathway, band and deadlines for one request."""
    fired = tuple(FiredRule.of(rule) for rule in ruleset.rules if rule.condition.holds(facts))
    outcomes = [rule.outcome for rule in fired]
    disposition = _combined_disposition(outcomes)
    priority = _combined_priority(outcomes, disposition)
    pathway, band_requirement, band = _allocation(outcomes, disposition, ruleset)
    received = facts.received_on
    first_contact = None
    if priority is Priority.URGENT and disposition not in REDIRECTS:
        first_contact = calendar.add_working_days(received, FIRST_CONTACT_WORKING_DAYS_URGENT)
    return TriageDecision(
        request_id=facts.request_id,
        disposition=disposition,
        priority=priority,
        pathway=pathway,
        band_requirement=band_requirement,
        band=band,
        action=DISPOSITION_ACTION[disposition],
        act_same_day=disposition in SAME_DAY,
        received_on=received,
        nation=calendar.nation,
        triage_deadline=calendar.add_working_days(received, TRIAGE_WORKING_DAYS[priority]),
        first_contact_deadline=first_contact,
        fired_rules=fired,
        ruleset_version=ruleset.version,
    )


def _combined_disposition(outcomes: list[Outcome]) -> Disposition:
    chosen = most_severe([o.disposition for o in outcomes if o.disposition is not None])
    return chosen or Disposition.ACCEPT


def _combined_priority(outcomes: list[Outcome], disposition: Disposition) -> Priority:
    if disposition in SAME_DAY:
        return Priority.URGENT
    chosen = most_severe([o.priority for o in outcomes if o.priority is not None])
    return chosen or Priority.ROUTINE


def _allocation(
    outcomes: list[Outcome], disposition: Disposition, ruleset: RuleSet
) -> tuple[Pathway, BandRequirement | None, int | None]:
    """Pathway, band requirement and default band number (none of the last two for a redirect)."""
    if disposition in REDIRECTS:
        return Pathway.REDIRECTED, None, None
    pathway = most_severe([o.pathway for o in outcomes if o.pathway is not None])
    band = most_severe([o.band for o in outcomes if o.band is not None]) or ruleset.default_band
    return pathway or ruleset.default_pathway, band, ruleset.band_numbers[band]
