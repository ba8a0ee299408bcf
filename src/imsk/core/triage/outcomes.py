"""What a triage rule can decide, and the order of severity that makes combining rules safe.

A rule's outcome may set a disposition, a priority, a pathway and a band requirement. When several
rules fire, each of these is combined by taking the **most severe** value of the rules that set it
(the orders below are fixed in code, not in the rule-set data). Rule order never matters, so no answer
can downgrade a red flag: a rule that says "routine, self-management" cannot outvote a rule that says
"emergency".

Orders (least to most severe):

* disposition: ``accept`` < ``redirect_rheumatology`` < ``redirect_paediatrics`` <
  ``urgent_medical_review`` < ``emergency_redirect``. Urgency outranks a routine redirect (a child with
  a suspected cauda equina goes to the emergency department, not to a paediatric waiting list);
  paediatrics outranks adult rheumatology because a child with suspected inflammatory arthritis belongs
  to paediatric rheumatology.
* priority: ``routine`` < ``urgent``.
* pathway (how intensive the care): ``self_management`` < ``assess_and_support`` <
  ``supported_high_risk`` < ``subspecialty``. ``redirected`` is never set by a rule: it follows from a
  redirect disposition (data set ``requests.pathway``).
* band requirement (Wales specification 2.3, last bullet): ``5-6`` (simple presentations, junior
  staff) < ``7+`` (complex presentations, senior staff).

:data:`RED_FLAG_FLOOR` is the clinical-safety floor of each red-flag group (research notes
``../shared/research/instruments.md`` section 8): a rule set that does not send every red flag of a
group at least to its floor, with urgent priority, is refused when it is loaded. Changing a floor is a
code change for the service's clinical safety officer (DCB0129/DCB0160), not a rule-set edit.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from imsk.core.triage.vocabulary import RedFlagGroup

__all__ = [
    "DISPOSITION_ACTION",
    "REDIRECTS",
    "RED_FLAG_FLOOR",
    "SAME_DAY",
    "BandRequirement",
    "Disposition",
    "Outcome",
    "Pathway",
    "Priority",
    "most_severe",
    "severity",
]


class Disposition(StrEnum):
    """What the single point of access does with the request. Declared least to most severe."""

    ACCEPT = "accept"
    REDIRECT_RHEUMATOLOGY = "redirect_rheumatology"
    REDIRECT_PAEDIATRICS = "redirect_paediatrics"
    URGENT_MEDICAL_REVIEW = "urgent_medical_review"
    EMERGENCY_REDIRECT = "emergency_redirect"


class Priority(StrEnum):
    """Data set ``requests.priority``. Declared least to most severe."""

    ROUTINE = "routine"
    URGENT = "urgent"


class Pathway(StrEnum):
    """Data set ``requests.pathway``. Declared least to most intensive; ``redirected`` is derived."""

    SELF_MANAGEMENT = "self_management"
    ASSESS_AND_SUPPORT = "assess_and_support"
    SUPPORTED_HIGH_RISK = "supported_high_risk"
    SUBSPECIALTY = "subspecialty"
    REDIRECTED = "redirected"


class BandRequirement(StrEnum):
    """Agenda for Change bands the allocated clinician must hold (Wales specification 2.3)."""

    JUNIOR = "5-6"
    SENIOR = "7+"


S = TypeVar("S", Disposition, Priority, Pathway, BandRequirement)


def severity(value: S) -> int:
    """Position of ``value`` in its enum's declared order (0 = least severe)."""
    return list(type(value)).index(value)


def most_severe(values: list[S]) -> S | None:
    """The most severe of ``values``; ``None`` when there are none."""
    return max(values, key=severity) if values else None


REDIRECTS = frozenset(
    {
        Disposition.EMERGENCY_REDIRECT,
        Disposition.REDIRECT_PAEDIATRICS,
        Disposition.REDIRECT_RHEUMATOLOGY,
    }
)
"""Dispositions that mean "not accepted": the pathway is ``redirected`` and no clinician is allocated."""

SAME_DAY = frozenset({Disposition.EMERGENCY_REDIRECT, Disposition.URGENT_MEDICAL_REVIEW})
"""Dispositions to act on the day the request is triaged, whatever the KPI deadline says."""

DISPOSITION_ACTION: dict[Disposition, str] = {
    Disposition.ACCEPT: "Accept into the integrated MSK service on the allocated pathway.",
    Disposition.REDIRECT_RHEUMATOLOGY: (
        "Do not accept: redirect to the rheumatology early inflammatory arthritis clinic "
        "(Wales specification 1.2) and tell the referrer."
    ),
    Disposition.REDIRECT_PAEDIATRICS: (
        "Do not accept: redirect to paediatric services (Wales specification 3.1) and tell the "
        "referrer and the family."
    ),
    Disposition.URGENT_MEDICAL_REVIEW: (
        "Same day: arrange an urgent medical review of the suspected serious pathology today "
        "(contact the person and the referrer)."
    ),
    Disposition.EMERGENCY_REDIRECT: (
        "Same day, now: direct the person to the emergency department for assessment of suspected "
        "cauda equina syndrome (emergency MRI pathway) and tell the referrer."
    ),
}

RED_FLAG_FLOOR: dict[RedFlagGroup, Disposition] = {
    RedFlagGroup.CAUDA_EQUINA: Disposition.EMERGENCY_REDIRECT,
    RedFlagGroup.SUSPECTED_CANCER: Disposition.URGENT_MEDICAL_REVIEW,
    RedFlagGroup.SUSPECTED_INFECTION: Disposition.URGENT_MEDICAL_REVIEW,
    RedFlagGroup.SUSPECTED_FRACTURE: Disposition.URGENT_MEDICAL_REVIEW,
    RedFlagGroup.INFLAMMATORY_ARTHRITIS: Disposition.REDIRECT_RHEUMATOLOGY,
}


@dataclass(frozen=True)
class Outcome:
    """What one rule sets; ``None`` leaves a field to the other rules (or the rule set's default)."""

    disposition: Disposition | None = None
    priority: Priority | None = None
    pathway: Pathway | None = None
    band: BandRequirement | None = None

    def as_dict(self) -> dict[str, str]:
        """The fields this outcome sets, as data set codes."""
        fields = {
            "disposition": self.disposition,
            "priority": self.priority,
            "pathway": self.pathway,
            "band": self.band,
        }
        return {name: value.value for name, value in fields.items() if value is not None}
