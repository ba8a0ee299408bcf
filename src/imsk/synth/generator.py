"""``generate``: a complete synthetic MSK service data set for a seed and a set of options.

Requests are drawn in chunks of :data:`CHUNK_REQUESTS`, each from its own random stream
(``numpy.random.default_rng([seed, chunk])``) and with identifiers fixed by the chunk (request
numbers, contact number = request number x 100 + sequence), so chunks are independent: they are drawn
on :data:`GENERATION_THREADS` threads and written in chunk order, the same seed and options always give
byte-identical files whatever the machine or timing, and memory stays bounded at any size.
Service-level tables (feedback, resource hits, costs, population) follow from the per-service totals.
Assumptions and their sources: ``docs/synthetic-data.md``.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from imsk.core.calendar import calendar_for
from imsk.core.codes import ActivityCode, CodeList, ConditionCode
from imsk.core.errors import SynthError
from imsk.core.triage import RuleSet
from imsk.synth import columns, service_tables, tables
from imsk.synth.config import SynthConfig, validate_config
from imsk.synth.geography import WALES_HEALTH_BOARDS, Geography, load_geography
from imsk.synth.inject import INJECTED_ERRORS_FILE, Injection, inject, write_injections
from imsk.synth.journey import ATTENDED, walk
from imsk.synth.measures import Scorer, draw_measures
from imsk.synth.requests import draw_requests
from imsk.synth.world import World, build_world, expected_requests_per_year
from imsk.synth.writer import FORMATS, DatasetWriter

CHUNK_REQUESTS = 125_000
GENERATION_THREADS = 2  # numpy and pyarrow release the GIL for the heavy work
MANIFEST_FILE = "synth_manifest.json"
DEFAULT_START = date(2025, 4, 1)
DEFAULT_END = date(2026, 3, 31)

Progress = Callable[[int, int], None]
IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class SynthOptions:
    """What to generate. ``requests`` and ``population`` are alternatives (neither: the geography's)."""

    seed: int = 1
    requests: int | None = None
    population: int | None = None
    start: date = DEFAULT_START
    end: date = DEFAULT_END
    nation: str = "wales"
    health_boards: tuple[str, ...] = tuple(WALES_HEALTH_BOARDS)
    services_per_board: int = 2
    file_format: str = "csv"
    error_rate: float = 0.0
    reference_dir: Path | None = None
    config: SynthConfig = field(default_factory=SynthConfig)

    def check(self) -> None:
        if self.requests is not None and self.population is not None:
            raise SynthError("give either a number of requests or a population, not both")
        if self.requests is not None and self.requests < 1:
            raise SynthError(f"--requests must be at least 1; got {self.requests}")
        if self.population is not None and self.population < 1:
            raise SynthError(f"--population must be at least 1; got {self.population}")
        if self.services_per_board < 1:
            raise SynthError(
                f"--services-per-board must be at least 1; got {self.services_per_board}"
            )
        if self.file_format not in FORMATS:
            raise SynthError(f"--format {self.file_format!r} is not one of: {', '.join(FORMATS)}")
        if not 0.0 <= self.error_rate <= 0.5:
            raise SynthError(f"--error-rate must be between 0 and 0.5; got {self.error_rate}")
        if not self.health_boards or len(set(self.health_boards)) != len(self.health_boards):
            raise SynthError("--health-boards must list distinct health board codes")


@dataclass(frozen=True)
class SynthResult:
    """What was written: row counts per table, where the geography came from, errors injected."""

    folder: Path
    rows: dict[str, int]
    geography: str
    injected: int
    triage_combinations: int


def _request_count(options: SynthOptions, geography: Geography, scale: float) -> int:
    if options.requests is not None:
        return options.requests
    years = ((options.end - options.start).days + 1) / 365.25
    return max(1, round(expected_requests_per_year(geography, options.config, scale) * years))


def _scale(options: SynthOptions, geography: Geography) -> float:
    if options.population is None:
        return 1.0
    return options.population / float(geography.population.sum())


@dataclass
class _Chunk:
    """One chunk's tables, with what the service-level tables and error injection need from it."""

    index: int
    tables: dict[str, pa.Table]
    service: IntArray
    received_day: IntArray
    contact_service: IntArray
    contact_day: IntArray
    exit_received: IntArray  # receipt minute of each exit's request, in exits-table order


@dataclass
class _Run:
    world: World
    options: SynthOptions
    plan: tables.ActivityPlan
    scorer: Scorer
    injections: list[Injection] = field(default_factory=list)

    @property
    def text_only(self) -> bool:
        """Whether timestamps and dates are written as text: CSV, and any file with injected errors
        (a bad date such as ``2025-02-30T10:00`` has no native value)."""
        return self.options.file_format == "csv" or self.options.error_rate > 0

    def chunk(self, index: int, size: int) -> _Chunk:
        """Draw chunk ``index``; independent of every other chunk, so chunks may run in parallel."""
        world, seed = self.world, self.options.seed
        rng = np.random.default_rng([seed, index + 1])
        r = draw_requests(world, rng, size, index * CHUNK_REQUESTS + 1, seed)
        j = walk(world, rng, r)
        blocks = draw_measures(world, rng, self.scorer, r, j)
        ids = tables.request_id_matrix(r)
        share = world.config.follow_up_activity_share
        out = {
            "requests": tables.requests_table(world, r, j, ids),
            "condition_codes": tables.condition_codes_table(world, r, j, ids),
            "contacts": tables.contacts_table(r, j, ids),
            "activities": tables.activities_table(rng, self.plan, share, r, j, ids),
            "onward_referrals": tables.onward_referrals_table(world, rng, r, j, ids),
            "exits": tables.exits_table(r, j, ids),
            "measures": tables.measures_table(r, blocks, ids),
        }
        if self.text_only:
            out = {name: columns.as_text(table) for name, table in out.items()}
        c = j.contacts
        attended = c.status == ATTENDED
        return _Chunk(
            index,
            out,
            r.service,
            r.received_day,
            r.service[c.request[attended]],
            c.minute[attended] // 1440,
            r.received[j.exit_code >= 0],
        )

    def deliver(self, chunk: _Chunk, writer: DatasetWriter, totals: service_tables.Totals) -> None:
        """In chunk order: count totals, inject errors (row numbers need the rows before), write."""
        totals.add(chunk.service, chunk.received_day, chunk.contact_service, chunk.contact_day)
        out = chunk.tables
        if self.options.error_rate > 0:
            rng = np.random.default_rng([self.options.seed, chunk.index + 1, 0xE770])
            for name, table in out.items():
                first_row = writer.rows.get(name, 0) + 1
                context = chunk.exit_received if name == "exits" else None
                out[name], done = inject(
                    name, table, self.options.error_rate, rng, first_row, context
                )
                self.injections.extend(done)
        writer.write(out)


def _draw_all(
    run: _Run,
    total: int,
    writer: DatasetWriter,
    totals: service_tables.Totals,
    progress: Progress | None,
) -> None:
    """Draw every chunk (the first alone, to fill the shared caches; then in parallel), in order."""
    sizes = [min(CHUNK_REQUESTS, total - start) for start in range(0, total, CHUNK_REQUESTS)]
    done = 0

    def delivered(chunk: _Chunk) -> None:
        nonlocal done
        run.deliver(chunk, writer, totals)
        done += sizes[chunk.index]
        if progress is not None:
            progress(done, total)

    delivered(run.chunk(0, sizes[0]))
    with ThreadPoolExecutor(GENERATION_THREADS, thread_name_prefix="imsk-synth") as pool:
        pending: deque[Future[_Chunk]] = deque()
        for index in range(1, len(sizes)):
            pending.append(pool.submit(run.chunk, index, sizes[index]))
            if len(pending) >= GENERATION_THREADS:
                delivered(pending.popleft().result())
        while pending:
            delivered(pending.popleft().result())


def generate(
    folder: Path,
    options: SynthOptions,
    *,
    condition_codes: CodeList[ConditionCode],
    activity_codes: CodeList[ActivityCode],
    ruleset: RuleSet,
    progress: Progress | None = None,
) -> SynthResult:
    """Write a complete data set into ``folder`` (created if needed) and describe what was written."""
    options.check()
    validate_config(options.config)
    geography = load_geography(options.reference_dir, list(options.health_boards), options.nation)
    world = build_world(
        config=options.config,
        calendar=calendar_for(options.nation),
        start=options.start,
        end=options.end,
        geography=geography,
        services_per_board=options.services_per_board,
        condition_codes=condition_codes,
        ruleset=ruleset,
        seed=options.seed,
    )
    scale = _scale(options, geography)
    total = _request_count(options, geography, scale)
    folder.mkdir(parents=True, exist_ok=True)
    # A list left by an earlier run into the same folder would describe errors no longer there.
    (folder / INJECTED_ERRORS_FILE).unlink(missing_ok=True)
    plan = tables.ActivityPlan.build(activity_codes, options.config.investigation_share)
    totals = service_tables.Totals.empty(world)
    run = _Run(world, options, plan, Scorer(options.seed))
    with DatasetWriter(folder, options.file_format) as writer:
        writer.write({"services": service_tables.services_table(world, options.nation)})
        _draw_all(run, total, writer, totals, progress)
        rng = np.random.default_rng([options.seed, 0])
        last = {
            "feedback": service_tables.feedback_table(world, rng, totals),
            "resource_hits": service_tables.resource_hits_table(world, rng, totals),
            "costs": service_tables.costs_table(world, rng, totals),
            "population": service_tables.population_table(world, scale),
        }
        if run.text_only:
            last = {name: columns.as_text(table) for name, table in last.items()}
        writer.write(last)
    if options.error_rate > 0:
        write_injections(str(folder / INJECTED_ERRORS_FILE), run.injections)
    result = SynthResult(
        folder, dict(writer.rows), geography.source, len(run.injections), len(world.mapper.cache)
    )
    _write_manifest(folder, options, result, condition_codes, activity_codes, ruleset)
    return result


def _write_manifest(
    folder: Path,
    options: SynthOptions,
    result: SynthResult,
    condition_codes: CodeList[ConditionCode],
    activity_codes: CodeList[ActivityCode],
    ruleset: RuleSet,
) -> None:
    """A JSON note of how the data were made (no clock: identical for identical inputs)."""
    note = {
        "generator": "imsk synth",
        "synthetic": True,
        "seed": options.seed,
        "period": {"from": options.start.isoformat(), "to": options.end.isoformat()},
        "extract_taken": f"{options.end.isoformat()}T23:59",
        "nation": options.nation,
        "health_boards": list(options.health_boards),
        "services_per_board": options.services_per_board,
        "format": options.file_format,
        "error_rate": options.error_rate,
        "geography": result.geography,
        "geography_note": (
            "real Welsh 2011 LSOAs, WIMD 2019 quintiles and ONS mid-2020 population"
            if result.geography == "reference"
            else "SYNTHETIC geography: made-up LSOA codes W99nnnnnn, equal quintile populations"
        ),
        "condition_codes_version": condition_codes.version,
        "activity_codes_version": activity_codes.version,
        "triage_ruleset": ruleset.version,
        "rows": result.rows,
        "config": asdict(options.config),
    }
    (folder / MANIFEST_FILE).write_text(
        json.dumps(note, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
