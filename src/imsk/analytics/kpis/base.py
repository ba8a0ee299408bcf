"""What a KPI is: a definition (id, title, wording, source standard, tables needed) plus an expression.

The expression is a function from :class:`~imsk.analytics.kpis.inputs.KpiInputs` to named *fact
tables*: ibis tables with one row per counted thing, anchored to a service (column ``service_id``,
null when the row points to an unknown request or service) or, for population, to a health board
(column ``health_board``). The KPI's :class:`Kind` says which columns the facts carry and how they are
summed per group (:mod:`imsk.analytics.rollup`):

=========== ============================================== ===========================================
kind        fact tables and columns                        result per group
=========== ============================================== ===========================================
rate        ``cohort``: ``is_numerator`` (bool)            ``{numerator, denominator, value}``
count       ``rows``: ``amount`` (int)                     an integer
counts      ``rows``: ``category`` (str)                   ``{category: n}``
snapshot    ``rows``: ``band`` (str)                       ``{total, over_14_weeks, bands}``
ratio       ``rows``: ``cost`` (float), ``cases`` (int)    ``{cost, cases, value}``
quintiles   ``requests``: ``quintile``;                    ``{"1".."5": {requests, population,
            ``population``: ``quintile``, ``population``   access_ratio}, "unknown": n}``
=========== ============================================== ===========================================

A fact table may carry a ``weight`` column (int): the number of counted things the row stands for,
so that facts already counted in the engine need not be expanded again; a row without it counts
once. Likewise a ``rate`` cohort may carry ``numerator`` and ``denominator`` counts per row (the
contacts of a request, its FFT responses) instead of ``is_numerator``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from imsk.analytics.kpis.inputs import KpiInputs

Facts = dict[str, Any]


class Kind(StrEnum):
    """How a KPI's facts are summarised (see the module docstring)."""

    RATE = "rate"
    COUNT = "count"
    COUNTS = "counts"
    SNAPSHOT = "snapshot"
    RATIO = "ratio"
    QUINTILES = "quintiles"


@dataclass(frozen=True)
class Kpi:
    """One indicator of ``shared/spec/kpis.md``.

    ``needs`` lists the optional tables without which the KPI is ``unavailable``. ``categories``
    gives a closed category list (``counts`` KPIs: zeros included, in that order); ``None`` means an
    open list where only categories above zero are shown. ``with_total`` adds a ``total`` entry.
    """

    id: str
    title: str
    kind: Kind
    numerator: str
    denominator: str | None
    standard: str
    needs: tuple[str, ...]
    facts: Callable[[KpiInputs], Facts]
    categories: Callable[[KpiInputs], tuple[str, ...]] | None = None
    with_total: bool = False
