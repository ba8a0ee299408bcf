"""Discrete-event simulation of one integrated MSK service (SimPy): "what happens if...?".

The Wales specification (section 2.5) asks for "a workforce planning toolkit aligned to the rehab
demand modelling tool", and its section 6 schedules that toolkit for April 2026. This package is the
demand-and-capacity half of it: a scenario (:mod:`~imsk.sim.scenario`, read by
:mod:`~imsk.sim.schema`) describes demand, triage and clinic capacity by band, attendance, follow-up
patterns and exits; :mod:`~imsk.sim.model` runs it on the working-day calendar of the service's nation
with the product's own triage engine deciding every request; :mod:`~imsk.sim.runner` runs replications
in parallel; :mod:`~imsk.sim.metrics` and :mod:`~imsk.sim.summary` give the KPI-style measures with 95 %
confidence intervals; :mod:`~imsk.sim.dataset` writes a run as the MSK service data set so the KPI
engine and dashboard can read a simulated future; :mod:`~imsk.sim.charts` draws it.

``imsk simulate`` (``imsk.cli.simulate``) is the command; ``docs/simulation.md`` the guide.
"""

from imsk.sim.model import ServiceModel, simulate
from imsk.sim.runner import simulate_scenario
from imsk.sim.scenario import Scenario
from imsk.sim.schema import load_scenario, scenario_from_mapping

__all__ = [
    "Scenario",
    "ServiceModel",
    "load_scenario",
    "scenario_from_mapping",
    "simulate",
    "simulate_scenario",
]
