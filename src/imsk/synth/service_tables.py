"""Service-level tables: services, feedback, self-management resource hits, costs, population.

These are drawn after every request, from per-service monthly totals gathered while the requests were
generated: feedback (complaints, compliments, concerns) as Poisson counts per 1,000 requests; resource
hits per day in proportion to the service's requests (fewer at weekends); staffing and consumables costs
per month in proportion to attended contacts; the population table straight from the geography.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from imsk.synth import columns
from imsk.synth.tables import _table
from imsk.synth.world import World

IntArray = NDArray[np.int64]

FEEDBACK_KINDS = ("complaint", "compliment", "concern")
FEEDBACK_NATURES = (
    "waiting time",
    "communication",
    "clinical care",
    "staff attitude",
    "appointment access",
    "environment",
    "information provided",
)
RESOURCES = (
    "back-pain-exercises",
    "neck-pain-exercises",
    "shoulder-pain-exercises",
    "knee-pain-exercises",
    "hip-pain-exercises",
    "foot-and-ankle-exercises",
    "persistent-pain-self-help",
    "work-and-msk-health",
)
WEEKEND_HIT_RATIO = 0.6


def month_number(days: IntArray) -> IntArray:
    """Months since 1970-01 of each day."""
    return days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)


@dataclass
class Totals:
    """Requests and attended contacts per (service, month of the period)."""

    first_month: int
    requests: NDArray[np.int64]
    attended: NDArray[np.int64]

    @classmethod
    def empty(cls, world: World) -> Totals:
        first = int(month_number(np.array([world.start_day]))[0])
        months = int(month_number(np.array([world.end_day]))[0]) - first + 1
        shape = (len(world.services.ids), months)
        return cls(first, np.zeros(shape, np.int64), np.zeros(shape, np.int64))

    def add(
        self,
        service: IntArray,
        request_day: IntArray,
        contact_service: IntArray,
        contact_day: IntArray,
    ) -> None:
        months = self.requests.shape[1]
        month = month_number(request_day) - self.first_month
        np.add.at(self.requests, (service, np.clip(month, 0, months - 1)), 1)
        month = month_number(contact_day) - self.first_month
        inside = (month >= 0) & (month < months)
        np.add.at(self.attended, (contact_service[inside], month[inside]), 1)


def services_table(world: World, nation: str) -> pa.Table:
    s = world.services
    return _table(
        "services",
        {
            "service_id": pa.array(s.ids),
            "name": pa.array(s.names),
            "health_board": pa.array([world.geography.boards[b] for b in s.board]),
            "nation": pa.array([nation] * len(s.ids)),
        },
    )


def feedback_table(world: World, rng: np.random.Generator, totals: Totals) -> pa.Table:
    rates = world.config.feedback_per_1000_requests
    services, kinds, months = [], [], []
    for k, name in enumerate(FEEDBACK_KINDS):
        counts = rng.poisson(totals.requests * rates[name] / 1000.0)
        service, month = np.nonzero(counts)
        repeat = counts[service, month]
        services.append(np.repeat(service, repeat))
        months.append(np.repeat(month, repeat))
        kinds.append(np.full(int(repeat.sum()), k))
    service, month, kind = (np.concatenate(a).astype(np.int64) for a in (services, months, kinds))
    first_day = (
        np.array(totals.first_month + month, dtype="datetime64[M]").astype("datetime64[D]")
    ).astype(np.int64)
    length = (
        np.array(totals.first_month + month + 1, dtype="datetime64[M]").astype("datetime64[D]")
    ).astype(np.int64) - first_day
    day = np.clip(
        first_day + (rng.random(month.shape[0]) * length).astype(np.int64),
        world.start_day,
        world.end_day,
    )
    minute = day * 1440 + 8 * 60 + rng.integers(0, 600, month.shape[0])
    order = np.lexsort((minute, service))
    return _table(
        "feedback",
        {
            "service_id": columns.labels(world.services.ids, service[order]),
            "received_at": columns.timestamp_values(minute[order]),
            "kind": columns.labels(FEEDBACK_KINDS, kind[order]),
            "nature": columns.labels(
                FEEDBACK_NATURES, rng.integers(0, len(FEEDBACK_NATURES), month.shape[0])
            ),
        },
    )


def resource_hits_table(world: World, rng: np.random.Generator, totals: Totals) -> pa.Table:
    days = np.arange(world.start_day, world.end_day + 1, dtype=np.int64)
    per_day = totals.requests.sum(axis=1) / max(world.period_days, 1)
    weekday = np.where(world.days.is_working(days), 1.0, WEEKEND_HIT_RATIO)
    mean = (
        per_day[:, None, None]
        * world.config.resource_hits_per_request
        / len(RESOURCES)
        * weekday[None, :, None]
    )
    hits = rng.poisson(np.broadcast_to(mean, (per_day.shape[0], days.shape[0], len(RESOURCES))))
    service, day, resource = (
        a.reshape(-1)
        for a in np.meshgrid(
            np.arange(per_day.shape[0]), days, np.arange(len(RESOURCES)), indexing="ij"
        )
    )
    return _table(
        "resource_hits",
        {
            "service_id": columns.labels(world.services.ids, service),
            "date": columns.date_values(day),
            "resource": columns.labels(RESOURCES, resource),
            "hits": columns.integers(hits.reshape(-1)),
        },
    )


def costs_table(world: World, rng: np.random.Generator, totals: Totals) -> pa.Table:
    config = world.config
    services, months = totals.attended.shape
    noise = rng.normal(1.0, 0.05, (services, months)).clip(0.8, 1.2)
    staffing = np.round(totals.attended * config.staff_cost_per_attended_contact * noise, 2)
    consumables = np.round(
        totals.attended
        * config.consumables_per_attended_contact
        * rng.normal(1.0, 0.15, (services, months)).clip(0.5, 1.5),
        2,
    )
    service, month = (
        a.reshape(-1) for a in np.meshgrid(np.arange(services), np.arange(months), indexing="ij")
    )
    first_day = (
        np.array(totals.first_month + month, dtype="datetime64[M]")
        .astype("datetime64[D]")
        .astype(np.int64)
    )
    return _table(
        "costs",
        {
            "service_id": columns.labels(world.services.ids, service),
            "month": columns.months(first_day),
            "staffing": columns.numbers(staffing.reshape(-1)),
            "consumables": columns.numbers(consumables.reshape(-1)),
        },
    )


def population_table(world: World, scale: float) -> pa.Table:
    rows = sorted(world.geography.board_population(scale).items())
    return _table(
        "population",
        {
            "health_board": pa.array([board for (board, _), _ in rows]),
            "deprivation_quintile": pa.array([q for (_, q), _ in rows], pa.int64()),
            "population": pa.array([count for _, count in rows], pa.int64()),
        },
    )
