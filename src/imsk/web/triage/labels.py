"""Words for the triage engine's codes on the triage pages (the codes stay in the record).

Red flags, sources and categories reuse the request form's labels, so a flag reads the same on the
form that ticked it and on the screen that triages it.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from imsk.core.triage import Disposition, Pathway, Priority
from imsk.web.referrals.forms import CATEGORY_LABELS, RED_FLAG_LABELS, SOURCE_LABELS

DISPOSITION_LABELS: dict[str, Promise] = {
    Disposition.ACCEPT: _("Accept"),
    Disposition.REDIRECT_RHEUMATOLOGY: _("Redirect to rheumatology"),
    Disposition.REDIRECT_PAEDIATRICS: _("Redirect to paediatric services"),
    Disposition.URGENT_MEDICAL_REVIEW: _("Urgent medical review today"),
    Disposition.EMERGENCY_REDIRECT: _("Emergency department now"),
}
PRIORITY_LABELS: dict[str, Promise] = {
    Priority.URGENT: _("Urgent"),
    Priority.ROUTINE: _("Routine"),
}
PATHWAY_LABELS: dict[str, Promise] = {
    Pathway.SELF_MANAGEMENT: _("Self-management"),
    Pathway.ASSESS_AND_SUPPORT: _("Assess and support"),
    Pathway.SUPPORTED_HIGH_RISK: _("Supported (high risk of chronicity)"),
    Pathway.SUBSPECIALTY: _("Subspecialty"),
    Pathway.REDIRECTED: _("Redirected"),
}

LABELS: dict[str, Promise] = {
    **{str(k): v for k, v in RED_FLAG_LABELS.items()},
    **SOURCE_LABELS,
    **CATEGORY_LABELS,
    **{str(k): v for k, v in DISPOSITION_LABELS.items()},
    **{str(k): v for k, v in PRIORITY_LABELS.items()},
    **{str(k): v for k, v in PATHWAY_LABELS.items()},
}


def label(code: object) -> str | Promise:
    """The words for a code of the engine or the data set; the code itself when it has none."""
    text = "" if code is None else str(code)
    return LABELS.get(text, text.replace("_", " "))
