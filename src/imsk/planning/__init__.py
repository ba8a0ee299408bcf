"""Workforce planning: the least FTE by band that meets waiting-time targets for a demand forecast.

The Wales specification asks for an establishment "determined by the local population need" and a
"workforce planning toolkit aligned to the rehab demand modelling tool" (section 2.5; due April 2026
in section 6). :mod:`~imsk.planning.search` answers "how many clinicians of bands 5-6 and 7+?" by
searching over the simulation (:mod:`imsk.sim`) with common random numbers;
:mod:`~imsk.planning.erlang` is the analytic M/M/c yardstick (Erlang C) it is checked against;
:mod:`~imsk.planning.charts` draws the trade-off. ``imsk plan`` is the command;
``docs/workforce-planning.md`` explains the method and its limits.
"""

from imsk.planning.erlang import erlang_c, least_servers, mean_wait, share_within, utilisation
from imsk.planning.search import BandPlan, Plan, Point, Targets, plan_workforce

__all__ = [
    "BandPlan",
    "Plan",
    "Point",
    "Targets",
    "erlang_c",
    "least_servers",
    "mean_wait",
    "plan_workforce",
    "share_within",
    "utilisation",
]
