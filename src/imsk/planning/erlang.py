"""Erlang C: the textbook M/M/c queue, the analytic yardstick for the simulation and the planner.

In an M/M/c queue people arrive at random (Poisson, rate λ), each needs an exponentially distributed
time with a clinician (rate μ, mean 1/μ), there are c clinicians and one first-come-first-served queue.
With offered load a = λ/μ < c (utilisation rho = a/c < 1), A. K. Erlang's C formula gives the chance an
arrival has to wait,

    C(c, a) = c·B / (c - a·(1 - B)),   B = Erlang B(c, a) (computed by the stable recursion
    B(0) = 1, B(k) = a·B(k-1) / (k + a·B(k-1))),

the mean wait in the queue Wq = C / (cμ - λ), and the chance of waiting at most t,
P(W ≤ t) = 1 - C·exp(-(cμ - λ)·t). Reference: Gross, Shortle, Thompson and Harris, *Fundamentals of
Queueing Theory*, 4th edition (Wiley, 2008), section 2.3.
"""

from __future__ import annotations

import math

from imsk.core.errors import PlanningError


def _check(arrival_rate: float, service_rate: float, servers: int) -> float:
    if arrival_rate <= 0 or service_rate <= 0:
        raise PlanningError("arrival and service rates must be above 0")
    if servers < 1:
        raise PlanningError(f"an M/M/c queue needs at least 1 server; got {servers}")
    load = arrival_rate / service_rate
    if load >= servers:
        raise PlanningError(
            f"offered load {load:g} needs more than {servers} servers: the queue grows without limit"
        )
    return load


def erlang_b(servers: int, load: float) -> float:
    """Blocking probability of an M/M/c/c system (the recursion's building block)."""
    blocking = 1.0
    for k in range(1, servers + 1):
        blocking = load * blocking / (k + load * blocking)
    return blocking


def erlang_c(servers: int, load: float) -> float:
    """Probability that an arrival waits, for ``servers`` c and offered load a = λ/μ < c."""
    blocking = erlang_b(servers, load)
    return servers * blocking / (servers - load * (1.0 - blocking))


def mean_wait(arrival_rate: float, service_rate: float, servers: int) -> float:
    """Mean time in the queue Wq (same time unit as the rates)."""
    load = _check(arrival_rate, service_rate, servers)
    return erlang_c(servers, load) / (servers * service_rate - arrival_rate)


def utilisation(arrival_rate: float, service_rate: float, servers: int) -> float:
    """rho = λ / (c μ)."""
    _check(arrival_rate, service_rate, servers)
    return arrival_rate / (servers * service_rate)


def share_within(arrival_rate: float, service_rate: float, servers: int, wait: float) -> float:
    """P(W ≤ wait): the share of arrivals whose service starts within ``wait``."""
    load = _check(arrival_rate, service_rate, servers)
    decay = servers * service_rate - arrival_rate
    return 1.0 - erlang_c(servers, load) * math.exp(-decay * wait)


def least_servers(arrival_rate: float, service_rate: float, wait: float, share: float) -> int:
    """The fewest servers c with P(W ≤ wait) ≥ ``share`` (a fraction, e.g. 0.9)."""
    if not 0 < share < 1:
        raise PlanningError(f"target share must be between 0 and 1 (exclusive); got {share}")
    servers = math.floor(arrival_rate / service_rate) + 1
    while share_within(arrival_rate, service_rate, servers, wait) < share:
        servers += 1
    return servers
