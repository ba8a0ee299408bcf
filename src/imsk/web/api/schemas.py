"""The native JSON shapes of the intake API (documented in the OpenAPI schema at ``/api/docs``).

Validation happens here, at the edge: unknown keys are refused (a misspelt ``red_flag`` must never
silently drop a red flag), values are checked against the data set's closed lists, and each error
names its field. The triage facts are then checked again by the triage engine itself
(``imsk.core.triage.facts_from_mapping``), which is the authority on them.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Schema
from pydantic import ConfigDict, Field

from imsk.core.dataset import enums
from imsk.core.triage import Activation, AxialSpaFeature, RedFlag, RiskGroup


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class PersonIn(Strict):
    """Who the request is about. The data set keeps only a pseudonymous key; these identify the
    person to the service. ``nhs_number`` must pass the modulus 11 check."""

    nhs_number: str | None = Field(default=None, examples=["9434765919"], max_length=12)
    date_of_birth: date | None = None
    full_name: str = Field(default="", max_length=200)
    phone: str = Field(default="", max_length=32)
    email: str = Field(default="", max_length=254)


class FactsIn(Strict):
    """The clinical facts the triage engine reads (``docs/triage-rules.md``); all optional."""

    red_flags: list[RedFlag] = Field(default_factory=list)
    recent_surgery_requiring_rehab: bool = False
    recent_injury_requiring_rehab: bool = False
    high_pain: bool = False
    significant_loss_of_function: bool = False
    disturbed_sleep: bool = False
    unable_to_work_or_care: bool = False
    meets_subspecialty_criteria: bool = False
    back_pain_onset_before_45_over_3_months: bool = False
    start_back: RiskGroup | None = None
    start_msk: RiskGroup | None = None
    orebro_at_risk: bool | None = None
    activation: Activation | None = None
    axial_spa_features: list[AxialSpaFeature] = Field(default_factory=list)
    hla_b27_positive: bool | None = None

    def as_facts(self) -> dict[str, Any]:
        """The facts as the triage engine's JSON (defaults left out, enums as their codes)."""
        return self.model_dump(mode="json", exclude_defaults=True)


class RequestIn(Strict):
    """A request for the integrated MSK service from an electronic referral system."""

    service_id: str | None = Field(
        default=None,
        description="required when the API key covers a health board rather than a service",
    )
    source: enums.Source
    category: enums.Category | None = Field(
        default=None, description="required unless source is self (Wales specification 2.3)"
    )
    referrer_practice: str | None = Field(
        default=None, pattern=r"^[A-Z][0-9]{5}$", description="GP practice ODS code, e.g. W91042"
    )
    age: int | None = Field(
        default=None,
        ge=0,
        le=130,
        description="whole years at receipt; or give person.date_of_birth",
    )
    sex: enums.Sex | None = None
    lsoa: str | None = Field(default=None, pattern=r"^[ENSW][0-9]{8}$")
    deprivation_quintile: int | None = Field(default=None, ge=1, le=5)
    referrer_priority: enums.Priority | None = Field(
        default=None, description="the referrer's view; the service sets priority at triage"
    )
    condition_code: str | None = Field(
        default=None, description="a code of the condition code list"
    )
    free_text: str = Field(default="", max_length=10000)
    person: PersonIn = Field(default_factory=lambda: PersonIn())
    facts: FactsIn = Field(default_factory=lambda: FactsIn())


class TriageOut(Schema):
    """The triage engine's suggestion at receipt; a triage clinician makes the decision."""

    disposition: str
    priority: str
    action: str
    act_same_day: bool
    triage_deadline: date
    ruleset_version: str


class ReceiptOut(Schema):
    """What the service recorded: quote ``request_id`` (the reference) in any follow-up."""

    request_id: str
    status: str
    service_id: str
    received_at: datetime
    triage: TriageOut
