"""What a simulation run recorded: per-request journeys, contacts and onward referrals.

These are the facts the MSK service data set holds (``../shared/spec/dataset.md``), kept as plain Python
lists while the run appends to them; :mod:`imsk.sim.dataset` writes them as the data set's tables and
:mod:`imsk.sim.metrics` summarises them. Times are simulation minutes; NaN means "not (yet) happened".
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Final

import numpy as np
from numpy.typing import NDArray

from imsk.sim.clock import ServiceClock
from imsk.sim.demand import Requests
from imsk.sim.scenario import Scenario

NAN: Final = math.nan
STATUSES: Final = ("attended", "did_not_attend", "patient_cancelled", "service_cancelled")
ATTENDED, DID_NOT_ATTEND, PATIENT_CANCELLED, SERVICE_CANCELLED = range(4)
KINDS: Final = ("first", "follow_up")
FIRST, FOLLOW_UP = range(2)
EXIT_CODES: Final = (
    "discharged",
    "see_on_symptom",
    "patient_initiated_follow_up",
    "transferred",
    "other",
)
DISCHARGED, SEE_ON_SYMPTOM, PIFU, TRANSFERRED, OTHER_EXIT = range(5)
OUTCOMES: Final = ("resolved", "living_well", "other")
RESOLVED, LIVING_WELL, OTHER_OUTCOME = range(3)
ROUTES: Final = ("direct", "interface_clinic")


@dataclass
class Journeys:
    """Per request (parallel to :class:`~imsk.sim.demand.Requests`): what happened and when."""

    triaged: list[float] = field(default_factory=list)
    first_seen: list[float] = field(default_factory=list)
    exited: list[float] = field(default_factory=list)
    exit_code: list[int] = field(default_factory=list)
    window_days: list[int] = field(default_factory=list)
    outcome: list[int] = field(default_factory=list)
    bookings: list[int] = field(default_factory=list)
    follow_ups_done: list[int] = field(default_factory=list)

    def extend(self, count: int) -> None:
        """Make room for ``count`` more requests."""
        self.triaged += [NAN] * count
        self.first_seen += [NAN] * count
        self.exited += [NAN] * count
        self.exit_code += [-1] * count
        self.window_days += [-1] * count
        self.outcome += [-1] * count
        self.bookings += [0] * count
        self.follow_ups_done += [0] * count


@dataclass
class Contacts:
    """One entry per booked appointment that took place or was cancelled."""

    request: list[int] = field(default_factory=list)
    kind: list[int] = field(default_factory=list)
    minute: list[float] = field(default_factory=list)
    status: list[int] = field(default_factory=list)
    mode: list[int] = field(default_factory=list)
    band_group: list[int] = field(default_factory=list)

    def add(
        self, request: int, kind: int, minute: float, status: int, mode: int, band: int
    ) -> None:
        self.request.append(request)
        self.kind.append(kind)
        self.minute.append(minute)
        self.status.append(status)
        self.mode.append(mode)
        self.band_group.append(band)


@dataclass
class Referrals:
    """Onward referrals to subspecialty services; ``converted`` -1 while unknown."""

    request: list[int] = field(default_factory=list)
    minute: list[float] = field(default_factory=list)
    subspecialty: list[int] = field(default_factory=list)
    route: list[int] = field(default_factory=list)
    converted: list[int] = field(default_factory=list)


@dataclass
class PoolUse:
    """Clinician minutes busy and offered during the reported period, for one pool."""

    busy_minutes: float
    available_minutes: float

    @property
    def utilisation(self) -> float:
        return self.busy_minutes / self.available_minutes if self.available_minutes else math.nan


@dataclass
class RunResult:
    """Everything one replication recorded, with the window it reports on (minutes)."""

    scenario: Scenario
    seed: int
    clock: ServiceClock
    report_start: float
    report_end: float
    requests: Requests
    journeys: Journeys
    contacts: Contacts
    referrals: Referrals
    use: dict[str, PoolUse]

    def array(self, values: list[float] | list[int]) -> NDArray[np.float64]:
        return np.asarray(values, dtype=np.float64)
