"""``imsk kpi DATA_DIR``: the KPIs of the Wales MSK specification for a period, from a data set folder.

The data set is validated first (``imsk validate``): its findings are printed to stderr, and error
findings stop the command (exit 1) because KPIs over broken data would mislead. Then every KPI of
``shared/spec/kpis.md`` is computed for ``--from``/``--to`` at the ``--by`` level and printed as JSON
in the catalogue's shape (or flattened to CSV / an Excel workbook, one row per group, KPI and field).
``--suppress`` applies disclosure control for outputs shown to people without access to patient
records (see :mod:`imsk.analytics.disclosure`). Progress goes to stderr.

``--engine`` chooses where the KPIs are computed: ``duckdb`` (embedded, the default), ``postgres``
(the folder is copied into temporary tables of the database at ``--database-url`` or
``$DATABASE_URL``) or ``spark`` (PySpark on this machine, ``local[2]``; ``--spark-master`` for
another). Every engine gives the same report.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date
from pathlib import Path
from typing import Any

from imsk.analytics.disclosure import suppress_report
from imsk.analytics.engine import DEFAULT_ENGINE, ENGINES
from imsk.analytics.export import write_csv, write_xlsx
from imsk.analytics.kpis.inputs import Level, Period
from imsk.analytics.loading import load_dataset
from imsk.analytics.report import compute_kpis, prepare_inputs
from imsk.core.dataset.report import ValidationReport
from imsk.core.errors import KpiError
from imsk.dataio.dataset import validate_dataset
from imsk.dataio.reference import load_activity_codes, load_condition_codes

EXIT_OK = 0
EXIT_INVALID_DATA = 1
FORMATS = ("json", "csv", "xlsx")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "kpi",
        help="compute the KPIs of a data set folder for a period (JSON, CSV or Excel)",
        description=__doc__,
    )
    parser.add_argument("data_dir", type=Path, metavar="DATA_DIR")
    parser.add_argument("--from", dest="start", required=True, type=_date, metavar="YYYY-MM-DD")
    parser.add_argument("--to", dest="end", required=True, type=_date, metavar="YYYY-MM-DD")
    parser.add_argument("--by", choices=[level.value for level in Level], default="national")
    parser.add_argument("--format", choices=FORMATS, default="json")
    parser.add_argument("--output", type=Path, metavar="PATH", help="write here (default stdout)")
    parser.add_argument("--engine", choices=sorted(ENGINES), default=DEFAULT_ENGINE)
    parser.add_argument(
        "--database-url",
        metavar="URL",
        help="PostgreSQL URL for --engine postgres (default $DATABASE_URL, else local)",
    )
    parser.add_argument(
        "--spark-master", metavar="URL", help="Spark master for --engine spark (default local[2])"
    )
    parser.add_argument(
        "--suppress", action="store_true", help="suppress small numbers (disclosure control)"
    )
    parser.add_argument(
        "--kpi", action="append", dest="kpis", metavar="ID", help="only this KPI (repeatable)"
    )
    parser.add_argument("--condition-codes", type=Path, metavar="PATH")
    parser.add_argument("--activity-codes", type=Path, metavar="PATH")
    parser.set_defaults(handler=run)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date YYYY-MM-DD") from None


def run(args: argparse.Namespace) -> int:
    period = Period(args.start, args.end)
    if args.format == "xlsx" and args.output is None:
        raise KpiError("--format xlsx writes a workbook: give --output PATH")
    activity_codes = load_activity_codes(args.activity_codes)
    report = validate_dataset(
        args.data_dir,
        condition_codes=load_condition_codes(args.condition_codes),
        activity_codes=activity_codes,
    )
    _print_findings(report)
    if not report.is_valid:
        print(
            f"imsk kpi: stopped: the data set has {report.error_count:,} error finding(s); "
            "fix them (see `imsk validate`) before computing KPIs",
            file=sys.stderr,
        )
        return EXIT_INVALID_DATA
    dataset = load_dataset(args.data_dir, args.engine, _engine_url(args))
    try:
        inputs = prepare_inputs(dataset, period, activity_codes)
        result = compute_kpis(
            dataset, period, Level(args.by), kpi_ids=args.kpis, progress=_progress, inputs=inputs
        )
    finally:
        dataset.close()
    if args.suppress:
        result = suppress_report(result)
    _write(result, args.format, args.output)
    return EXIT_OK


def _engine_url(args: argparse.Namespace) -> str | None:
    """The address of the chosen engine (``None``: the engine's default)."""
    if args.engine == "postgres":
        url: str | None = args.database_url or os.environ.get("DATABASE_URL")
        return url
    if args.engine == "spark":
        master: str | None = args.spark_master
        return master
    return None


def _print_findings(report: ValidationReport) -> None:
    for finding in report.findings:
        print(str(finding), file=sys.stderr)
    for (table, code), hidden in sorted(report.not_shown().items()):
        print(f"... and {hidden:,} more {code} finding(s) in {table} not listed", file=sys.stderr)
    print(report.summary(), file=sys.stderr)


def _progress(position: int, total: int, kpi_id: str) -> None:
    print(f"computing KPI {position}/{total}: {kpi_id}", file=sys.stderr, flush=True)


def _write(result: dict[str, Any], form: str, output: Path | None) -> None:
    if form == "xlsx":
        assert output is not None  # checked before any work
        write_xlsx(result, output)
        return
    if output is None:
        _write_text(result, form, sys.stdout)
        return
    with output.open("w", encoding="utf-8", newline="") as stream:
        _write_text(result, form, stream)


def _write_text(result: dict[str, Any], form: str, stream: Any) -> None:
    if form == "csv":
        write_csv(result, stream)
    else:
        stream.write(json.dumps(result, indent=2) + "\n")
