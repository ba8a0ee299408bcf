"""The role matrix and organisation scoping: who may see which records.

Least privilege (National Data Guardian standard 4: access only for staff who need it for their
current role). Each role has a :class:`RolePolicy` in the explicit registry :data:`ROLE_POLICIES`;
``docs/web.md`` prints the same matrix. A policy gives two scopes:

- ``records``: patient-identifiable records (requests, triage decisions, appointments, outcomes);
- ``aggregates``: counts and KPIs with no patient-identifiable data (the dashboard).

A scope is resolved against the user's organisation: ``SERVICE`` is the user's own service,
``HEALTH_BOARD`` their health board, or every board when a board-scoped user has none (a national
analyst). Views ask :func:`can_view_records` for one record and narrow lists with
:func:`scope_records` / :func:`scope_aggregates`; the audit search asks :func:`can_search_audit`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import wraps
from typing import TypeVar, cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from imsk.web.accounts.models import Role, Service, User


class Scope(StrEnum):
    """How far a role's sight reaches."""

    NONE = "none"
    OWN = "own"  # a patient's own records (linked when patient access arrives)
    SERVICE = "service"
    HEALTH_BOARD = "health_board"  # national when the user has no health board


@dataclass(frozen=True)
class RolePolicy:
    """What one role may do."""

    records: Scope
    aggregates: Scope
    manages_users: bool = False
    searches_audit: bool = False


ROLE_POLICIES: dict[Role, RolePolicy] = {
    Role.PATIENT: RolePolicy(records=Scope.OWN, aggregates=Scope.NONE),
    Role.REFERRER: RolePolicy(records=Scope.SERVICE, aggregates=Scope.NONE),
    Role.TRIAGE_CLINICIAN: RolePolicy(records=Scope.SERVICE, aggregates=Scope.SERVICE),
    Role.CLINICIAN: RolePolicy(records=Scope.SERVICE, aggregates=Scope.SERVICE),
    Role.SERVICE_MANAGER: RolePolicy(records=Scope.SERVICE, aggregates=Scope.SERVICE),
    Role.ANALYST: RolePolicy(records=Scope.NONE, aggregates=Scope.HEALTH_BOARD),
    Role.ADMINISTRATOR: RolePolicy(
        records=Scope.NONE, aggregates=Scope.NONE, manages_users=True, searches_audit=True
    ),
}


def policy_of(user: User) -> RolePolicy:
    return ROLE_POLICIES[user.role_enum]


def can_view_records(user: User, service: Service) -> bool:
    """Whether ``user`` may see patient records of ``service``."""
    return _reaches(user, policy_of(user).records, service)


def can_view_aggregates(user: User, service: Service) -> bool:
    """Whether ``user`` may see aggregate figures of ``service``."""
    return _reaches(user, policy_of(user).aggregates, service)


def can_search_audit(user: User) -> bool:
    return user.is_active and policy_of(user).searches_audit


def can_manage_users(user: User) -> bool:
    return user.is_active and policy_of(user).manages_users


_M = TypeVar("_M", bound=Model)


def scope_records(queryset: QuerySet[_M], user: User, *, service_path: str) -> QuerySet[_M]:
    """Narrow ``queryset`` to the records ``user`` may see.

    ``service_path`` is the lookup from the model to its :class:`Service` (``"service"`` for a
    foreign key named service; ``""`` when the queryset is of services).
    """
    return queryset.filter(_scope_filter(user, policy_of(user).records, service_path))


def scope_aggregates(queryset: QuerySet[_M], user: User, *, service_path: str) -> QuerySet[_M]:
    """Narrow ``queryset`` to the rows ``user`` may count in aggregate figures."""
    return queryset.filter(_scope_filter(user, policy_of(user).aggregates, service_path))


def _reaches(user: User, scope: Scope, service: Service) -> bool:
    if not user.is_active:
        return False
    if scope is Scope.SERVICE:
        return user.service_id is not None and user.service_id == service.service_id
    if scope is Scope.HEALTH_BOARD:
        return user.is_national or user.health_board == service.health_board
    return False  # NONE; OWN is about persons, never a whole service


def _scope_filter(user: User, scope: Scope, service_path: str) -> Q:
    def field(name: str) -> str:
        return f"{service_path}__{name}" if service_path else name

    nothing = Q(pk__in=[])
    if not user.is_active:
        return nothing
    if scope is Scope.SERVICE and user.service_id is not None:
        return Q(**{field("service_id"): user.service_id})
    if scope is Scope.HEALTH_BOARD:
        return Q() if user.is_national else Q(**{field("health_board"): user.health_board})
    return nothing  # NONE, and OWN until records are linked to persons


_View = TypeVar("_View", bound=Callable[..., HttpResponseBase])


def role_required(check: Callable[[User], bool]) -> Callable[[_View], _View]:
    """A view decorator: sign-in required (else redirect to sign-in), then ``check(user)`` or 403."""

    def decorate(view: _View) -> _View:
        @wraps(view)
        def guarded(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponseBase:
            user = request.user
            if not isinstance(user, User) or not check(user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return cast(_View, login_required(guarded))

    return decorate
