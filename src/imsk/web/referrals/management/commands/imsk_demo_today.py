"""``imsk_demo_today``: a current picture for the demo service 7A4-MSK01 (DEBUG only).

The loaded demo data set ends in March 2026; this adds, relative to today's Europe/London date, new
untriaged requests, a waiting list, the next five working days' clinics with bookings, a PIFU
discharge, an escalation, an interface clinic case, questionnaires, resources and feedback, all
through the apps' services (audited as the demo users who would do them). Deterministic for a seed
and a date; a second run the same day adds nothing (see :mod:`imsk.web.demo_today`). Needs the
demo users (``imsk_demo_users``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from imsk.web import demo_today


class Command(BaseCommand):
    help = "Add today's requests, waiting list, clinics and care records to the demo (DEBUG only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
        parser.add_argument(
            "--base-url",
            default="http://127.0.0.1:8000",
            help="site address the questionnaire links point at",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("imsk_demo_today runs only when DJANGO_DEBUG is true (demo sites)")
        try:
            staff = demo_today.load_staff()
        except demo_today.DemoSetupError as error:
            raise CommandError(str(error)) from None
        today = timezone.localdate(timezone.now(), demo_today.LONDON)
        report = demo_today.build(
            staff, today=today, seed=options["seed"], base_url=options["base_url"]
        )
        created = ", ".join(f"{n} {what}" for what, n in report.created.items()) or "nothing"
        self.stdout.write(f"demo picture for {today:%A %d %B %Y}: created {created}")
        for where, url in report.showcase.items():
            self.stdout.write(f"  {where:42} {url}")
        for note in report.notes:
            self.stdout.write(f"  note: {note}")
