"""Explicit registries of the consultation record: signposting options and onward referral criteria.

Wales specification 2.3 asks the service to "work with and signpost to other services that can help
individuals to live well with MSK conditions, including employment services, independence supporting
services and information and peer support services", and to make "greater use of ... third sector
services". :data:`SIGNPOSTING` is the short list of kinds of support a clinician ticks; a free-text
field names the local organisation.

Onward referral (specification 2.3): "where pathways and criteria can be clearly defined requests
should be managed by onward referral following the appropriate pathway and including the defined
referral criteria and data set". National criteria are still to be agreed with the Wales Orthopaedic
Network CRGs and the rheumatology and persistent pain CINs, so :data:`ONWARD_CRITERIA` holds **this
service's local criteria, pending clinical sign-off**: a checklist per subspecialty that the
clinician confirms before a direct referral. Every item must be met for the direct route; a case that
does not meet them all goes to the subspecialty interface clinic (MDT handover) instead.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from imsk.core.dataset.enums import Subspecialty

Options = tuple[tuple[str, str | Promise], ...]

#: Kinds of community and third-sector support a person can be signposted to.
SIGNPOSTING: Options = (
    ("employment", _("Employment and work support (e.g. Access to Work, Healthy Working Wales)")),
    ("physical_activity", _("Community physical activity (e.g. leisure centre referral scheme)")),
    ("peer_support", _("Peer support and condition charities (e.g. Versus Arthritis)")),
    ("pain_self_management", _("Pain self-management course")),
    ("weight", _("Weight management service")),
    ("mental_wellbeing", _("Mental wellbeing and talking therapies")),
    ("social_prescribing", _("Social prescribing or community connector")),
    ("money_housing", _("Money, benefits and housing advice (e.g. Citizens Advice)")),
    ("carers", _("Carers' support")),
)

#: Local direct-referral criteria per subspecialty (pending clinical sign-off; see the module doc).
ONWARD_CRITERIA: dict[Subspecialty, Options] = {
    Subspecialty.ORTHOPAEDICS: (
        ("conservative_care_tried", _("Evidence-based conservative care tried and not enough")),
        ("imaging_supports", _("Imaging supports the clinical diagnosis")),
        ("wants_surgery", _("The person wants to consider surgery after shared decision making")),
        ("fit_for_opinion", _("Health optimised for a surgical opinion (e.g. weight, smoking)")),
    ),
    Subspecialty.SPINAL: (
        ("radicular_persisting", _("Radicular pain or deficit persisting beyond 6 weeks")),
        ("mri_concordant", _("MRI findings concordant with the symptoms")),
        ("wants_intervention", _("The person wants to consider a spinal intervention")),
        ("no_emergency", _("No suspected cauda equina (that is an emergency pathway)")),
    ),
    Subspecialty.RHEUMATOLOGY: (
        ("inflammatory_features", _("Features of inflammatory disease")),
        ("bloods_done", _("Blood tests done (inflammatory markers, autoantibodies as indicated)")),
        ("not_early_arthritis", _("Not suspected early inflammatory arthritis (urgent route)")),
    ),
    Subspecialty.PERSISTENT_PAIN: (
        ("pain_over_3_months", _("Pain for more than 3 months")),
        ("supported_self_management_tried", _("Supported self-management tried")),
        ("wants_pain_service", _("The person wants a pain service approach")),
    ),
    Subspecialty.OTHER: (
        ("criteria_of_receiving_service", _("Meets the receiving service's published criteria")),
    ),
}

#: Outcomes of a subspecialty interface clinic (MDT) discussion.
INTERFACE_OUTCOMES: Options = (
    ("accepted", _("Accepted onto the subspecialty pathway")),
    ("investigate_first", _("Further investigation by the MSK service first")),
    ("continue_in_service", _("Continue care in the MSK service")),
    ("other", _("Other (see discussion)")),
)


def label_of(options: Options, key: str) -> str:
    """The display label of ``key`` in ``options`` (the key itself if unknown)."""
    return str(dict(options).get(key, key))
