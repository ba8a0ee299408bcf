"""Who sees which dashboard figures, and whether they see them raw or with small numbers suppressed.

The dashboard shows aggregate figures, so sight follows the *aggregates* column of the role matrix
(``accounts.permissions.ROLE_POLICIES``): triage clinicians, clinicians and service managers see
their own service; analysts see their health board, or every board when national; referrers,
administrators and patients see no figures. A group (the nation, a health board, a service) is
shown only when the user may see aggregates of **every** service in it, so a service manager sees
their service's page but not their board's, unless the board has that one service only.

Disclosure control (``../shared/spec/kpis.md``, "Disclosure control"): figures for people without
access to the underlying patient records are suppressed (:mod:`imsk.analytics.disclosure`). A group
is shown raw only when the user may see the patient records of every service in it and the level is
not national (a national view is a published view); everyone else, analysts always, sees ``*``
in place of small numbers.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet

from imsk.analytics.kpis.inputs import Level
from imsk.web.accounts.models import Role, Service, User
from imsk.web.accounts.permissions import (
    Scope,
    can_view_aggregates,
    can_view_records,
    policy_of,
)
from imsk.web.dashboard.models import DashboardDataset

NATIONAL_KEY = "national"


def can_use_dashboard(user: User) -> bool:
    """Whether the user's role may see any aggregate figure at all."""
    return user.is_active and policy_of(user).aggregates is not Scope.NONE


def can_upload(user: User) -> bool:
    """Analysts load data sets (it is their job to check data quality)."""
    return user.is_active and user.role == Role.ANALYST


def can_read_findings(user: User) -> bool:
    """The row-level findings of a validation report are for analysts; others see the counts."""
    return can_upload(user)


def datasets_for(user: User) -> QuerySet[DashboardDataset]:
    """Data sets of the user's health board, and national ones (every one for a national user)."""
    queryset = DashboardDataset.objects.select_related("uploaded_by")
    if not can_use_dashboard(user):
        return queryset.none()
    if user.is_national:
        return queryset
    return queryset.filter(Q(health_board="") | Q(health_board=user.health_board))


def is_offered(user: User, dataset: DashboardDataset) -> bool:
    """Whether the data set appears for the user: an invalid one to analysts (to fix it), a valid
    one to whoever may see at least one of its groups."""
    if not datasets_for(user).filter(pk=dataset.pk).exists():
        return False
    if not dataset.is_valid:
        return can_upload(user)
    return any(visible_keys(user, dataset, level) for level in Level)


def services_of(dataset: DashboardDataset, level: Level, key: str) -> list[Service]:
    """The services of a group, as unsaved :class:`Service` values for the permission checks."""
    rows = dataset.service_rows
    if level is Level.HEALTH_BOARD:
        rows = [row for row in rows if row["health_board"] == key]
    elif level is Level.SERVICE:
        rows = [row for row in rows if row["service_id"] == key]
    elif key != NATIONAL_KEY:
        rows = []
    return [_service(row) for row in rows]


def _service(row: dict[str, Any]) -> Service:
    return Service(
        service_id=row["service_id"],
        name=row["name"],
        health_board=row["health_board"],
        nation=row["nation"],
    )


def group_keys(dataset: DashboardDataset, level: Level) -> list[str]:
    """Every group of the level, sorted by key as the KPI report lists them."""
    if level is Level.NATIONAL:
        return [NATIONAL_KEY]
    field = "health_board" if level is Level.HEALTH_BOARD else "service_id"
    return sorted({row[field] for row in dataset.service_rows})


def can_see_group(user: User, dataset: DashboardDataset, level: Level, key: str) -> bool:
    services = services_of(dataset, level, key)
    return bool(services) and all(can_view_aggregates(user, service) for service in services)


def visible_keys(user: User, dataset: DashboardDataset, level: Level) -> list[str]:
    return [key for key in group_keys(dataset, level) if can_see_group(user, dataset, level, key)]


def sees_raw(user: User, dataset: DashboardDataset, level: Level, key: str) -> bool:
    """Raw numbers only for a service or board whose patient records the user may see."""
    if level is Level.NATIONAL:
        return False
    services = services_of(dataset, level, key)
    return bool(services) and all(can_view_records(user, service) for service in services)


def home_level(user: User, dataset: DashboardDataset) -> Level:
    """The widest level at which the user sees something: where their dashboard starts."""
    for level in Level:
        if visible_keys(user, dataset, level):
            return level
    return Level.SERVICE


def names(dataset: DashboardDataset) -> dict[str, str]:
    """Display names by service ID (health boards and the nation are named by their key)."""
    return {row["service_id"]: row["name"] for row in dataset.service_rows}


def children(dataset: DashboardDataset, level: Level, key: str) -> tuple[Level | None, list[str]]:
    """The level below a group and the keys of its groups there (drill-down)."""
    if level is Level.NATIONAL:
        return Level.HEALTH_BOARD, group_keys(dataset, Level.HEALTH_BOARD)
    if level is Level.HEALTH_BOARD:
        return Level.SERVICE, [s.service_id for s in services_of(dataset, level, key)]
    return None, []


def board_of(dataset: DashboardDataset, service_id: str) -> str | None:
    for row in dataset.service_rows:
        if row["service_id"] == service_id:
            board: str = row["health_board"]
            return board
    return None


def only_visible(
    user: User, dataset: DashboardDataset, level: Level, keys: Iterable[str]
) -> list[str]:
    return [key for key in keys if can_see_group(user, dataset, level, key)]
