"""Entry point of the ``imsk`` command.

Command groups are listed explicitly in :data:`COMMANDS` (no discovery). Each module exposes
``register(subparsers)``, which adds its sub-command and sets ``handler`` on the parsed arguments.
Errors are translated here, once: an :class:`~imsk.core.errors.ImskError` (or a missing or unreadable
file) prints one line ``imsk: error: ...`` to stderr and exits with status 2; no traceback reaches the
user.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from types import ModuleType

from imsk.cli import calendar as calendar_command
from imsk.cli import kpi as kpi_command
from imsk.cli import plan as plan_command
from imsk.cli import score as score_command
from imsk.cli import simulate as simulate_command
from imsk.cli import synth as synth_command
from imsk.cli import triage as triage_command
from imsk.cli import validate as validate_command
from imsk.core.errors import ImskError

COMMANDS: dict[str, ModuleType] = {
    "score": score_command,
    "triage": triage_command,
    "validate": validate_command,
    "calendar": calendar_command,
    "kpi": kpi_command,
    "synth": synth_command,
    "simulate": simulate_command,
    "plan": plan_command,
}

EXIT_USAGE = 2
Handler = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="imsk",
        description="Integrated MSK service platform: scoring, triage, data set validation, KPIs.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMANDS.values():
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except ImskError as error:
        return _fail(str(error))
    except FileNotFoundError as error:
        return _fail(f"no such file or folder: {error.filename}")
    except (IsADirectoryError, NotADirectoryError, PermissionError) as error:
        return _fail(f"cannot read {error.filename}: {error.strerror}")
    except json.JSONDecodeError as error:
        return _fail(f"not valid JSON: {error.msg} at line {error.lineno} column {error.colno}")
    except UnicodeDecodeError as error:
        return _fail(f"file is not UTF-8 text ({error.reason} at byte {error.start})")
    except KeyboardInterrupt:
        return _fail("interrupted")


def _fail(message: str) -> int:
    print(f"imsk: error: {message}", file=sys.stderr)
    return EXIT_USAGE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
