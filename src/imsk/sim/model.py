"""The simulated service: arrivals, triage, clinics by band, follow-ups, exits and returns (SimPy).

One run follows every request through the single point of access (Wales specification 2.3):

1. **Triage.** Triage clinicians work sessions on working days; a triage takes ``minutes_per_request``.
   Requests are triaged urgent first (an urgent referral is flagged on receipt), then oldest first.
   The decision (priority, pathway, band group) comes from the core triage engine via the case mix.
2. **Redirected** requests leave at triage (exit ``transferred``). A share of the self-management
   pathway is supported without an appointment and leaves on see-on-symptom (SOS).
3. **Clinics by band group.** Bands 5-6 and 7+ each have their own clinicians (FTE) and queue. After
   a notice period the request waits for a first appointment: urgent first, then longest waiting
   (since receipt). Follow-ups are booked by the clinician at the previous appointment and, by
   default, come before routine first appointments (``docs/simulation.md`` explains the choice).
4. **Attendance.** Each booking is attended, not attended (DNA: the slot is lost; the person is
   discharged or rebooked), cancelled by the patient ahead (the slot goes to the next person; rebooked
   after ``rebook_days_patient``) or cancelled by the service (the slot is lost; rebooked soon).
5. **Exit.** After the pathway's follow-ups: an onward referral (exit ``transferred``) or the
   pathway's exit mix (discharged, SOS, PIFU, other). SOS and PIFU carry a return window; a share of
   people come back within it, as a new request from themselves that skips triage (that is what SOS
   and PIFU are for) and rejoins the same band's queue.

The run is deterministic for a seed: all randomness comes from one :class:`numpy.random.SeedSequence`.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import replace
from datetime import timedelta
from typing import Any

import numpy as np
import simpy

from imsk.core.calendar import calendar_for
from imsk.core.errors import ScenarioError
from imsk.core.triage import RuleSet
from imsk.sim import demand as dm
from imsk.sim.casemix import decision_table
from imsk.sim.clock import MINUTES_PER_DAY, ServiceClock, Sessions, staff_sessions
from imsk.sim.pool import Job, ServerPool
from imsk.sim.records import (
    ATTENDED,
    DID_NOT_ATTEND,
    DISCHARGED,
    FIRST,
    FOLLOW_UP,
    LIVING_WELL,
    OTHER_EXIT,
    OTHER_OUTCOME,
    PATIENT_CANCELLED,
    PIFU,
    RESOLVED,
    SEE_ON_SYMPTOM,
    SERVICE_CANCELLED,
    TRANSFERRED,
    Contacts,
    Journeys,
    PoolUse,
    Referrals,
    RunResult,
)
from imsk.sim.scenario import BAND_GROUPS, MODES, SEEN_PATHWAYS, SOURCES, Scenario

TRIAGE_KIND = -1
URGENT_RANK, FOLLOW_UP_RANK, ROUTINE_RANK = 0, 1, 2
_CLOCK_MARGIN_DAYS = 60
_STREAM_BLOCK = 4096


class _Stream:
    """Uniform or unit-exponential numbers from a numpy generator, drawn in blocks (fast in loops)."""

    def __init__(self, rng: np.random.Generator, exponential: bool) -> None:
        self._rng = rng
        self._exponential = exponential
        self._block: list[float] = []

    def next(self) -> float:
        if not self._block:
            draw = self._rng.standard_exponential if self._exponential else self._rng.random
            self._block = draw(_STREAM_BLOCK).tolist()
        return self._block.pop()


def _cumulative(mix: dict[str, float], keys: tuple[str, ...]) -> list[float]:
    return [float(edge) for edge in np.cumsum([mix[k] for k in keys])]


def _pick(cumulative: list[float], u: float) -> int:
    for i, edge in enumerate(cumulative):
        if u < edge:
            return i
    return len(cumulative) - 1


def effective(scenario: Scenario) -> Scenario:
    """The scenario with its ``changes`` folded into capacity and attendance (demand is drawn later)."""
    changes = scenario.changes
    bands = dict(scenario.clinics.bands)
    for group, added in changes.added_fte.items():
        fte = bands[group].fte + added
        if fte < 0:
            raise ScenarioError(
                f"scenario field changes.added_fte.{group}: {added:g} leaves {fte:g} FTE (below 0)"
            )
        bands[group] = replace(bands[group], fte=fte)
    hours = scenario.triage.clinician_hours_per_working_day + changes.added_triage_hours
    if hours < 0:
        raise ScenarioError(
            "scenario field changes.added_triage_hours: leaves triage hours below 0"
        )
    keep = 1.0 - changes.dna_reduction_pct / 100.0
    attendance = scenario.attendance
    first = {**attendance.first, "did_not_attend": attendance.first["did_not_attend"] * keep}
    follow = {
        **attendance.follow_up,
        "did_not_attend": attendance.follow_up["did_not_attend"] * keep,
    }
    return replace(
        scenario,
        clinics=replace(scenario.clinics, bands=bands),
        triage=replace(scenario.triage, clinician_hours_per_working_day=hours),
        attendance=replace(attendance, first=first, follow_up=follow),
    )


class ServiceModel:
    """One replication of one scenario; :meth:`run` returns what it recorded."""

    def __init__(
        self, scenario: Scenario, seed: int, ruleset: RuleSet, replication: int = 0
    ) -> None:
        self.s = effective(scenario)
        self.seed = seed
        self.replication = replication
        period = self.s.period
        calendar = calendar_for(self.s.service.nation)
        first_day = period.start - timedelta(weeks=period.warmup_weeks)
        self.sim_days = 7 * (period.warmup_weeks + period.weeks)
        self.clock = ServiceClock.build(
            calendar,
            first_day,
            self.sim_days + _CLOCK_MARGIN_DAYS,
            continuous=self.s.calendar == "continuous",
        )
        self.report_start = 7.0 * period.warmup_weeks * MINUTES_PER_DAY
        self.report_end = float(self.sim_days * MINUTES_PER_DAY)
        profiles = self.s.demand.case_mix
        table = decision_table(profiles, SOURCES, ruleset, calendar)
        self.decisions = dm.DecisionArrays.of(table, len(profiles))
        streams = np.random.SeedSequence([seed, replication]).spawn(3)
        self.demand_rng = np.random.default_rng(streams[0])
        self.spare = _Stream(np.random.default_rng(streams[1]), exponential=False)
        self.exponential = _Stream(np.random.default_rng(streams[2]), exponential=True)
        self._tables()

    def _tables(self) -> None:
        s = self.s
        self.exit_cdf = [
            _cumulative(
                s.pathways[p].exit_mix,
                ("discharged", "see_on_symptom", "patient_initiated_follow_up", "other"),
            )
            for p in SEEN_PATHWAYS
        ]
        self.first_mode_cdf = [
            _cumulative(s.pathways[p].first_mode_mix, MODES) for p in SEEN_PATHWAYS
        ]
        self.follow_mode_cdf = [
            _cumulative(s.pathways[p].follow_up_mode_mix, MODES) for p in SEEN_PATHWAYS
        ]
        att = s.attendance
        order = ("service_cancelled", "patient_cancelled", "did_not_attend")
        self.failure_cdf = [
            [*_cumulative(att.first, order), 2.0],
            [*_cumulative(att.follow_up, order), 2.0],
        ]
        self.minutes = [
            [s.clinics.first_minutes[m] for m in MODES],
            [s.clinics.follow_up_minutes[m] for m in MODES],
        ]
        self.subspecialty_cdf = _cumulative(
            s.onward.subspecialty_mix, tuple(s.onward.subspecialty_mix)
        )
        before_routine = s.clinics.follow_up_priority == "before_routine"
        self.follow_rank = FOLLOW_UP_RANK if before_routine else ROUTINE_RANK

    # -- running ------------------------------------------------------------------------------

    def run(self) -> RunResult:
        self.env = simpy.Environment()
        self.requests = dm.draw_requests(
            self.s, self.clock, self.decisions, self.demand_rng, days=self.sim_days
        )
        self.journeys = Journeys()
        self.journeys.extend(len(self.requests))
        self.contacts = Contacts()
        self.referrals = Referrals()
        self.triage_pool = self._triage_pool()
        self.band_pools = [self._band_pool(group) for group in BAND_GROUPS]
        self._arrive(len(self.requests))
        self.env.run(until=self.report_end)
        return RunResult(
            scenario=self.s,
            seed=self.seed,
            clock=self.clock,
            report_start=self.report_start,
            report_end=self.report_end,
            requests=self.requests,
            journeys=self.journeys,
            contacts=self.contacts,
            referrals=self.referrals,
            use=self._use(),
        )

    def _triage_pool(self) -> ServerPool | None:
        triage = self.s.triage
        if triage.minutes_per_request <= 0:
            return None
        staff = staff_sessions(
            self.clock,
            triage.clinician_hours_per_working_day / triage.session_hours,
            triage.session_start_hour,
            triage.session_hours * 60.0,
        )
        return ServerPool(self.env, staff, self._serve_triage, count_from=self.report_start)

    def _band_pool(self, group: str) -> ServerPool:
        clinics = self.s.clinics
        staff = staff_sessions(
            self.clock,
            clinics.bands[group].fte,
            clinics.session_start_hour,
            clinics.minutes_per_fte_day,
        )
        return ServerPool(self.env, staff, self._serve_clinic, count_from=self.report_start)

    def _use(self) -> dict[str, PoolUse]:
        pools = {"triage": self.triage_pool, **dict(zip(BAND_GROUPS, self.band_pools, strict=True))}
        return {
            name: PoolUse(
                pool.busy_minutes, _offered(pool.sessions, self.report_start, self.report_end)
            )
            for name, pool in pools.items()
            if pool is not None
        }

    def _arrive(self, count: int) -> None:
        """Queue every request for triage from its receipt time (or triage it on receipt)."""
        if self.triage_pool is None:
            self.env.process(self._untriaged_arrivals(count))
            return
        received = self.requests.received
        urgent = self.requests.urgent
        minutes = self.s.triage.minutes_per_request
        self.triage_pool.schedule(
            [
                (
                    received[r],
                    URGENT_RANK if urgent[r] else ROUTINE_RANK,
                    received[r],
                    Job(r, TRIAGE_KIND, self._length(minutes)),
                )
                for r in range(count)
            ]
        )

    def _untriaged_arrivals(self, count: int) -> Generator[simpy.Event, Any, None]:
        env = self.env
        received = self.requests.received
        for r in range(count):
            wait = received[r] - env.now
            if wait > 0:
                yield env.timeout(wait)
            self._after_triage(r, received[r])

    def _length(self, minutes: float) -> float:
        if self.s.clinics.service_time == "exponential":
            return minutes * self.exponential.next()
        return minutes

    def _serve_triage(self, job: Job, now: float) -> float:
        self._after_triage(job.request, now + job.minutes)
        return job.minutes

    # -- the journey ----------------------------------------------------------------------------

    def _after_triage(self, r: int, at: float) -> None:
        self.journeys.triaged[r] = at
        pathway = self.requests.pathway[r]
        if pathway == dm.REDIRECTED:
            self._exit(r, at, TRANSFERRED, OTHER_OUTCOME)
            return
        plan = self.s.pathways[SEEN_PATHWAYS[pathway]]
        if self.requests.draws[r][dm.U_SEEN] >= plan.contact_share:
            self._exit_after_care(r, at, supported_without_contact=True)
            return
        self._book_first(r, at)

    def _book_first(self, r: int, at: float) -> None:
        clinics = self.s.clinics
        urgent = self.requests.urgent[r]
        notice = clinics.urgent_notice_days if urgent else clinics.routine_notice_days
        rank = URGENT_RANK if urgent else ROUTINE_RANK
        self._book(r, FIRST, at + notice * MINUTES_PER_DAY, rank, self.requests.received[r])

    def _book(self, r: int, kind: int, ready: float, rank: int, since: float) -> None:
        k = self.journeys.bookings[r]
        pathway = self.requests.pathway[r]
        cdf = self.first_mode_cdf[pathway] if kind == FIRST else self.follow_mode_cdf[pathway]
        mode = _pick(cdf, self._draw(r, k, 1))
        job = Job(r, kind, self._length(self.minutes[kind][mode]), mode, rank, since)
        pool = self.band_pools[self.requests.band_group[r]]
        pool.put_later(ready - self.env.now, rank, since, job)

    def _draw(self, r: int, booking: int, which: int) -> float:
        if booking < dm.APPOINTMENTS_DRAWN:
            return self.requests.draws[r][
                dm.U_APPOINTMENTS + dm.APPOINTMENT_DRAWS * booking + which
            ]
        return self.spare.next()

    def _serve_clinic(self, job: Job, now: float) -> float:
        r = job.request
        k = self.journeys.bookings[r]
        self.journeys.bookings[r] = k + 1
        failure = _pick(self.failure_cdf[job.kind], self._draw(r, k, 0))
        status = (SERVICE_CANCELLED, PATIENT_CANCELLED, DID_NOT_ATTEND, ATTENDED)[failure]
        self.contacts.add(r, job.kind, now, status, job.mode, self.requests.band_group[r])
        if status == ATTENDED:
            self._attended(job, now)
            return job.minutes
        attendance = self.s.attendance
        if status == DID_NOT_ATTEND and self._draw(r, k, 2) < attendance.discharge_after_dna:
            self._exit(r, now, DISCHARGED, OTHER_OUTCOME)
            return job.minutes
        days = (
            attendance.rebook_days_service
            if status == SERVICE_CANCELLED
            else attendance.rebook_days_patient
        )
        self._rebook(job, now + days * MINUTES_PER_DAY)
        return 0.0 if status == PATIENT_CANCELLED else job.minutes

    def _rebook(self, job: Job, ready: float) -> None:
        pool = self.band_pools[self.requests.band_group[job.request]]
        pool.put_later(ready - self.env.now, job.rank, job.since, job)

    def _attended(self, job: Job, now: float) -> None:
        r = job.request
        journeys = self.journeys
        if job.kind == FIRST:
            journeys.first_seen[r] = now
        end = now + job.minutes
        if journeys.follow_ups_done[r] < self.requests.follow_ups[r]:
            journeys.follow_ups_done[r] += 1
            plan = self.s.pathways[SEEN_PATHWAYS[self.requests.pathway[r]]]
            due = now + plan.follow_up_interval_days * MINUTES_PER_DAY
            self._book(r, FOLLOW_UP, due, self.follow_rank, due)
        else:
            self._exit_after_care(r, end, supported_without_contact=False)

    def _exit_after_care(self, r: int, at: float, *, supported_without_contact: bool) -> None:
        draws = self.requests.draws[r]
        pathway = self.requests.pathway[r]
        plan = self.s.pathways[SEEN_PATHWAYS[pathway]]
        if not supported_without_contact and draws[dm.U_ONWARD] < plan.onward_referral_share:
            self._refer_onward(r, at)
            self._exit(r, at, TRANSFERRED, OTHER_OUTCOME)
            return
        code = (DISCHARGED, SEE_ON_SYMPTOM, PIFU, OTHER_EXIT)[
            _pick(self.exit_cdf[pathway], draws[dm.U_EXIT])
        ]
        if supported_without_contact:
            code = SEE_ON_SYMPTOM
        outcome = _outcome(code, draws[dm.U_OUTCOME])
        self._exit(r, at, code, outcome)

    def _refer_onward(self, r: int, at: float) -> None:
        draws = self.requests.draws[r]
        onward = self.s.onward
        referrals = self.referrals
        referrals.request.append(r)
        referrals.minute.append(at)
        referrals.subspecialty.append(_pick(self.subspecialty_cdf, draws[dm.U_SUBSPECIALTY]))
        referrals.route.append(int(draws[dm.U_ROUTE] < onward.interface_clinic_share))
        known = at <= self.report_end - onward.conversion_unknown_days * MINUTES_PER_DAY
        converted = int(draws[dm.U_CONVERTED] < onward.conversion_rate)
        referrals.converted.append(converted if known else -1)

    def _exit(self, r: int, at: float, code: int, outcome: int) -> None:
        journeys = self.journeys
        journeys.exited[r] = at
        journeys.exit_code[r] = code
        journeys.outcome[r] = outcome
        returns = self.s.returns
        if code == SEE_ON_SYMPTOM:
            window, share = returns.see_on_symptom_window_days, returns.see_on_symptom_return_share
        elif code == PIFU:
            window, share = returns.pifu_window_days, returns.pifu_return_share
        else:
            return
        journeys.window_days[r] = window
        draws = self.requests.draws[r]
        if draws[dm.U_RETURN] < share:
            back = at + draws[dm.U_RETURN_TIME] * window * MINUTES_PER_DAY
            if back < self.report_end:
                self.env.timeout(back - self.env.now).callbacks.append(
                    lambda _: self._come_back(r, back)
                )

    def _come_back(self, parent: int, at: float) -> None:
        mean = self.s.pathways[SEEN_PATHWAYS[self.requests.pathway[parent]]].follow_ups_mean
        r = dm.add_return(self.requests, parent, at, (self.seed, self.replication), mean)
        self.journeys.extend(1)
        self.journeys.triaged[r] = at
        self._book_first(r, at)


def _outcome(code: int, u: float) -> int:
    """PIFU is for long-term conditions (living well); other exits mostly mean recovery."""
    if code == PIFU:
        return LIVING_WELL
    if code == OTHER_EXIT:
        return OTHER_OUTCOME
    return RESOLVED if u < 0.75 else LIVING_WELL


def _offered(sessions: list[Sessions], start: float, end: float) -> float:
    return sum(staff.minutes_between(start, end) for staff in sessions)


def simulate(scenario: Scenario, seed: int, ruleset: RuleSet, replication: int = 0) -> RunResult:
    """Run replication ``replication`` of ``scenario`` with ``seed`` (same inputs, same output)."""
    return ServiceModel(scenario, seed, ruleset, replication).run()
