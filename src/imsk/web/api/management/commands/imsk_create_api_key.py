"""``imsk_create_api_key NAME (--service ID | --health-board ODS)``: register an API client.

Prints the key once: it is not stored (only its SHA-256 digest is), so it cannot be shown again.
Audited as the system.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from imsk.core.errors import ImskError
from imsk.web.accounts.models import Service
from imsk.web.api import services


class Command(BaseCommand):
    help = "Create an API client for an electronic referral system and print its key once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="the referral system, e.g. 'WCCG e-referrals'")
        scope = parser.add_mutually_exclusive_group(required=True)
        scope.add_argument("--service", help="service ID: every request goes to this service")
        scope.add_argument("--health-board", help="ODS code: requests name a service of this board")

    def handle(self, *args: Any, **options: Any) -> None:
        service = None
        if options["service"]:
            service = Service.objects.filter(service_id=options["service"]).first()
            if service is None:
                raise CommandError(f"--service: there is no service {options['service']!r}")
        try:
            issued = services.create_client(
                actor=None,
                name=options["name"],
                service=service,
                health_board=options["health_board"] or "",
            )
        except ImskError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"API client {issued.client.pk} ({issued.client.name}) created.")
        self.stdout.write("Key (shown once, store it now):")
        self.stdout.write(issued.key)
