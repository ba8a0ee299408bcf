"""Django's management commands for imsk.web: ``python -m imsk.web.manage <command>``.

Also the ``imsk-web`` console script once the lead adds it to ``[project.scripts]``.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a management command (``argv`` defaults to the process arguments)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "imsk.web.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv if argv is not None else sys.argv)


if __name__ == "__main__":
    main()
