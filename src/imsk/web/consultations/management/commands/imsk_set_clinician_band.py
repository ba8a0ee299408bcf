"""``imsk_set_clinician_band EMAIL BAND``: record a clinician's Agenda for Change band.

Band 7 and above (``IMSK_SENIOR_BAND``) may receive escalations from clinicians of their service
(Wales specification 2.3: "complex presentations should be allocated to senior staff at band 7 and
above"). Audited as the system.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from imsk.web.accounts.models import User
from imsk.web.consultations import services
from imsk.web.consultations.errors import ConsultationError


class Command(BaseCommand):
    help = "Record a clinician's Agenda for Change band (2-9)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("band", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(email__iexact=options["email"]).first()
        if user is None:
            raise CommandError(f"no user with email {options['email']!r}")
        try:
            services.set_clinician_band(actor=None, user=user, band=options["band"])
        except ConsultationError as error:
            raise CommandError(error.message) from None
        self.stdout.write(f"{user.email}: band {options['band']}")
