"""Template context every page needs: the header navigation for the signed-in user."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from imsk.web.accounts.models import User
from imsk.web.accounts.permissions import can_search_audit


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
    return {"nav_items": items}
