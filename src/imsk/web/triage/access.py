"""Who may use the triage pages (``docs/triage-worklist.md``, Access).

Triage clinicians of a service triage its requests. Service managers of the service see the
worklist, triage screens and letters read-only, to watch deadlines; they do not decide.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from imsk.web.accounts.models import Role, User

NAV_LABEL = _("Triage worklist")
"""The header link to the worklist (kept here so its Welsh lives in the triage catalogue)."""


def triages(user: User) -> bool:
    """A triage clinician of a service: may decide."""
    return user.is_active and user.role == Role.TRIAGE_CLINICIAN and user.service_id is not None


def sees_worklist(user: User) -> bool:
    """A triage clinician, or a service manager (read-only), of a service."""
    manager = user.role == Role.SERVICE_MANAGER and user.service_id is not None
    return triages(user) or (user.is_active and manager)
