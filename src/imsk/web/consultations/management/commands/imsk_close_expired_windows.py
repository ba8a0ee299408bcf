"""``imsk_close_expired_windows``: close See On Symptom and PIFU windows whose last day has passed.

Run once a day, after midnight Europe/London (``docs/consultations-and-exits.md`` shows a cron line
and a systemd timer). A window whose ``window_ends`` is before today's London date is closed
(``exits.window_closed_at`` set), so the person needs a new referral from then on. Idempotent: a
second run the same day closes nothing. One audit event per run records the counts; the counts are
printed too.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from imsk.web.consultations import services


class Command(BaseCommand):
    help = "Close SOS and PIFU return windows that ended before today (Europe/London)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today",
            help="the London date to close windows as of (YYYY-MM-DD; default: today)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = self._today(options.get("today"))
        counts = services.close_expired_windows(today=today)
        total = sum(counts.values())
        parts = ", ".join(f"{code} {count}" for code, count in sorted(counts.items()))
        self.stdout.write(f"closed {total} expired window(s) as of {today.isoformat()}: {parts}")

    @staticmethod
    def _today(value: str | None) -> date:
        if not value:
            return services.london_today()
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise CommandError(f"--today {value!r} is not a date (YYYY-MM-DD)") from None
