"""The simulator against queueing theory: an M/M/c set-up agrees with Erlang C.

Erlang C (Gross, Shortle, Thompson and Harris, Fundamentals of Queueing Theory, 4th ed., 2008, s. 2.3):
for λ = 2.1 per hour, mean service 60 minutes (μ = 1 per hour) and c = 3, the offered load is a = 2.1,
utilisation rho = 0.7, the chance of waiting C(3, 2.1) = 0.4923 and the mean wait in the queue
Wq = C / (cμ - λ) = 32.82 minutes (worked by hand: Σ_{k<3} a^k/k! = 5.305,
a^3/3! · 3/(3 - a) = 5.145, C = 5.145 / 10.450).
"""

from __future__ import annotations

import pytest

from imsk.dataio.rulesets import load_bundled_ruleset
from imsk.planning import erlang
from imsk.sim.runner import Task, run_tasks
from imsk.sim.summary import Estimate
from tests.sim.builders import mmc_scenario

ARRIVALS_PER_HOUR = 2.1
SERVICE_MINUTES = 60.0
SERVERS = 3
REPLICATIONS = 20


@pytest.fixture(scope="module")
def replications() -> list[dict[str, float]]:
    scenario = mmc_scenario(ARRIVALS_PER_HOUR, SERVICE_MINUTES, SERVERS, weeks=6, warmup_weeks=1)
    ruleset = load_bundled_ruleset()
    tasks = [Task(scenario, 2024, r, ruleset) for r in range(REPLICATIONS)]
    return [run.scalars for run in run_tasks(tasks, workers=1)]


def test_the_erlang_c_formulas_give_the_textbook_values_for_three_servers() -> None:
    assert erlang.erlang_c(3, 2.1) == pytest.approx(0.4923, abs=5e-4)
    assert erlang.mean_wait(2.1 / 60, 1 / 60, 3) == pytest.approx(32.82, abs=0.05)
    assert erlang.utilisation(2.1 / 60, 1 / 60, 3) == pytest.approx(0.7)


def test_erlang_c_with_one_server_is_the_m_m_1_result() -> None:
    """For c = 1, C = rho and Wq = rho / (μ - λ)."""
    assert erlang.erlang_c(1, 0.6) == pytest.approx(0.6)
    assert erlang.mean_wait(0.6, 1.0, 1) == pytest.approx(0.6 / 0.4)


def test_simulated_mean_wait_in_queue_agrees_with_erlang_c(
    replications: list[dict[str, float]],
) -> None:
    expected = erlang.mean_wait(ARRIVALS_PER_HOUR / 60, 1 / SERVICE_MINUTES, SERVERS)
    waits = Estimate.of([run["mean_wait_days"] * 1440 for run in replications])
    assert waits.low is not None
    assert waits.high is not None
    assert waits.high - waits.low < 0.3 * expected  # the interval is tight enough to mean something
    assert waits.contains(expected), (expected, waits)


def test_simulated_utilisation_agrees_with_erlang_c(replications: list[dict[str, float]]) -> None:
    expected = 100 * erlang.utilisation(ARRIVALS_PER_HOUR / 60, 1 / SERVICE_MINUTES, SERVERS)
    used = Estimate.of([run["utilisation_5-6"] for run in replications])
    assert used.low is not None
    assert used.high is not None
    assert used.high - used.low < 3.0
    assert used.contains(expected), (expected, used)
