"""What happens to each request after it arrives: triage, appointments, exit, onward referral.

The clinical rules the data obey (Wales specification 2.3; ``../shared/spec/kpis.md``):

* pathway allocation within WD(d, 1) for urgent and WD(d, 3) for routine requests, with a configured
  share triaged late; ``triaged_at`` is never before ``received_at``;
* urgent first appointments booked by WD(d, 10), except a configured share of breaches; routine waits
  drawn from a log-normal distribution (median and spread configured, scaled per service);
* appointments on working days only, after triage; a failed first appointment (did not attend,
  cancelled) is re-booked once, or the person is discharged unseen after a DNA;
* an exit after the last contact (or, unseen, after triage or a failed appointment); ``window_ends``
  only for See On Symptom and Patient Initiated Follow-Up;
* the data set is an extract at the end of the period: anything later does not exist yet
  (untriaged requests, ``booked`` appointments, no exit).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from imsk.synth.config import EXIT_CODES, FIRST_STATUSES, MODES
from imsk.synth.requests import Requests, mix_choice
from imsk.synth.triage_map import PATHWAYS, PRIORITIES
from imsk.synth.world import World

IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

URGENT = PRIORITIES.index("urgent")
REDIRECTED = PATHWAYS.index("redirected")
SELF_MANAGEMENT = PATHWAYS.index("self_management")
SUBSPECIALTY = PATHWAYS.index("subspecialty")
STATUSES = ("booked", *FIRST_STATUSES)  # 0 booked, 1 attended, 2 DNA, 3 patient, 4 service
BOOKED, ATTENDED, DNA = 0, 1, 2
FIRST, FOLLOW_UP = 0, 1
CONTACTS_PER_REQUEST = 100  # contact number = request number x 100 + sequence (0-99)
MAX_FOLLOW_UPS = CONTACTS_PER_REQUEST - 2
NO_EXIT = -1
TRANSFERRED = EXIT_CODES.index("transferred")
DISCHARGED = EXIT_CODES.index("discharged")
OUTCOMES = ("resolved", "living_well", "other")
URGENT_DEADLINE_WD = 10


@dataclass
class Contacts:
    request: IntArray  # row of the request in its chunk
    kind: IntArray
    minute: IntArray
    status: IntArray
    mode: IntArray
    band: IntArray
    sequence: IntArray  # 0, 1: first-appointment attempts; 2...: follow-ups, in date order


@dataclass
class Journey:
    """Per request: triage, band, first attended contact, exit; plus the contact rows."""

    triaged: IntArray
    triaged_valid: BoolArray
    band: IntArray  # 0 = null
    seen: IntArray  # minute of the first attended contact, -1 when none (yet)
    exit_minute: IntArray
    exit_code: IntArray  # -1 = no exit
    exit_outcome: IntArray
    window_days: IntArray  # -1 = null
    contacts: Contacts
    last_contact: IntArray  # minute of the last contact held, -1 when none
    referral_minute: IntArray  # -1 = no onward referral
    self_managed_unseen: BoolArray


def _scaled(share: float | NDArray[np.float64], factor: NDArray[np.float64]) -> NDArray[np.float64]:
    """A share scaled by each service's performance factor, kept within [0, 1]."""
    return np.clip(share * factor, 0.0, 1.0)


def triage_times(world: World, rng: np.random.Generator, r: Requests) -> IntArray:
    """``triaged_at`` minutes: on time within WD(d, 1 or 3) or late by a geometric number of days."""
    config, days, n = world.config, world.days, r.size
    factor = world.services.factor[r.service]
    urgent = r.decisions.priority == URGENT
    limit = np.where(urgent, 1, 3)
    day = r.received_day
    minute_of_day = r.received % 1440
    late_share = np.where(urgent, config.late_triage_share_urgent, config.late_triage_share_routine)
    late = rng.random(n) < _scaled(late_share, factor)
    k = (rng.random(n) * (limit + 1)).astype(np.int64)
    same_day_ok = days.is_working(day) & (minute_of_day < 15 * 60)
    k = np.where((k == 0) & ~same_day_ok, 1, k)
    k = np.where(late, limit + rng.geometric(0.35, n), k)
    triage_day = np.where(k == 0, day, days.day_of_ordinal(days.ordinals(day) + np.maximum(k, 1)))
    later_today = r.received + rng.integers(10, 121, n)
    office_hours = triage_day * 1440 + 8 * 60 + rng.integers(0, 540, n)
    return np.where(k == 0, later_today, office_hours)


def _slot(rng: np.random.Generator, day: IntArray) -> IntArray:
    return day * 1440 + 8 * 60 + 30 + 30 * rng.integers(0, 17, day.shape[0])


def _first_booking(
    world: World, rng: np.random.Generator, r: Requests, triaged: IntArray
) -> IntArray:
    """Day of the first appointment booked: urgent by WD(d, 10) unless a breach; routine waits."""
    config, days, n = world.config, world.days, r.size
    factor = world.services.factor[r.service]
    triage_day = triaged // 1440
    ord_t = days.ordinals(triage_day)
    deadline = days.ordinals(r.received_day) + URGENT_DEADLINE_WD
    room = np.maximum(deadline - ord_t, 0)
    on_time = ord_t + 1 + (rng.random(n) * room).astype(np.int64)
    breach = (room == 0) | (rng.random(n) < _scaled(config.urgent_breach_share, factor))
    late = np.maximum(deadline, ord_t) + rng.geometric(0.15, n)
    urgent_day = days.day_of_ordinal(np.where(breach, late, on_time))
    drawn = rng.lognormal(
        np.log(config.routine_wait_median_days * factor), config.routine_wait_sigma
    )
    wait_days = np.clip(drawn, 1, 600).astype(np.int64)
    routine_day = days.on_or_after(triage_day + wait_days)
    return np.where(r.decisions.priority == URGENT, urgent_day, routine_day)


def _status(
    world: World, rng: np.random.Generator, mix: dict[str, float], minute: IntArray
) -> IntArray:
    status = mix_choice(rng, mix, FIRST_STATUSES, minute.shape[0]) + 1
    return np.where(minute > world.extract_minute, BOOKED, status)


def _band(rng: np.random.Generator, decided: IntArray, valid: BoolArray) -> IntArray:
    band = np.where((decided == 6) & (rng.random(decided.shape[0]) < 0.3), 5, decided)
    band = np.where((decided == 7) & (rng.random(decided.shape[0]) < 0.1), 8, band)
    return np.where(valid, band, 0)


def _follow_ups(
    world: World, rng: np.random.Generator, r: Requests, seen: IntArray, band: IntArray
) -> Contacts:
    config = world.config
    means = np.array([config.follow_ups_mean.get(p, 0.0) for p in PATHWAYS])
    drawn = rng.poisson(means[r.decisions.pathway])
    count = np.where(seen >= 0, np.minimum(drawn, MAX_FOLLOW_UPS), 0)
    owner = np.repeat(np.arange(r.size), count)
    gaps = rng.integers(7, 29, owner.shape[0])
    total = np.cumsum(gaps)
    starts = (np.cumsum(count) - count)[owner]
    offset = total - (total[starts] - gaps[starts])
    day = world.days.on_or_after(seen[owner] // 1440 + offset)
    minute = _slot(rng, day)
    beyond = minute > world.extract_minute
    previous_beyond = np.concatenate([[False], beyond[:-1]]) & np.concatenate(
        [[False], owner[1:] == owner[:-1]]
    )
    keep = ~previous_beyond
    sequence = 2 + np.arange(owner.shape[0]) - starts
    owner, minute, sequence = owner[keep], minute[keep], sequence[keep]
    status = _status(world, rng, config.follow_up_status_mix, minute)
    mode = mix_choice(rng, config.follow_up_mode_mix, MODES, owner.shape[0])
    kind = np.full(owner.shape[0], FOLLOW_UP)
    return Contacts(owner, kind, minute, status, mode, band[owner], sequence)


def _concat(parts: list[Contacts]) -> Contacts:
    names = ("request", "kind", "minute", "status", "mode", "band", "sequence")
    return Contacts(*(np.concatenate([getattr(part, name) for part in parts]) for name in names))


@dataclass(frozen=True)
class _Attempts:
    """Triage validity and the (at most two) first-appointment attempts of each request."""

    valid: BoolArray
    accepted: BoolArray
    managed_alone: BoolArray
    booked: BoolArray
    status1: IntArray
    minute1: IntArray
    has2: BoolArray
    status2: IntArray
    minute2: IntArray


def _first_attempts(
    world: World, rng: np.random.Generator, r: Requests, triaged: IntArray
) -> _Attempts:
    """The first appointment of every accepted request, and one re-booking after a failed one."""
    config, n = world.config, r.size
    valid = triaged <= world.extract_minute
    accepted = valid & (r.decisions.pathway != REDIRECTED)
    managed_alone = (r.decisions.pathway == SELF_MANAGEMENT) & (
        rng.random(n) >= config.self_management_contact_share
    )
    booked = accepted & ~managed_alone
    day1 = _first_booking(world, rng, r, triaged)
    minute1 = _slot(rng, day1)
    status1 = _status(world, rng, config.first_status_mix, minute1)
    cancelled = booked & (status1 > DNA)
    retry_after_dna = (
        booked & (status1 == DNA) & (rng.random(n) >= config.discharge_after_dna_share)
    )
    day2 = world.days.on_or_after(day1 + rng.integers(7, 29, n))
    minute2 = _slot(rng, day2)
    status2 = _status(world, rng, config.first_status_mix, minute2)
    return _Attempts(
        valid,
        accepted,
        managed_alone,
        booked,
        status1,
        minute1,
        cancelled | retry_after_dna,
        status2,
        minute2,
    )


def _first_contacts(a: _Attempts, mode: IntArray, band: IntArray) -> list[Contacts]:
    parts = []
    for sequence, (rows, minute, status) in enumerate(
        (
            (np.flatnonzero(a.booked), a.minute1, a.status1),
            (np.flatnonzero(a.has2), a.minute2, a.status2),
        )
    ):
        parts.append(
            Contacts(
                rows,
                np.full(rows.size, FIRST),
                minute[rows],
                status[rows],
                mode[rows],
                band[rows],
                np.full(rows.size, sequence, dtype=np.int64),
            )
        )
    return parts


def _windows(world: World, exit_code: IntArray) -> IntArray:
    """Days of the return window: SOS and PIFU only, else -1 (data set ``window_ends`` null)."""
    config = world.config
    sos = exit_code == EXIT_CODES.index("see_on_symptom")
    pifu = exit_code == EXIT_CODES.index("patient_initiated_follow_up")
    window = np.where(
        sos, config.see_on_symptom_window_days, np.where(pifu, config.pifu_window_days, -1)
    )
    return window.astype(np.int64)


def walk(world: World, rng: np.random.Generator, r: Requests) -> Journey:
    """Triage, appointments, exits and onward referrals of one chunk of requests."""
    config, n, extract = world.config, r.size, world.extract_minute
    triaged = triage_times(world, rng, r)
    pathway = r.decisions.pathway
    band = _band(rng, r.decisions.band, (triaged <= extract) & (pathway != REDIRECTED))
    a = _first_attempts(world, rng, r, triaged)
    first_seen = np.where(a.has2 & (a.status2 == ATTENDED), a.minute2, -1)
    seen = np.where(a.booked & (a.status1 == ATTENDED), a.minute1, first_seen)
    firsts = _first_contacts(a, mix_choice(rng, config.first_mode_mix, MODES, n), band)
    follow = _follow_ups(world, rng, r, seen, band)

    last_fu = np.full(n, -1, dtype=np.int64)
    np.maximum.at(last_fu, follow.request, follow.minute)
    pending = np.zeros(n, dtype=np.bool_)
    pending[follow.request[follow.status == BOOKED]] = True
    pending |= a.booked & ((a.status1 == BOOKED) | (a.has2 & (a.status2 == BOOKED)))
    last_contact = np.maximum(seen, last_fu)

    to_subspecialty = pathway == SUBSPECIALTY
    referred = (seen >= 0) & (to_subspecialty | (rng.random(n) < config.onward_referral_share))
    referral_minute = np.where(to_subspecialty, seen, np.maximum(last_contact, seen)) + 30
    referral_minute = np.where(referred & (referral_minute <= extract), referral_minute, -1)
    exit_minute, exit_code, outcome = _exits(
        world, rng, r, a, triaged, seen, last_contact, pending, referred
    )
    return Journey(
        triaged=triaged,
        triaged_valid=a.valid,
        band=band,
        seen=seen,
        exit_minute=exit_minute,
        exit_code=exit_code,
        exit_outcome=outcome,
        window_days=_windows(world, exit_code),
        contacts=_concat([*firsts, follow]),
        last_contact=last_contact,
        referral_minute=referral_minute,
        self_managed_unseen=a.accepted & a.managed_alone,
    )


def _exits(
    world: World,
    rng: np.random.Generator,
    r: Requests,
    a: _Attempts,
    triaged: IntArray,
    seen: IntArray,
    last_contact: IntArray,
    pending: BoolArray,
    referred: BoolArray,
) -> tuple[IntArray, IntArray, IntArray]:
    """Exit minute, code and outcome per request (-1 / NO_EXIT when it has not left)."""
    config, n = world.config, r.size
    valid, accepted, managed_alone, booked = a.valid, a.accepted, a.managed_alone, a.booked
    status1, minute1, has2, status2, minute2 = a.status1, a.minute1, a.has2, a.status2, a.minute2
    long_term = world.codes.long_term[r.code]
    clinical_outcome = np.where(
        long_term, OUTCOMES.index("living_well"), OUTCOMES.index("resolved")
    )
    other = OUTCOMES.index("other")
    minute = np.full(n, -1, dtype=np.int64)
    code = np.full(n, NO_EXIT, dtype=np.int64)
    outcome = np.full(n, other, dtype=np.int64)

    redirected = valid & ~accepted
    minute = np.where(redirected, triaged + 5, minute)
    code = np.where(redirected, TRANSFERRED, code)

    alone = accepted & managed_alone
    minute = np.where(alone, triaged + 10, minute)
    code = np.where(alone, DISCHARGED, code)
    outcome = np.where(alone, clinical_outcome, outcome)

    failed1 = booked & (status1 >= DNA) & ~has2
    failed2 = has2 & (status2 >= DNA)
    unseen = failed1 | failed2
    minute = np.where(unseen, np.where(failed2, minute2, minute1) + 60, minute)
    code = np.where(unseen, DISCHARGED, code)

    done = (seen >= 0) & ~pending
    seen_code = mix_choice(rng, config.exit_mix_seen, EXIT_CODES, n)
    seen_code = np.where(referred & (rng.random(n) < 0.7), TRANSFERRED, seen_code)
    minute = np.where(done, last_contact + 40, minute)
    code = np.where(done, seen_code, code)
    outcome = np.where(done & (seen_code != TRANSFERRED), clinical_outcome, outcome)

    present = (code >= 0) & (minute <= world.extract_minute)
    return np.where(present, minute, -1), np.where(present, code, NO_EXIT), outcome
