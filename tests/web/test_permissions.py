"""The role matrix: who may see which service's records and figures.

Persona "other_board_clinician" (Betsi Cadwaladr, 7A1) must see nothing of Cardiff and Vale (7A4).
"""

from __future__ import annotations

import pytest

from imsk.web.accounts import services
from imsk.web.accounts.models import Role, Service, User
from imsk.web.accounts.permissions import (
    ROLE_POLICIES,
    can_manage_users,
    can_search_audit,
    can_view_aggregates,
    can_view_records,
    scope_aggregates,
    scope_records,
)
from imsk.web.errors import AccountError
from tests.web.personas import Personas

pytestmark = pytest.mark.django_db


def test_every_role_has_a_policy() -> None:
    assert set(ROLE_POLICIES) == set(Role)


@pytest.mark.parametrize("persona", ["referrer", "triage", "clinician", "manager"])
def test_service_staff_see_records_of_their_own_service_only(
    persona: str, personas: Personas
) -> None:
    user = personas.all()[persona]
    assert can_view_records(user, personas.our_service)
    assert not can_view_records(user, personas.other_service)
    staff = scope_records(User.objects.all(), user, service_path="service")
    assert set(staff.values_list("service_id", flat=True)) == {"cav-msk"}


def test_a_clinician_of_another_health_board_sees_nothing_of_ours(personas: Personas) -> None:
    outsider = personas.other_board_clinician
    assert not can_view_records(outsider, personas.our_service)
    assert not can_view_aggregates(outsider, personas.our_service)
    ours = User.objects.filter(service=personas.our_service)
    assert not scope_records(ours, outsider, service_path="service").exists()
    assert not scope_aggregates(ours, outsider, service_path="service").exists()
    assert list(scope_records(Service.objects.all(), outsider, service_path="")) == [
        personas.other_service
    ]


def test_referrers_see_records_but_no_service_figures(personas: Personas) -> None:
    assert can_view_records(personas.referrer, personas.our_service)
    assert not can_view_aggregates(personas.referrer, personas.our_service)


@pytest.mark.parametrize("persona", ["analyst", "national_analyst", "admin", "board_admin"])
def test_analysts_and_administrators_see_no_patient_records(
    persona: str, personas: Personas
) -> None:
    user = personas.all()[persona]
    assert not can_view_records(user, personas.our_service)
    assert not scope_records(Service.objects.all(), user, service_path="").exists()


def test_a_board_analyst_sees_figures_of_their_board_and_a_national_analyst_of_every_board(
    personas: Personas,
) -> None:
    board, national = personas.analyst, personas.national_analyst
    assert can_view_aggregates(board, personas.our_service)
    assert not can_view_aggregates(board, personas.other_service)
    assert can_view_aggregates(national, personas.other_service)
    every = set(Service.objects.values_list("service_id", flat=True))
    assert (
        set(
            scope_aggregates(Service.objects.all(), national, service_path="").values_list(
                "pk", flat=True
            )
        )
        == every
    )


def test_patients_see_no_service_records_until_records_are_linked_to_them(
    personas: Personas,
) -> None:
    assert not can_view_records(personas.patient, personas.our_service)
    assert not scope_records(Service.objects.all(), personas.patient, service_path="").exists()


def test_only_administrators_search_the_audit_log_and_manage_users(personas: Personas) -> None:
    allowed = {name for name, user in personas.all().items() if can_search_audit(user)}
    managers = {name for name, user in personas.all().items() if can_manage_users(user)}
    assert allowed == managers == {"admin", "board_admin"}


def test_a_deactivated_clinician_sees_nothing(personas: Personas) -> None:
    clinician = personas.clinician
    clinician.is_active = False
    assert not can_view_records(clinician, personas.our_service)
    assert not scope_records(User.objects.all(), clinician, service_path="service").exists()


def test_service_roles_must_name_a_service(personas: Personas) -> None:
    with pytest.raises(
        AccountError, match="service: a triage_clinician account must belong to a service"
    ):
        services.create_user(
            actor=None, email="t@msk.example", full_name="T", role=Role.TRIAGE_CLINICIAN
        )


def test_a_health_board_that_contradicts_the_service_is_refused(personas: Personas) -> None:
    with pytest.raises(
        AccountError, match=r"health_board: 7A1 is not the health board of service cav-msk"
    ):
        services.create_user(
            actor=None,
            email="t@msk.example",
            full_name="T",
            role=Role.CLINICIAN,
            service=personas.our_service,
            health_board="7A1",
        )


def test_analysts_are_not_scoped_to_one_service(personas: Personas) -> None:
    with pytest.raises(
        AccountError, match="service: a analyst account is not scoped to one service"
    ):
        services.create_user(
            actor=None,
            email="a@msk.example",
            full_name="A",
            role=Role.ANALYST,
            service=personas.our_service,
        )


def test_a_second_account_with_the_same_address_in_another_case_is_refused(
    personas: Personas,
) -> None:
    with pytest.raises(
        AccountError, match=r"email: an account with cerys\.clinician@msk\.example exists"
    ):
        services.create_user(
            actor=None,
            email="Cerys.Clinician@MSK.example",
            full_name="C",
            role=Role.CLINICIAN,
            service=personas.our_service,
        )


def test_patients_are_given_no_password(personas: Personas) -> None:
    with pytest.raises(AccountError, match="password: patients do not sign in with a password"):
        services.create_user(
            actor=None, email="p@example.com", full_name="P", role=Role.PATIENT, password="x" * 20
        )
