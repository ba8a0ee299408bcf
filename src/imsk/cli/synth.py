"""``imsk synth``: placeholder registration until its module lands (see docs/architecture.md)."""

from __future__ import annotations

import argparse
from typing import Any


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("synth", help="(not yet available)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    print("imsk synth is not available in this build yet")
    return 2
