"""Running a scenario: every variant, R replications each, in parallel processes.

Replication r of every variant uses the same seed pair (seed, r): common random numbers, so variants
differ by their changes and not by luck. Replications are independent of the number of worker
processes (each is fully determined by its seed pair), so ``--workers 1`` and ``--workers 2`` give
identical summaries. The data set of replication 1 of each variant is written when asked.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from imsk.core.triage import RuleSet
from imsk.sim.dataset import write_dataset
from imsk.sim.metrics import DEFAULT_ROUTINE_WEEKS, RunMetrics, measure
from imsk.sim.model import simulate
from imsk.sim.scenario import Scenario
from imsk.sim.schema import variants_of
from imsk.sim.summary import VariantSummary


@dataclass(frozen=True)
class Task:
    """One replication to run (picklable, so it can go to a worker process)."""

    scenario: Scenario
    seed: int
    replication: int
    ruleset: RuleSet
    routine_weeks: float = DEFAULT_ROUTINE_WEEKS
    dataset_folder: Path | None = None


def run_task(task: Task) -> RunMetrics:
    """Simulate one replication, write its data set if asked, and measure it."""
    result = simulate(task.scenario, task.seed, task.ruleset, task.replication)
    if task.dataset_folder is not None:
        write_dataset(result, task.dataset_folder)
    return measure(result, task.routine_weeks)


def run_tasks(tasks: Sequence[Task], workers: int) -> list[RunMetrics]:
    """Every task's metrics, in task order; ``workers`` > 1 runs them in that many processes."""
    if workers <= 1 or len(tasks) <= 1:
        return [run_task(task) for task in tasks]
    with ProcessPoolExecutor(max_workers=min(workers, len(tasks))) as pool:
        return list(pool.map(run_task, tasks))


def simulate_scenario(
    scenario: Scenario,
    ruleset: RuleSet,
    *,
    replications: int,
    seed: int,
    workers: int = 2,
    dataset_folder: Path | None = None,
    routine_weeks: float = DEFAULT_ROUTINE_WEEKS,
) -> list[VariantSummary]:
    """The baseline and each variant of ``scenario``, summarised over ``replications`` runs."""
    variants = variants_of(scenario)
    tasks = [
        Task(
            variant,
            seed,
            r,
            ruleset,
            routine_weeks,
            dataset_folder / name if dataset_folder is not None and r == 0 else None,
        )
        for name, variant in variants.items()
        for r in range(replications)
    ]
    metrics = run_tasks(tasks, workers)
    return [
        VariantSummary.of(name, metrics[i * replications : (i + 1) * replications])
        for i, name in enumerate(variants)
    ]
