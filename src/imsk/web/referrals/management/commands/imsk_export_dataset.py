"""``imsk_export_dataset OUT_DIR``: write the clinical record as an MSK service data set folder.

One CSV per table, columns in ``../shared/spec/dataset.md`` order (see
:mod:`imsk.web.referrals.export`). The export is audited as the system. Check it with
``imsk validate OUT_DIR``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from imsk.core.errors import ImskError
from imsk.web.referrals import services


class Command(BaseCommand):
    help = "Export the clinical record to a data set folder (one CSV per table)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("out_dir", type=Path, help="folder to write (created if missing)")

    def handle(self, *args: Any, **options: Any) -> None:
        out_dir: Path = options["out_dir"]
        if out_dir.exists() and not out_dir.is_dir():
            raise CommandError(f"{out_dir} exists and is not a folder")
        try:
            counts = services.export_dataset(actor=None, out_dir=out_dir)
        except (ImskError, OSError) as error:
            raise CommandError(str(error)) from None
        for table, rows in counts.items():
            self.stdout.write(f"{table}: {rows} rows")
        self.stdout.write(f"wrote {len(counts)} tables to {out_dir}")
