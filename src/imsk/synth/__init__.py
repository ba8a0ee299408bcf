"""Synthetic MSK service data: a complete, realistic, deterministic data set for a seed.

``imsk synth`` (``imsk.cli.synth``) writes every table of the MSK service data set
(``../shared/spec/dataset.md``) for a chosen nation, health boards, period and volume. The people are
drawn from a population (the real Welsh LSOAs, WIMD 2019 quintiles and ONS population when the user
points at them, else a made-up geography), their requests from documented mixes, and what follows
obeys the Wales specification's rules (section 2.3): triage deadlines on the core working-day
calendar, decisions from the core triage engine, scores from the core instrument scorers. Every
assumption and its source is in ``docs/synthetic-data.md``; every rate can be changed with a config
file (:mod:`imsk.synth.config`).

Layout: :mod:`~imsk.synth.world` (what is drawn from), :mod:`~imsk.synth.requests` (who asks, when,
about what), :mod:`~imsk.synth.triage_map` (facts to engine decisions), :mod:`~imsk.synth.journey`
(triage times, appointments, exits, onward referrals), :mod:`~imsk.synth.measures` (PROMs and FFT),
:mod:`~imsk.synth.tables` and :mod:`~imsk.synth.service_tables` (Arrow tables in the data set's
column order), :mod:`~imsk.synth.inject` (deliberate errors), :mod:`~imsk.synth.writer` (CSV or
Parquet), :mod:`~imsk.synth.generator` (the run).
"""

from imsk.synth.config import SynthConfig, config_from_mapping, load_config
from imsk.synth.generator import SynthOptions, SynthResult, generate

__all__ = [
    "SynthConfig",
    "SynthOptions",
    "SynthResult",
    "config_from_mapping",
    "generate",
    "load_config",
]
