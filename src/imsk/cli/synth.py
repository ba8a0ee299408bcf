"""``imsk synth OUT_DIR``: write a complete synthetic MSK service data set.

Every table of the data set (``../shared/spec/dataset.md``) is written into OUT_DIR as CSV (or
Parquet), with ``synth_manifest.json`` describing how it was made. The same seed and options always give
byte-identical files. The volume comes from ``--requests N``, or from ``--population N`` (people served),
or else from the population of the chosen health boards. ``--reference-dir`` (or
``$IMSK_REFERENCE_DIR``) points at a folder holding the WIMD 2019 and ONS mid-2020 LSOA files to use
the real Welsh geography; without it a made-up geography is used, and the output says so. Progress goes
to stderr. Assumptions and their sources: ``docs/synthetic-data.md``.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

from imsk.core.errors import SynthError
from imsk.dataio.reference import load_activity_codes, load_condition_codes
from imsk.dataio.rulesets import load_bundled_ruleset, load_ruleset
from imsk.synth.config import SynthConfig, load_config
from imsk.synth.generator import DEFAULT_END, DEFAULT_START, SynthOptions, SynthResult, generate
from imsk.synth.geography import WALES_HEALTH_BOARDS, reference_dir_from_env
from imsk.synth.writer import FORMATS


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "synth", help="write a synthetic MSK service data set (every table)", description=__doc__
    )
    parser.add_argument("out_dir", type=Path, metavar="OUT_DIR")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--requests", type=int, metavar="N", help="number of requests to draw")
    size.add_argument("--population", type=int, metavar="N", help="people served (sets the volume)")
    parser.add_argument("--years", metavar="Y[,Y...]", help="calendar years, e.g. 2024,2025")
    parser.add_argument("--from", dest="start", type=date.fromisoformat, metavar="YYYY-MM-DD")
    parser.add_argument("--to", dest="end", type=date.fromisoformat, metavar="YYYY-MM-DD")
    parser.add_argument(
        "--nation", default="wales", help="bank holidays of this nation (default wales)"
    )
    parser.add_argument(
        "--health-boards",
        default=",".join(WALES_HEALTH_BOARDS),
        metavar="CODES",
        help="comma-separated health board codes (default the 7 Welsh boards 7A1-7A7)",
    )
    parser.add_argument("--services-per-board", type=int, default=2, metavar="N")
    parser.add_argument("--format", dest="file_format", choices=FORMATS, default="csv")
    parser.add_argument(
        "--error-rate",
        type=float,
        default=0.0,
        metavar="R",
        help="share of rows to corrupt (0-0.5)",
    )
    parser.add_argument("--config", type=Path, metavar="PATH", help="JSON or TOML rates and mixes")
    parser.add_argument(
        "--reference-dir",
        type=Path,
        metavar="DIR",
        help="folder with the WIMD 2019 / ONS LSOA files",
    )
    parser.add_argument("--condition-codes", type=Path, metavar="PATH")
    parser.add_argument("--activity-codes", type=Path, metavar="PATH")
    parser.add_argument("--ruleset", type=Path, metavar="PATH", help="triage rule-set JSON file")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    parser.set_defaults(handler=run)


def period(years: str | None, start: date | None, end: date | None) -> tuple[date, date]:
    """The period from ``--years`` or ``--from``/``--to`` (default: the financial year 2025-26)."""
    if years is not None:
        if start is not None or end is not None:
            raise SynthError("give either --years or --from/--to, not both")
        try:
            chosen = sorted(int(text) for text in years.split(","))
        except ValueError:
            raise SynthError(
                f"--years {years!r} must be comma-separated years, e.g. 2024,2025"
            ) from None
        if chosen != list(range(chosen[0], chosen[-1] + 1)):
            raise SynthError(f"--years {years!r} must be consecutive years")
        return date(chosen[0], 1, 1), date(chosen[-1], 12, 31)
    return start or DEFAULT_START, end or DEFAULT_END


def options_from(args: argparse.Namespace) -> SynthOptions:
    start, end = period(args.years, args.start, args.end)
    config = load_config(args.config) if args.config else SynthConfig()
    boards = tuple(code.strip() for code in args.health_boards.split(",") if code.strip())
    return SynthOptions(
        seed=args.seed,
        requests=args.requests,
        population=args.population,
        start=start,
        end=end,
        nation=args.nation,
        health_boards=boards,
        services_per_board=args.services_per_board,
        file_format=args.file_format,
        error_rate=args.error_rate,
        reference_dir=args.reference_dir or reference_dir_from_env(),
        config=config,
    )


class _Progress:
    """Plain progress lines on stderr: requests drawn so far, elapsed seconds."""

    def __init__(self) -> None:
        self.started = time.perf_counter()

    def __call__(self, done: int, total: int) -> None:
        elapsed = time.perf_counter() - self.started
        print(f"imsk synth: {done:,} of {total:,} requests ({elapsed:.1f} s)", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    options = options_from(args)
    ruleset = load_ruleset(args.ruleset) if args.ruleset else load_bundled_ruleset()
    result = generate(
        args.out_dir,
        options,
        condition_codes=load_condition_codes(args.condition_codes),
        activity_codes=load_activity_codes(args.activity_codes),
        ruleset=ruleset,
        progress=None if args.quiet else _Progress(),
    )
    _report(result)
    return 0


def _report(result: SynthResult) -> None:
    print(f"wrote {result.folder}")
    for table, rows in result.rows.items():
        print(f"  {table:<17} {rows:>12,} rows")
    if result.geography == "synthetic":
        print("  geography: SYNTHETIC (made-up LSOAs W99nnnnnn, equal quintile populations);")
        print("  give --reference-dir for the real Welsh LSOAs, WIMD 2019 and ONS population")
    else:
        print("  geography: real Welsh 2011 LSOAs, WIMD 2019 quintiles, ONS mid-2020 population")
    if result.injected:
        print(f"  injected errors: {result.injected:,} (listed in injected_errors.csv)")
