"""``imsk validate DATA_DIR``: check an MSK service data set folder and report its findings.

Prints the findings (at most ``--max-findings`` per table and code, with the rest counted) and a
summary, as text or JSON. Exit status: 0 when there is no error finding (warnings allowed), 1 when
there is at least one, 2 when the folder or a file cannot be read at all (translated from
:class:`~imsk.core.errors.DatasetError` by :mod:`imsk.cli.main`). ``--strict`` stops at the first
error finding. ``--condition-codes`` / ``--activity-codes`` load another version of a code list.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from imsk.core.dataset.report import ValidationReport
from imsk.core.errors import InvalidDatasetError
from imsk.dataio.dataset import DEFAULT_MAX_FINDINGS, validate_dataset
from imsk.dataio.reference import load_activity_codes, load_condition_codes

EXIT_VALID = 0
EXIT_INVALID = 1


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "validate",
        help="check an MSK service data set folder (CSV or Parquet) against the data set spec",
        description=__doc__,
    )
    parser.add_argument("data_dir", type=Path, metavar="DATA_DIR")
    parser.add_argument(
        "--strict", action="store_true", help="stop at the first error finding (exit 1)"
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument(
        "--max-findings",
        type=_non_negative,
        default=DEFAULT_MAX_FINDINGS,
        metavar="N",
        help=f"findings listed per table and code (default {DEFAULT_MAX_FINDINGS}); all are counted",
    )
    parser.add_argument("--condition-codes", type=Path, metavar="PATH")
    parser.add_argument("--activity-codes", type=Path, metavar="PATH")
    parser.set_defaults(handler=run)


def _non_negative(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def run(args: argparse.Namespace) -> int:
    conditions = load_condition_codes(args.condition_codes)
    activities = load_activity_codes(args.activity_codes)
    try:
        report = validate_dataset(
            args.data_dir,
            strict=args.strict,
            max_findings=args.max_findings,
            condition_codes=conditions,
            activity_codes=activities,
        )
    except InvalidDatasetError as error:
        _print_strict_stop(error, args.format)
        return EXIT_INVALID
    if args.format == "json":
        print(json.dumps(report.to_json(), indent=2))
    else:
        print(_text(report))
    return EXIT_VALID if report.is_valid else EXIT_INVALID


def _text(report: ValidationReport) -> str:
    lines = [str(finding) for finding in report.findings]
    for (table, code), hidden in sorted(report.not_shown().items()):
        lines.append(f"... and {hidden:,} more {code} finding(s) in {table} not listed")
    if lines:
        lines.append("")
    lines.append(report.summary())
    return "\n".join(lines)


def _print_strict_stop(error: InvalidDatasetError, form: str) -> None:
    finding = error.finding
    if form == "json":
        stop = {
            "valid": False,
            "strict": True,
            "finding": {
                "table": finding.table,
                "row": finding.row,
                "field": finding.field,
                "code": str(finding.code),
                "severity": str(finding.severity),
                "message": finding.message,
            },
        }
        print(json.dumps(stop, indent=2))
    else:
        print(str(finding))
        print("INVALID: strict mode stopped at the first error finding")
