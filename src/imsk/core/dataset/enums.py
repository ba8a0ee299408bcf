"""The closed lists (enums) of the MSK service data set, version 1.

Each enum column of ``../shared/spec/dataset.md`` has one :class:`~enum.StrEnum` here whose values are
exactly the spelling the data set uses (lower case, underscores). The Wales integrated MSK service
specification asks that every request is received at a single point of access (SPoA), triaged to a
priority (urgent or routine) and a pathway (self-management, assess and support, supported high risk,
subspecialty, or redirected out of the service), and that every appointment, onward referral, exit
and patient-reported measure is recorded; these lists are the codes for those facts.

:class:`~imsk.core.calendar.Nation` (``services.nation``) and :class:`~imsk.core.codes.ExitCode`
(``exits.code``) live with the concepts they drive and are reused here.
"""

from __future__ import annotations

from enum import StrEnum


class Source(StrEnum):
    """Where a request came from (``requests.source``)."""

    SELF = "self"
    GP = "gp"
    PRIMARY_CARE_MDT = "primary_care_mdt"
    URGENT_PRIMARY_CARE = "urgent_primary_care"
    MINOR_INJURY_UNIT = "minor_injury_unit"
    EMERGENCY_DEPARTMENT = "emergency_department"
    NHS111 = "nhs111"
    SUBSPECIALTY = "subspecialty"
    OTHER = "other"


class Category(StrEnum):
    """What the referrer asked for (``requests.category``); may be null for self-referral."""

    REHABILITATION_INTERVENTION = "rehabilitation_intervention"
    DIAGNOSIS_AND_MANAGEMENT_OPINION = "diagnosis_and_management_opinion"
    MANAGEMENT_OPINION = "management_opinion"


class Sex(StrEnum):
    """Recorded sex (``requests.sex``)."""

    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNKNOWN = "unknown"


class Priority(StrEnum):
    """Clinical priority set at triage (``requests.priority``); null until triaged."""

    URGENT = "urgent"
    ROUTINE = "routine"


class Pathway(StrEnum):
    """The pathway a request is allocated to at triage (``requests.pathway``).

    ``redirected`` means not accepted: sent to emergency care, paediatrics, an early-arthritis clinic
    and so on.
    """

    SELF_MANAGEMENT = "self_management"
    ASSESS_AND_SUPPORT = "assess_and_support"
    SUPPORTED_HIGH_RISK = "supported_high_risk"
    SUBSPECIALTY = "subspecialty"
    REDIRECTED = "redirected"


class ContactKind(StrEnum):
    """First appointment or follow-up (``contacts.kind``)."""

    FIRST = "first"
    FOLLOW_UP = "follow_up"


class ContactStatus(StrEnum):
    """What became of an appointment (``contacts.status``); DNA = did not attend."""

    BOOKED = "booked"
    ATTENDED = "attended"
    DID_NOT_ATTEND = "did_not_attend"
    PATIENT_CANCELLED = "patient_cancelled"
    SERVICE_CANCELLED = "service_cancelled"


class ContactMode(StrEnum):
    """How an appointment is held (``contacts.mode``)."""

    IN_PERSON = "in_person"
    VIDEO = "video"
    TELEPHONE = "telephone"
    GROUP = "group"


class Subspecialty(StrEnum):
    """The subspecialty service of an onward referral (``onward_referrals.subspecialty``)."""

    ORTHOPAEDICS = "orthopaedics"
    SPINAL = "spinal"
    RHEUMATOLOGY = "rheumatology"
    PERSISTENT_PAIN = "persistent_pain"
    OTHER = "other"


class ReferralRoute(StrEnum):
    """``direct`` onward referral (criteria and data set) or an MDT ``interface_clinic`` handover."""

    DIRECT = "direct"
    INTERFACE_CLINIC = "interface_clinic"


class ExitOutcome(StrEnum):
    """Outcome at exit (``exits.outcome``): recovered, or living well with a long-term condition."""

    RESOLVED = "resolved"
    LIVING_WELL = "living_well"
    OTHER = "other"


class MeasureInstrument(StrEnum):
    """Patient-reported outcome and experience measures (PROMs, PREMs) of ``measures.instrument``."""

    MSK_HQ = "msk_hq"
    EQ5D5L = "eq5d5l"
    START_BACK = "start_back"
    START_MSK = "start_msk"
    OREBRO_SF = "orebro_sf"
    FFT = "fft"
    PREM = "prem"


class Timepoint(StrEnum):
    """When a measure was taken in the episode (``measures.timepoint``)."""

    BASELINE = "baseline"
    DISCHARGE = "discharge"
    FOLLOW_UP = "follow_up"


class FeedbackKind(StrEnum):
    """Kind of feedback received (``feedback.kind``)."""

    COMPLAINT = "complaint"
    COMPLIMENT = "compliment"
    CONCERN = "concern"
