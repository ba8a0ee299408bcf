"""Named personas for the web tests: one per role, in two health boards.

Built through ``accounts.services`` (the only writer), so every persona exists the way a real account
would. Cardiff and Vale (7A4) is "our" board; Betsi Cadwaladr (7A1) is "another" board whose
clinician must see nothing of ours.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from imsk.core.calendar import Nation
from imsk.web.accounts import services, totp
from imsk.web.accounts.models import Role, Service, User

PASSWORD = "correct horse battery staple"
STAFF = (
    "referrer",
    "triage",
    "clinician",
    "manager",
    "analyst",
    "national_analyst",
    "admin",
    "board_admin",
    "other_board_clinician",
)


def secret_for(name: str) -> str:
    """A fixed base32 TOTP secret per persona (160 bits), so tests compute the codes an app shows."""
    return base64.b32encode(f"imsk-test-{name}".ljust(20, "-")[:20].encode()).decode()


@dataclass(frozen=True)
class Personas:
    our_service: Service
    other_service: Service
    referrer: User
    triage: User
    clinician: User
    manager: User
    analyst: User  # health board 7A4
    national_analyst: User  # no health board: every board
    admin: User  # national administrator
    board_admin: User  # administrator of 7A4
    patient: User
    other_board_clinician: User

    def staff(self) -> dict[str, User]:
        """Every persona who signs in with a password, by name."""
        return {name: getattr(self, name) for name in STAFF}

    def all(self) -> dict[str, User]:
        return {**self.staff(), "patient": self.patient}


def build_personas() -> Personas:
    ours = services.create_service(
        actor=None,
        service_id="cav-msk",
        name="Cardiff and Vale MSK",
        health_board="7A4",
        nation=Nation.WALES,
    )
    theirs = services.create_service(
        actor=None,
        service_id="bcu-msk",
        name="Betsi Cadwaladr MSK",
        health_board="7A1",
        nation=Nation.WALES,
    )
    staff = {
        "referrer": staff_member("rhian.referrer@gp.example", Role.REFERRER, service=ours),
        "triage": staff_member("tomos.triage@msk.example", Role.TRIAGE_CLINICIAN, service=ours),
        "clinician": staff_member("cerys.clinician@msk.example", Role.CLINICIAN, service=ours),
        "manager": staff_member("mererid.manager@msk.example", Role.SERVICE_MANAGER, service=ours),
        "analyst": staff_member("aled.analyst@msk.example", Role.ANALYST, health_board="7A4"),
        "national_analyst": staff_member("nia.national@gov.example", Role.ANALYST),
        "admin": staff_member("alun.admin@msk.example", Role.ADMINISTRATOR),
        "board_admin": staff_member(
            "beca.admin@msk.example", Role.ADMINISTRATOR, health_board="7A4"
        ),
        "other_board_clinician": staff_member(
            "gwen.gogledd@msk.example", Role.CLINICIAN, service=theirs
        ),
    }
    for name, user in staff.items():
        services.issue_second_factor(actor=None, user=user, secret=secret_for(name))
    patient = services.create_user(
        actor=None, email="pat.patient@example.com", full_name="Pat Patient", role=Role.PATIENT
    )
    return Personas(our_service=ours, other_service=theirs, patient=patient, **staff)


def staff_member(
    email: str, role: Role, *, service: Service | None = None, health_board: str = ""
) -> User:
    """A staff account with the shared test password and no authenticator yet."""
    return services.create_user(
        actor=None,
        email=email,
        full_name=email.split("@")[0].replace(".", " ").title(),
        role=role,
        service=service,
        health_board=health_board,
        password=PASSWORD,
    )


def sign_in(client: Client, user: User, persona: str) -> None:
    """Sign ``user`` in through both steps, with the code their authenticator shows now."""
    client.post(reverse("accounts:sign_in"), {"email": user.email, "password": PASSWORD})
    code = totp.code_at(secret_for(persona), timezone.now())
    response = client.post(reverse("accounts:verify"), {"code": code})
    assert response.status_code == 302, "sign-in with the persona's code failed"
