"""``imsk calendar``: working-day helpers (is a date a working day, WD(d, n), days between)."""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import Any

from imsk.core.calendar import Nation, calendar_for
from imsk.core.errors import CalendarError


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date YYYY-MM-DD") from None


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("calendar", help="working days and bank holidays by nation")
    parser.add_argument("--nation", default=Nation.WALES.value, choices=[n.value for n in Nation])
    actions = parser.add_subparsers(dest="calendar_action", required=True, metavar="ACTION")
    is_working = actions.add_parser("is-working-day", help="is DATE a working day?")
    is_working.add_argument("day", type=_date, metavar="DATE")
    add = actions.add_parser("add", help="WD(DATE, N): the N-th working day strictly after DATE")
    add.add_argument("day", type=_date, metavar="DATE")
    add.add_argument("n", type=int, metavar="N")
    between = actions.add_parser("between", help="working days in (START, END]")
    between.add_argument("start", type=_date, metavar="START")
    between.add_argument("end", type=_date, metavar="END")
    holidays = actions.add_parser("holidays", help="bank holidays of YEAR")
    holidays.add_argument("year", type=int, metavar="YEAR")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    calendar = calendar_for(args.nation)
    action = args.calendar_action
    result: dict[str, object]
    if action == "is-working-day":
        result = {"date": args.day.isoformat(), "working_day": calendar.is_working_day(args.day)}
    elif action == "add":
        result = {
            "date": args.day.isoformat(),
            "n": args.n,
            "wd": calendar.add_working_days(args.day, args.n).isoformat(),
        }
    elif action == "between":
        result = {
            "start": args.start.isoformat(),
            "end": args.end.isoformat(),
            "working_days": calendar.working_days_between(args.start, args.end),
        }
    elif action == "holidays":
        if not 1900 <= args.year <= 2200:
            raise CalendarError(f"year {args.year} is outside 1900-2200")
        result = {
            "year": args.year,
            "holidays": [
                {"date": day.isoformat(), "name": name}
                for day, name in sorted(calendar.bank_holidays(args.year).items())
            ],
        }
    result["nation"] = args.nation
    print(json.dumps(result, indent=2))
    return 0
