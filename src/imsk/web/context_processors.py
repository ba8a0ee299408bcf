"""Template context every page needs: the header navigation for the signed-in user."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from imsk.web.accounts.models import User
from imsk.web.accounts.permissions import can_search_audit
from imsk.web.triage.access import NAV_LABEL as TRIAGE_NAV_LABEL
from imsk.web.triage.access import sees_worklist


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url: str


def navigation(request: HttpRequest) -> dict[str, list[NavItem]]:
    """``nav_items``: the header links the signed-in user may follow."""
    user = getattr(request, "user", None)
    if not isinstance(user, User):
        return {"nav_items": []}
    items = [NavItem(_("Home"), reverse("home"))]
    if can_search_audit(user):
        items.append(NavItem(_("Audit log"), reverse("audit:search")))
    if sees_worklist(user):
        items.append(NavItem(TRIAGE_NAV_LABEL, reverse("triage:worklist")))
    items.extend(_outcomes_items(user))
    items.extend(_clinics_items(user))
    items.extend(_consultations_items(user))
    return {"nav_items": items}


def _outcomes_items(user: User) -> list[NavItem]:
    """Feedback for clinicians and managers; resources for service managers (imsk.web.outcomes)."""
    from imsk.web.outcomes import views

    items = []
    if views.records_feedback(user):
        items.append(NavItem(views.NAV_FEEDBACK, reverse("outcomes:feedback")))
    if views.manages_resources(user):
        items.append(NavItem(views.NAV_RESOURCES, reverse("outcomes:resources")))
    return items


def _clinics_items(user: User) -> list[NavItem]:
    """Clinics and the waiting lists for the roles that book (imsk.web.clinics)."""
    from imsk.web.clinics.views import works_clinics

    if not works_clinics(user):
        return []
    return [
        NavItem(_("Clinics"), reverse("clinics:list")),
        NavItem(_("Waiting list"), reverse("clinics:waiting_list")),
    ]


def _consultations_items(user: User) -> list[NavItem]:
    """Escalations waiting for a clinician's advice (imsk.web.consultations)."""
    from imsk.web.consultations.views import writes_care_record

    if not writes_care_record(user):
        return []
    return [NavItem(_("Escalations for you"), reverse("consultations:escalations"))]
