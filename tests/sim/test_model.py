"""The simulated service: determinism, the data set it writes, and the effect of more clinicians."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from imsk.core.triage import RuleSet
from imsk.dataio.dataset import validate_dataset
from imsk.dataio.rulesets import load_bundled_ruleset
from imsk.sim.dataset import TABLES_WRITTEN, write_dataset
from imsk.sim.metrics import measure
from imsk.sim.model import simulate
from imsk.sim.records import RunResult
from imsk.sim.scenario import Scenario
from tests.sim.builders import small_service


@pytest.fixture(scope="module")
def ruleset() -> RuleSet:
    return load_bundled_ruleset()


@pytest.fixture(scope="module")
def run(ruleset: RuleSet) -> RunResult:
    return simulate(small_service(), 11, ruleset)


def _with_fte(scenario: Scenario, group: str, fte: float) -> Scenario:
    bands = dict(scenario.clinics.bands)
    bands[group] = dataclasses.replace(bands[group], fte=fte)
    return dataclasses.replace(scenario, clinics=dataclasses.replace(scenario.clinics, bands=bands))


def test_the_same_seed_gives_the_same_run(run: RunResult, ruleset: RuleSet) -> None:
    again = simulate(small_service(), 11, ruleset)
    assert again.contacts == run.contacts
    assert again.journeys == run.journeys
    assert measure(again) == measure(run)


def test_another_seed_or_replication_gives_another_run(run: RunResult, ruleset: RuleSet) -> None:
    assert simulate(small_service(), 12, ruleset).contacts != run.contacts
    assert simulate(small_service(), 11, ruleset, replication=1).contacts != run.contacts


def test_the_written_data_set_passes_the_validator(run: RunResult, tmp_path: Path) -> None:
    rows = write_dataset(run, tmp_path)
    report = validate_dataset(tmp_path)
    assert report.error_count == 0, report.summary()
    assert report.warning_count == 0, report.summary()
    assert set(report.tables_present) == set(TABLES_WRITTEN)
    assert rows["requests"] == len(run.requests)
    assert rows["contacts"] > rows["requests"] / 2


def test_triage_and_appointments_happen_only_on_working_days_in_session(run: RunResult) -> None:
    """Wales 2.3 timescales count working days; sessions start 08:30 (triage) and 09:00 (clinics).

    Returns under SOS or PIFU skip triage (their triage time is their receipt), so they are left out.
    """
    triaged = [
        t
        for t, parent in zip(run.journeys.triaged, run.requests.returned_from, strict=True)
        if t == t and parent < 0
    ]
    for minute in run.contacts.minute + triaged:
        day, time_of_day = divmod(minute, 1440)
        assert run.clock.working[int(day)]
        assert 8.5 * 60 <= time_of_day <= 17.5 * 60


def test_every_journey_runs_forwards_in_time(run: RunResult) -> None:
    for r in range(len(run.requests)):
        received = run.requests.received[r]
        for later in (run.journeys.triaged[r], run.journeys.first_seen[r], run.journeys.exited[r]):
            assert not later < received  # NaN (not yet) compares false
    for request, minute in zip(run.contacts.request, run.contacts.minute, strict=True):
        assert minute >= run.journeys.triaged[request]


def test_sos_and_pifu_people_come_back_as_self_referrals(run: RunResult) -> None:
    returns = [r for r, parent in enumerate(run.requests.returned_from) if parent >= 0]
    assert returns
    for r in returns:
        parent = run.requests.returned_from[r]
        assert run.journeys.exit_code[parent] in (1, 2)  # see on symptom, PIFU
        assert run.requests.person[r] == run.requests.person[parent]
        window = run.journeys.window_days[parent] * 1440
        assert (
            run.journeys.exited[parent]
            <= run.requests.received[r]
            <= run.journeys.exited[parent] + window
        )


@pytest.mark.parametrize("seed", [3, 4])
def test_more_band_5_6_clinicians_never_lengthen_the_mean_wait(seed: int, ruleset: RuleSet) -> None:
    """Fixed seed, common random numbers: the same people, more clinicians, never a longer wait."""
    base = small_service(period={"weeks": 12})
    waits = [
        measure(simulate(_with_fte(base, "5-6", fte), seed, ruleset)).scalars["mean_wait_days"]
        for fte in (2.0, 2.5, 3.0, 4.0, 6.0)
    ]
    assert waits == sorted(waits, reverse=True), waits
    assert waits[0] > 2 * waits[-1]


def test_demand_growth_raises_the_number_of_requests(ruleset: RuleSet) -> None:
    base = measure(simulate(small_service(), 5, ruleset)).scalars["requests"]
    grown = small_service(changes={"demand_growth_pct": 50})
    assert measure(simulate(grown, 5, ruleset)).scalars["requests"] > 1.3 * base


def test_fewer_dnas_lower_the_new_patient_dna_rate(ruleset: RuleSet) -> None:
    before = measure(simulate(small_service(), 5, ruleset)).scalars["new_patient_dna_rate"]
    halved = small_service(changes={"dna_reduction_pct": 50})
    after = measure(simulate(halved, 5, ruleset)).scalars["new_patient_dna_rate"]
    assert after < 0.75 * before


def test_more_self_management_means_fewer_first_contacts(ruleset: RuleSet) -> None:
    before = measure(simulate(small_service(), 5, ruleset)).scalars["first_contacts_attended"]
    shifted = small_service(changes={"self_management_shift_pct": 60})
    after = measure(simulate(shifted, 5, ruleset)).scalars["first_contacts_attended"]
    assert after < 0.9 * before
