"""Template filters of the care record (``{% load care %}``)."""

from __future__ import annotations

from django import template

from imsk.web.accounts.models import User
from imsk.web.consultations.views import reads_care_record

register = template.Library()


@register.filter
def reads_care(user: object) -> bool:
    """Whether ``user`` may open care records (a clinician, triage clinician or service manager)."""
    return isinstance(user, User) and reads_care_record(user)
