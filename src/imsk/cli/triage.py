"""``imsk triage``: triage one request (JSON facts) and print the explained decision as JSON.

The request file holds the facts described in ``docs/triage-rules.md`` (``examples/requests/`` has
examples). The rule set is the bundled default unless ``--ruleset PATH`` (a JSON file) or
``--ruleset-version`` says otherwise; ``--nation`` picks the bank holidays the deadlines skip. Bad
input raises an :class:`~imsk.core.errors.ImskError` naming the field, which ``imsk.cli.main`` prints
as one line with exit status 2.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from imsk.core.calendar import Nation, calendar_for
from imsk.core.errors import TriageInputError
from imsk.core.triage import RuleSet, facts_from_mapping, triage
from imsk.dataio.reference import load_condition_codes
from imsk.dataio.rulesets import (
    BUNDLED_RULESETS,
    DEFAULT_RULESET_VERSION,
    load_bundled_ruleset,
    load_ruleset,
)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "triage", help="triage a request: disposition, priority, pathway, band, deadlines, reasons"
    )
    parser.add_argument("request", type=Path, metavar="REQUEST.json", help="the request's facts")
    chosen = parser.add_mutually_exclusive_group()
    chosen.add_argument("--ruleset", type=Path, metavar="PATH", help="a rule-set JSON file")
    chosen.add_argument(
        "--ruleset-version",
        default=DEFAULT_RULESET_VERSION,
        choices=sorted(BUNDLED_RULESETS),
        help=f"a bundled rule set (default {DEFAULT_RULESET_VERSION})",
    )
    parser.add_argument("--nation", default=Nation.WALES.value, choices=[n.value for n in Nation])
    parser.add_argument(
        "--condition-codes", type=Path, metavar="PATH", help="condition code list CSV (default v1)"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    ruleset = _ruleset(args)
    facts = facts_from_mapping(_request(args.request), load_condition_codes(args.condition_codes))
    decision = triage(facts, ruleset, calendar_for(args.nation))
    print(json.dumps(decision.as_dict(), indent=2, ensure_ascii=False))
    return 0


def _ruleset(args: argparse.Namespace) -> RuleSet:
    if args.ruleset is not None:
        return load_ruleset(args.ruleset)
    return load_bundled_ruleset(args.ruleset_version)


def _request(path: Path) -> dict[str, object]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise TriageInputError(
            f"request {path} is not valid JSON: {error.msg} at line {error.lineno} "
            f"column {error.colno}"
        ) from None
    if not isinstance(data, dict):
        raise TriageInputError(f"request {path} must be a JSON object of facts")
    return data
