"""``imsk_load_dataset DATA_DIR``: load a data set folder (e.g. from ``imsk synth``) into the record.

The folder is validated first and refused on any error finding. Loading is idempotent: keyed rows
that exist are skipped and unkeyed rows carry an import key (see :mod:`imsk.web.referrals.loading`).
Used by the demonstration; audited as the system.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from imsk.core.errors import ImskError
from imsk.web.referrals import services


class Command(BaseCommand):
    help = "Load an MSK service data set folder into the application's tables (validated first)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("data_dir", type=Path, help="the data set folder")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            counts = services.load_dataset(actor=None, folder=options["data_dir"])
        except ImskError as error:
            raise CommandError(str(error)) from None
        for table, figures in counts.items():
            self.stdout.write(
                f"{table}: {figures['read']} read, {figures['inserted']} inserted, "
                f"{figures['skipped']} already there"
            )
