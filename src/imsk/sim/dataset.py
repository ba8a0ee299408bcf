"""Writing a simulated run as the MSK service data set, so the KPI engine can read a simulated future.

The tables are those of ``../shared/spec/dataset.md`` (column order from
:data:`imsk.core.dataset.schema.SCHEMA`), written as CSV: ``services``, ``requests``,
``condition_codes``, ``contacts``, ``exits``, ``onward_referrals`` and ``costs``. The simulator does not
model questionnaires, feedback, website hits or the local population, so ``measures``, ``feedback``,
``resource_hits``, ``activities`` and ``population`` are not written: the KPIs that need them are
reported as unavailable, never as zero.

Everything recorded up to the end of the run is written, warm-up included (the waiting list at the
start of the reported period is made of warm-up requests). A request not yet triaged when the run ends
has no priority, pathway or band; appointments still to come are not written (the run does not book
ahead). Identifiers: ``R`` + 9 digits (requests), ``P`` + 9 digits (people), ``C`` + 10 digits
(contacts), ``O`` + 8 digits (onward referrals).
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from pathlib import Path

from imsk.core.dataset.schema import SCHEMA
from imsk.sim.clock import MINUTES_PER_DAY
from imsk.sim.demand import PATHWAYS, REDIRECTED, SEXES
from imsk.sim.records import EXIT_CODES, KINDS, OUTCOMES, ROUTES, STATUSES, RunResult
from imsk.sim.scenario import BAND_GROUPS, MODES, SOURCES

TABLES_WRITTEN = (
    "services",
    "requests",
    "condition_codes",
    "contacts",
    "exits",
    "onward_referrals",
    "costs",
)
CONSUMABLES_PER_ATTENDED_CONTACT = 4.0


class _Stamps:
    """Fast ``YYYY-MM-DDTHH:MM`` text for simulation minutes (each day's date formatted once)."""

    def __init__(self, first_day: date, days: int) -> None:
        self.first_day = first_day
        self.dates = [(first_day + timedelta(days=d)).isoformat() for d in range(days)]

    def stamp(self, minute: float) -> str:
        day, rest = divmod(int(minute), MINUTES_PER_DAY)
        hour, minute_of_hour = divmod(rest, 60)
        return f"{self.dates[day]}T{hour:02d}:{minute_of_hour:02d}"

    def day(self, minute: float, plus_days: int = 0) -> str:
        return self.dates[int(minute) // MINUTES_PER_DAY + plus_days]


def write_dataset(result: RunResult, folder: Path) -> dict[str, int]:
    """Write the run's tables into ``folder`` (created); returns rows written per table."""
    folder.mkdir(parents=True, exist_ok=True)
    longest_window = max(
        result.scenario.returns.pifu_window_days, result.scenario.returns.see_on_symptom_window_days
    )
    stamps = _Stamps(result.clock.first_day, result.clock.days + longest_window + 2)
    rows = {
        "services": _services(result),
        "requests": _requests(result, stamps),
        "condition_codes": _condition_codes(result, stamps),
        "contacts": _contacts(result, stamps),
        "exits": _exits(result, stamps),
        "onward_referrals": _referrals(result, stamps),
        "costs": _costs(result, stamps),
    }
    return {name: _write(folder / f"{name}.csv", name, table) for name, table in rows.items()}


def _write(path: Path, table: str, rows: Iterable[list[object]]) -> int:
    count = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(SCHEMA[table].column_names)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def _services(result: RunResult) -> Iterator[list[object]]:
    service = result.scenario.service
    yield [service.service_id, service.name, service.health_board, service.nation]


def _band_numbers(result: RunResult) -> list[int]:
    return [result.scenario.clinics.bands[group].band for group in BAND_GROUPS]


def _done(minute: float, result: RunResult) -> bool:
    return not math.isnan(minute) and minute < result.report_end


def _requests(result: RunResult, stamps: _Stamps) -> Iterator[list[object]]:
    req = result.requests
    triaged = result.journeys.triaged
    service_id = result.scenario.service.service_id
    profiles = result.scenario.demand.case_mix
    bands = _band_numbers(result)
    for r in range(len(req)):
        category = profiles[req.profile[r]].facts.get("category") if req.has_category[r] else None
        done = _done(triaged[r], result)
        pathway = req.pathway[r]
        yield [
            f"R{r:09d}",
            f"P{req.person[r]:09d}",
            service_id,
            stamps.stamp(req.received[r]),
            SOURCES[req.source[r]],
            "",
            category or "",
            req.age[r],
            SEXES[req.sex[r]],
            "",
            "",
            ("urgent" if req.urgent[r] else "routine") if done else "",
            stamps.stamp(triaged[r]) if done else "",
            PATHWAYS[pathway] if done else "",
            bands[req.band_group[r]] if done and pathway != REDIRECTED else "",
        ]


def _condition_codes(result: RunResult, stamps: _Stamps) -> Iterator[list[object]]:
    req = result.requests
    for r in range(len(req)):
        yield [f"R{r:09d}", req.code[r], stamps.stamp(req.received[r])]


def _contacts(result: RunResult, stamps: _Stamps) -> Iterator[list[object]]:
    contacts = result.contacts
    bands = _band_numbers(result)
    for i in range(len(contacts.request)):
        yield [
            f"C{i:010d}",
            f"R{contacts.request[i]:09d}",
            KINDS[contacts.kind[i]],
            stamps.stamp(contacts.minute[i]),
            STATUSES[contacts.status[i]],
            MODES[contacts.mode[i]],
            bands[contacts.band_group[i]],
        ]


def _exits(result: RunResult, stamps: _Stamps) -> Iterator[list[object]]:
    jour = result.journeys
    for r in range(len(jour.exited)):
        minute = jour.exited[r]
        if not _done(minute, result):
            continue
        window = jour.window_days[r]
        outcome = jour.outcome[r]
        yield [
            f"R{r:09d}",
            stamps.stamp(minute),
            EXIT_CODES[jour.exit_code[r]],
            stamps.day(minute, window) if window >= 0 else "",
            OUTCOMES[outcome] if outcome >= 0 else "",
        ]


def _referrals(result: RunResult, stamps: _Stamps) -> Iterator[list[object]]:
    ref = result.referrals
    subspecialties = tuple(result.scenario.onward.subspecialty_mix)
    for i in range(len(ref.request)):
        converted = ref.converted[i]
        yield [
            f"O{i:08d}",
            f"R{ref.request[i]:09d}",
            stamps.stamp(ref.minute[i]),
            subspecialties[ref.subspecialty[i]],
            ROUTES[ref.route[i]],
            "" if converted < 0 else ("true" if converted else "false"),
        ]


def _costs(result: RunResult, stamps: _Stamps) -> Iterator[list[object]]:
    """Monthly staffing (FTE x yearly cost / 12, triage time costed at the 7+ rate) and consumables."""
    s = result.scenario
    senior = s.clinics.bands["7+"].annual_cost_per_fte
    triage_fte = s.triage.clinician_hours_per_working_day / s.triage.session_hours
    yearly = sum(c.fte * c.annual_cost_per_fte for c in s.clinics.bands.values())
    monthly = (yearly + triage_fte * senior) / 12.0
    attended: dict[str, int] = {}
    first_day = result.clock.first_day
    for minute, status in zip(result.contacts.minute, result.contacts.status, strict=True):
        if status == 0:
            month = stamps.day(minute)[:7]
            attended[month] = attended.get(month, 0) + 1
    last_day = first_day + timedelta(days=int(result.report_end // MINUTES_PER_DAY) - 1)
    month_start = date(first_day.year, first_day.month, 1)
    while month_start <= last_day:
        key = month_start.strftime("%Y-%m")
        consumables = attended.get(key, 0) * CONSUMABLES_PER_ATTENDED_CONTACT
        yield [s.service.service_id, key, f"{monthly:.2f}", f"{consumables:.2f}"]
        month_start = (month_start + timedelta(days=32)).replace(day=1)
