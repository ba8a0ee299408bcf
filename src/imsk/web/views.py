"""The home page, which sends each role to its own start page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from imsk.web.accounts.models import Role, User
from imsk.web.accounts.permissions import policy_of

#: Each role's start page. Clinical apps replace these templates with their own pages as they land.
ROLE_HOME: dict[Role, str] = {
    Role.PATIENT: "home/patient.html",
    Role.REFERRER: "home/service_staff.html",
    Role.TRIAGE_CLINICIAN: "home/service_staff.html",
    Role.CLINICIAN: "home/service_staff.html",
    Role.SERVICE_MANAGER: "home/service_staff.html",
    Role.ANALYST: "home/analyst.html",
    Role.ADMINISTRATOR: "home/administrator.html",
}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return render(request, ROLE_HOME[user.role_enum], {"policy": policy_of(user)})
