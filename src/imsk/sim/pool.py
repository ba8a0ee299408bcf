"""A pool of clinicians serving one queue: the queueing core of the simulation (SimPy processes).

Each clinician is a SimPy process. In session, a free clinician takes the head of the queue, which is
ordered **urgent first, then longest waiting** (rank, then the time the person started waiting, then
arrival order: FIFO within a rank). An appointment that would run past the end of the clinician's
session waits for the next session (clinics book whole slots). The serving callback decides what the
appointment costs the clinician: its length when attended, did-not-attend (the slot is lost) or
cancelled by the service; nothing when the patient cancelled ahead (the slot goes to the next person).

With every clinician always open, one rank and exponential lengths this is exactly an M/M/c queue,
which is how the simulator is checked against Erlang C (``tests/sim/test_erlang_agreement.py``).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import Any

import simpy

from imsk.sim.clock import INFINITY, Sessions


@dataclass(slots=True)
class Job:
    """One piece of clinician work waiting in a queue: a triage or an appointment."""

    request: int
    kind: int  # meaning set by the caller (triage, first contact, follow-up)
    minutes: float
    mode: int = 0
    rank: int = 0
    since: float = 0.0


Serve = Callable[[Job, float], float]
"""Called when a clinician starts a job at a time; returns the minutes the clinician is busy."""


@dataclass
class ServerPool:
    """Clinicians (``sessions`` each) taking jobs from one priority queue.

    ``busy_minutes`` adds up the work started at or after ``count_from`` (the reported period).
    """

    env: simpy.Environment
    sessions: list[Sessions]
    serve: Serve
    count_from: float = 0.0
    busy_minutes: float = 0.0
    _queue: list[tuple[float, int, Job]] = field(default_factory=list)
    _scheduled: list[tuple[float, float, Job]] = field(default_factory=list)
    _next_scheduled: int = 0
    _pending: list[tuple[float, int, int, float, Job]] = field(default_factory=list)
    _idle: list[tuple[simpy.Event, Sessions]] = field(default_factory=list)
    _alarm_at: float = INFINITY
    _count: int = 0

    def __post_init__(self) -> None:
        for staff in self.sessions:
            self.env.process(self._clinician(staff))

    def __len__(self) -> int:
        return len(self._queue)

    def put(self, rank: int, waiting_since: float, job: Job) -> None:
        """Queue ``job``; lower rank first, then earliest ``waiting_since``, then FIFO."""
        self._count += 1
        heapq.heappush(self._queue, (_key(rank, waiting_since), self._count, job))
        now = self.env.now
        while self._idle:
            # Wake idle clinicians until one is in session; the others go back to waiting for
            # their next session, where they look at the queue again.
            wake, staff = self._idle.pop()
            wake.succeed()
            if staff.window(now)[0] <= now:
                break

    def put_later(self, delay: float, rank: int, waiting_since: float, job: Job) -> None:
        """Queue ``job`` after ``delay`` minutes (a follow-up falling due, a rebooking, a notice).

        The job waits in a second heap ordered by the time it becomes ready and joins the queue when a
        clinician next looks (no event per job); an alarm wakes idle clinicians when it is due.
        """
        if delay <= 0:
            self.put(rank, waiting_since, job)
            return
        ready = self.env.now + delay
        self._count += 1
        heapq.heappush(self._pending, (ready, self._count, rank, waiting_since, job))
        if self._idle:
            self._alarm(ready)

    def schedule(self, jobs: list[tuple[float, int, float, Job]]) -> None:
        """Queue many jobs at known times (ready, rank, waiting since, job), ``ready`` ascending.

        Used for arrivals: a sorted list read with a cursor costs less than a heap of them all.
        """
        self._scheduled = [(ready, _key(rank, since), job) for ready, rank, since, job in jobs]
        self._next_scheduled = 0
        if self._scheduled:
            self._alarm(self._scheduled[0][0])

    def _next_ready(self) -> float:
        first = self._pending[0][0] if self._pending else INFINITY
        if self._next_scheduled < len(self._scheduled):
            return min(first, self._scheduled[self._next_scheduled][0])
        return first

    def _release(self, now: float) -> None:
        pending = self._pending
        queue = self._queue
        while pending and pending[0][0] <= now:
            _, count, rank, since, job = heapq.heappop(pending)
            heapq.heappush(queue, (_key(rank, since), count, job))
        scheduled = self._scheduled
        cursor = self._next_scheduled
        while cursor < len(scheduled) and scheduled[cursor][0] <= now:
            _, key, job = scheduled[cursor]
            cursor += 1
            self._count += 1
            heapq.heappush(queue, (key, self._count, job))
        self._next_scheduled = cursor

    def _alarm(self, at: float) -> None:
        if at >= self._alarm_at:
            return
        self._alarm_at = at
        self.env.timeout(at - self.env.now).callbacks.append(self._on_alarm)

    def _on_alarm(self, _: simpy.Event) -> None:
        now = self.env.now
        if now >= self._alarm_at:
            self._alarm_at = INFINITY
        self._release(now)
        if self._queue:
            idle, self._idle = self._idle, []
            for wake, _staff in idle:
                wake.succeed()
        elif self._idle and self._next_ready() < INFINITY:
            self._alarm(self._next_ready())

    def _clinician(self, staff: Sessions) -> Generator[simpy.Event, Any, None]:
        env = self.env
        queue = self._queue
        start = end = -1.0
        while True:
            now = env.now
            if not start <= now < end:
                start, end = staff.window(now)
                if start == INFINITY:
                    return
                if now < start:
                    yield env.timeout(start - now)
                    continue
            if self._next_ready() <= now:
                self._release(now)
            if not queue:
                wake = env.event()
                self._idle.append((wake, staff))
                upcoming = self._next_ready()
                if upcoming < INFINITY:
                    self._alarm(upcoming)
                yield wake
                continue
            job = queue[0][2]
            if now + job.minutes > end:
                yield env.timeout(end - now)
                continue
            heapq.heappop(queue)
            busy = self.serve(job, now)
            if busy > 0:
                if now >= self.count_from:
                    self.busy_minutes += busy
                yield env.timeout(busy)


_RANK_SPAN = 1e12  # minutes: far beyond any run, so rank always dominates the waiting time


def _key(rank: int, waiting_since: float) -> float:
    """One float ordering the queue: rank first, then waiting since (compares faster than tuples)."""
    return rank * _RANK_SPAN + waiting_since
