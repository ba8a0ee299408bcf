"""The coded answers a triage clinician records about a request.

Every value a request's facts may take is a :class:`~enum.StrEnum` whose values are the data set codes
(``../shared/spec/dataset.md``, table ``requests``) or the names the rule-set JSON uses.

Red flags
---------
A red flag is a clinical feature that raises the suspicion of serious pathology which an MSK service
must not manage as ordinary musculoskeletal pain. The flags below are grouped by the pathology they
point to, following the IFOMPT international framework for red flags (Finucane et al., JOSPT
2020;50(7):350-372: cauda equina syndrome, malignancy, infection, fracture), the GIRFT National Suspected
Cauda Equina Syndrome Pathway (2023), NICE NG59 (low back pain and sciatica: exclude cancer, infection,
trauma and inflammatory disease) and, for inflammatory arthritis, NICE NG100 (rheumatoid arthritis,
1.1.1: refer suspected persistent synovitis) and NICE NG65 (spondyloarthritis). The research notes are
``../shared/research/instruments.md`` section 8.

A flag is a *ticked* item: the referrer or triager judged the feature present and relevant (for example
``new_pain_over_50`` means new-onset pain in a person over 50 that the clinician finds suspicious, not
merely any pain in anyone over 50). Single red flags have poor diagnostic accuracy (IFOMPT); the engine's
job is to make sure a ticked flag is never lost, not to diagnose.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "RED_FLAG_GROUPS",
    "Activation",
    "AxialSpaFeature",
    "Category",
    "RedFlag",
    "RedFlagGroup",
    "RiskGroup",
    "Source",
    "group_of",
]


class Source(StrEnum):
    """Who made the request (data set ``requests.source``; Wales specification 2.3)."""

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
    """The three request categories of Wales specification 2.3 (data set ``requests.category``).

    * ``rehabilitation_intervention``: the professional is confident in the diagnosis and the person has
      chosen a well-defined community rehabilitation intervention (e.g. ESCAPE-pain, Good Boost).
    * ``diagnosis_and_management_opinion``: the professional is not confident in the diagnosis.
    * ``management_opinion``: confident in the diagnosis, not in the shared decision.
    """

    REHABILITATION_INTERVENTION = "rehabilitation_intervention"
    DIAGNOSIS_AND_MANAGEMENT_OPINION = "diagnosis_and_management_opinion"
    MANAGEMENT_OPINION = "management_opinion"


class RiskGroup(StrEnum):
    """A STarT Back or STarT MSK risk group (Keele; ``../shared/research/instruments.md`` 2-3)."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class Activation(StrEnum):
    """Confidence / activation to self-manage (Wales specification 2.3: "activation").

    ``unknown`` when no activation or confidence measure was recorded (see instruments.md 7 for the
    free measures: MSK-HQ item 13, PSEQ-2, PEI).
    """

    LOW = "low"
    HIGH = "high"
    UNKNOWN = "unknown"


class RedFlagGroup(StrEnum):
    """The serious pathology a red flag points to."""

    CAUDA_EQUINA = "cauda_equina"
    SUSPECTED_CANCER = "suspected_cancer"
    SUSPECTED_INFECTION = "suspected_infection"
    SUSPECTED_FRACTURE = "suspected_fracture"
    INFLAMMATORY_ARTHRITIS = "inflammatory_arthritis"


class RedFlag(StrEnum):
    """A named red flag; its group is in :data:`RED_FLAG_GROUPS`."""

    # A. Suspected cauda equina syndrome (GIRFT 2023; IFOMPT 2020).
    BLADDER_DISTURBANCE = "bladder_disturbance"
    BOWEL_DISTURBANCE = "bowel_disturbance"
    SADDLE_ANAESTHESIA = "saddle_anaesthesia"
    SEXUAL_DYSFUNCTION = "sexual_dysfunction"
    BILATERAL_LEG_SYMPTOMS = "bilateral_leg_symptoms"
    PROGRESSIVE_NEUROLOGICAL_DEFICIT = "progressive_neurological_deficit"
    # B. Suspected malignancy or metastatic spinal cord compression (NICE NG59; IFOMPT 2020).
    HISTORY_OF_CANCER = "history_of_cancer"
    UNEXPLAINED_WEIGHT_LOSS = "unexplained_weight_loss"
    PERSISTENT_NIGHT_PAIN = "persistent_night_pain"
    NEW_PAIN_OVER_50 = "new_pain_over_50"
    THORACIC_PAIN = "thoracic_pain"
    # C. Suspected infection (NICE NG59; IFOMPT 2020).
    FEVER_OR_SYSTEMICALLY_UNWELL = "fever_or_systemically_unwell"
    INTRAVENOUS_DRUG_USE = "intravenous_drug_use"
    IMMUNOSUPPRESSION = "immunosuppression"
    RECENT_INFECTION_OR_SPINAL_PROCEDURE = "recent_infection_or_spinal_procedure"
    # D. Suspected fracture (IFOMPT 2020).
    SIGNIFICANT_TRAUMA = "significant_trauma"
    MINOR_TRAUMA_WITH_OSTEOPOROSIS_OR_STEROIDS = "minor_trauma_with_osteoporosis_or_steroids"
    NEW_STRUCTURAL_DEFORMITY = "new_structural_deformity"
    # E. Suspected inflammatory arthritis (NICE NG100 1.1.1; Wales specification 1.2).
    SUSPECTED_PERSISTENT_SYNOVITIS = "suspected_persistent_synovitis"


RED_FLAG_GROUPS: dict[RedFlagGroup, frozenset[RedFlag]] = {
    RedFlagGroup.CAUDA_EQUINA: frozenset(
        {
            RedFlag.BLADDER_DISTURBANCE,
            RedFlag.BOWEL_DISTURBANCE,
            RedFlag.SADDLE_ANAESTHESIA,
            RedFlag.SEXUAL_DYSFUNCTION,
            RedFlag.BILATERAL_LEG_SYMPTOMS,
            RedFlag.PROGRESSIVE_NEUROLOGICAL_DEFICIT,
        }
    ),
    RedFlagGroup.SUSPECTED_CANCER: frozenset(
        {
            RedFlag.HISTORY_OF_CANCER,
            RedFlag.UNEXPLAINED_WEIGHT_LOSS,
            RedFlag.PERSISTENT_NIGHT_PAIN,
            RedFlag.NEW_PAIN_OVER_50,
            RedFlag.THORACIC_PAIN,
        }
    ),
    RedFlagGroup.SUSPECTED_INFECTION: frozenset(
        {
            RedFlag.FEVER_OR_SYSTEMICALLY_UNWELL,
            RedFlag.INTRAVENOUS_DRUG_USE,
            RedFlag.IMMUNOSUPPRESSION,
            RedFlag.RECENT_INFECTION_OR_SPINAL_PROCEDURE,
        }
    ),
    RedFlagGroup.SUSPECTED_FRACTURE: frozenset(
        {
            RedFlag.SIGNIFICANT_TRAUMA,
            RedFlag.MINOR_TRAUMA_WITH_OSTEOPOROSIS_OR_STEROIDS,
            RedFlag.NEW_STRUCTURAL_DEFORMITY,
        }
    ),
    RedFlagGroup.INFLAMMATORY_ARTHRITIS: frozenset({RedFlag.SUSPECTED_PERSISTENT_SYNOVITIS}),
}


def group_of(flag: RedFlag) -> RedFlagGroup:
    """The group a red flag belongs to (every flag is in exactly one group)."""
    for group, flags in RED_FLAG_GROUPS.items():
        if flag in flags:
            return group
    raise AssertionError(f"red flag {flag} is in no group")  # pragma: no cover - checked by a test


class AxialSpaFeature(StrEnum):
    """The nine NICE NG65 (section 1.1) features that suggest axial spondyloarthritis.

    NG65: in a person whose low back pain started before the age of 45 and has lasted longer than
    3 months, refer to rheumatology if 4 or more of these are present; if 3 are present, test HLA-B27
    and refer if it is positive.
    """

    ONSET_BEFORE_35 = "onset_before_35"
    WAKING_SECOND_HALF_OF_NIGHT = "waking_second_half_of_night"
    BUTTOCK_PAIN = "buttock_pain"
    IMPROVES_WITH_MOVEMENT = "improves_with_movement"
    IMPROVES_WITHIN_48H_OF_NSAIDS = "improves_within_48h_of_nsaids"
    FIRST_DEGREE_RELATIVE_WITH_SPA = "first_degree_relative_with_spa"
    ARTHRITIS = "arthritis"
    ENTHESITIS = "enthesitis"
    PSORIASIS = "psoriasis"
