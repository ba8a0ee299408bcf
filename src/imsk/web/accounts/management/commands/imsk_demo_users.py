"""``imsk_demo_users``: a demo user per role, with known passwords and authenticator secrets.

For demonstrations on a development site only: it refuses to run unless ``DJANGO_DEBUG`` is true.
It creates two demo services in different health boards (Cardiff and Vale 7A4, Betsi Cadwaladr
7A1), one user per role in the first, and a clinician of the second who must see nothing of the
first. Re-running resets the demo users' passwords and secrets. Every write is audited as the system.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from imsk.core.calendar import Nation
from imsk.web.accounts import services, totp
from imsk.web.accounts.models import Role, Service, User

DEMO_PASSWORD = "imsk-demo-password"  # noqa: S105 - printed on purpose; DEBUG only


@dataclass(frozen=True)
class DemoService:
    service_id: str
    name: str
    health_board: str


@dataclass(frozen=True)
class DemoUser:
    email: str
    full_name: str
    role: Role
    service_id: str | None = None
    health_board: str = ""


# The ids are those `imsk synth` gives the first service of each health board, so the demo's
# service staff see the synthetic data the demo loads.
DEMO_SERVICES = (
    DemoService("7A4-MSK01", "Cardiff and Vale integrated MSK service 1", "7A4"),
    DemoService("7A1-MSK01", "Betsi Cadwaladr integrated MSK service 1", "7A1"),
)
DEMO_USERS = (
    DemoUser("referrer@demo.imsk.invalid", "Rhian Referrer", Role.REFERRER, "7A4-MSK01"),
    DemoUser("triage@demo.imsk.invalid", "Tomos Triage", Role.TRIAGE_CLINICIAN, "7A4-MSK01"),
    DemoUser("clinician@demo.imsk.invalid", "Cerys Clinician", Role.CLINICIAN, "7A4-MSK01"),
    DemoUser("manager@demo.imsk.invalid", "Mererid Manager", Role.SERVICE_MANAGER, "7A4-MSK01"),
    DemoUser("analyst@demo.imsk.invalid", "Aled Analyst", Role.ANALYST, health_board="7A4"),
    DemoUser("national.analyst@demo.imsk.invalid", "Nia National", Role.ANALYST),
    DemoUser("admin@demo.imsk.invalid", "Alun Administrator", Role.ADMINISTRATOR),
    DemoUser("clinician.bcu@demo.imsk.invalid", "Gwen Gogledd", Role.CLINICIAN, "7A1-MSK01"),
    DemoUser("patient@demo.imsk.invalid", "Pat Patient", Role.PATIENT),
)


class Command(BaseCommand):
    help = "Create a demo user per role with known passwords and TOTP secrets (DEBUG only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--password", default=DEMO_PASSWORD, help="password for every demo user"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("imsk_demo_users runs only when DJANGO_DEBUG is true (demo sites)")
        password: str = options["password"]
        for service in DEMO_SERVICES:
            self._ensure_service(service)
        self.stdout.write(f"password for every staff user: {password}\n")
        self.stdout.write(f"{'email':38} {'role':17} {'TOTP secret':34} code now")
        for demo in DEMO_USERS:
            self._ensure_user(demo, password)

    def _ensure_service(self, demo: DemoService) -> None:
        if not Service.objects.filter(service_id=demo.service_id).exists():
            services.create_service(
                actor=None,
                service_id=demo.service_id,
                name=demo.name,
                health_board=demo.health_board,
                nation=Nation.WALES,
            )

    def _ensure_user(self, demo: DemoUser, password: str) -> None:
        user = User.objects.filter(email=demo.email).first()
        is_patient = demo.role is Role.PATIENT
        if user is None:
            service = Service.objects.get(pk=demo.service_id) if demo.service_id else None
            user = services.create_user(
                actor=None,
                email=demo.email,
                full_name=demo.full_name,
                role=demo.role,
                service=service,
                health_board=demo.health_board,
                password=None if is_patient else password,
            )
        elif not is_patient:
            services.set_password(actor=None, user=user, password=password)
        if is_patient:
            self.stdout.write(
                f"{demo.email:38} {demo.role.value:17} (signs in by one-time link, later)"
            )
            return
        secret = services.issue_second_factor(actor=None, user=user)
        code = totp.code_at(secret, timezone.now())
        self.stdout.write(f"{demo.email:38} {demo.role.value:17} {secret:34} {code}")
