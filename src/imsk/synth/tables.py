"""One chunk of requests and what followed, as Arrow tables in the data set's column order."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from imsk.core.codes import ActivityCode, ActivityKind, CodeList
from imsk.core.dataset.schema import SCHEMA
from imsk.core.errors import SynthError
from imsk.synth import columns
from imsk.synth.config import CATEGORIES, EXIT_CODES, MODES, SEXES, SOURCES
from imsk.synth.journey import ATTENDED, CONTACTS_PER_REQUEST, FIRST, OUTCOMES, STATUSES, Journey
from imsk.synth.measures import TIMEPOINTS, MeasureBlock
from imsk.synth.requests import (
    CODED_AT_FIRST_CONTACT,
    CODED_AT_TRIAGE,
    CODED_BY_REFERRER,
    Requests,
)
from imsk.synth.sampling import choice
from imsk.synth.triage_map import PATHWAYS, PRIORITIES
from imsk.synth.world import SUBSPECIALTIES, World

IntArray = NDArray[np.int64]

REQUEST_ID_DIGITS = 10
CONTACT_ID_DIGITS = 12
ROUTES = ("direct", "interface_clinic")
KINDS = ("first", "follow_up")
_FIRST_CONTACT_WEIGHTS = {
    "INT.ADVICE": 3.0,
    "INT.EXERCISE": 4.0,
    "INT.MANUAL": 1.0,
    "INT.INJECTION": 0.5,
    "INT.ORTHOTICS": 0.3,
    "INT.MEDICINES": 0.3,
    "SUP.WORK": 0.5,
    "SUP.SELF_MANAGEMENT": 1.0,
    "SUP.SHARED_DECISION": 0.5,
}
_FOLLOW_UP_WEIGHTS = {
    "INT.EXERCISE": 4.0,
    "INT.GROUP": 1.5,
    "INT.MANUAL": 1.5,
    "INT.ACUPUNCTURE": 0.4,
    "INT.INJECTION": 0.3,
    "SUP.WEIGHT": 0.3,
    "SUP.MENTAL_HEALTH": 0.2,
    "SUP.FALLS": 0.2,
}
_OTHER_WEIGHT = 0.1
SELF_MANAGEMENT_CODE = "SUP.SELF_MANAGEMENT"


@dataclass(frozen=True)
class ActivityPlan:
    """Which activity codes are recorded when, from the loaded activity code list."""

    codes: list[str]
    first_weights: list[float]
    follow_up_weights: list[float]
    investigations: list[tuple[int, float]]  # (code index, share of first attended contacts)
    self_management: int  # -1 when the list has no such code

    @classmethod
    def build(
        cls, activity_codes: CodeList[ActivityCode], investigation_share: dict[str, float]
    ) -> ActivityPlan:
        entries = list(activity_codes)
        codes = [e.code for e in entries]
        unknown = sorted(set(investigation_share) - set(codes))
        if unknown:
            raise SynthError(
                f"config investigation_share names code(s) not in activity codes version "
                f"{activity_codes.version}: {', '.join(unknown)}"
            )
        treatment = [e.kind is not ActivityKind.INVESTIGATION for e in entries]
        return cls(
            codes=codes,
            first_weights=[
                _FIRST_CONTACT_WEIGHTS.get(c, _OTHER_WEIGHT) * t
                for c, t in zip(codes, treatment, strict=True)
            ],
            follow_up_weights=[
                _FOLLOW_UP_WEIGHTS.get(c, _OTHER_WEIGHT) * t
                for c, t in zip(codes, treatment, strict=True)
            ],
            investigations=[
                (codes.index(code), share) for code, share in investigation_share.items()
            ],
            self_management=codes.index(SELF_MANAGEMENT_CODE)
            if SELF_MANAGEMENT_CODE in codes
            else -1,
        )


def _table(name: str, data: dict[str, columns.Arrow]) -> pa.Table:
    expected = SCHEMA[name].column_names
    if tuple(data) != expected:
        raise SynthError(f"internal: table {name} columns {tuple(data)} differ from {expected}")
    return pa.table(data)


def request_id_matrix(r: Requests) -> NDArray[np.uint8]:
    """The request ids of a chunk as bytes, built once and gathered by every table that refers to them."""
    return columns.prefixed("R", columns.digit_matrix(r.number, REQUEST_ID_DIGITS))


def request_ids(ids: NDArray[np.uint8], rows: IntArray | None = None) -> columns.Arrow:
    return columns.text_from_matrix(ids if rows is None else columns.gather_rows(ids, rows))


def requests_table(world: World, r: Requests, j: Journey, ids: NDArray[np.uint8]) -> pa.Table:
    valid = j.triaged_valid
    return _table(
        "requests",
        {
            "request_id": request_ids(ids),
            "person_id": columns.hex_identifiers("P", r.person),
            "service_id": columns.labels(world.services.ids, r.service),
            "received_at": columns.timestamp_values(r.received),
            "source": columns.labels(SOURCES, r.source),
            "referrer_practice": columns.identifiers("W", 90001 + r.practice, 5, r.practice >= 0),
            "category": columns.labels(CATEGORIES, r.category),
            "age": columns.integers(r.age),
            "sex": columns.labels(SEXES, r.sex),
            "lsoa": columns.labels(world.geography.lsoa, r.lsoa),
            "deprivation_quintile": columns.integers(r.quintile),
            "priority": columns.labels(PRIORITIES, r.decisions.priority, valid),
            "triaged_at": columns.timestamp_values(j.triaged, valid),
            "pathway": columns.labels(PATHWAYS, r.decisions.pathway, valid),
            "band": columns.integers(j.band, j.band > 0),
        },
    )


def contact_numbers(r: Requests, j: Journey, rows: IntArray) -> IntArray:
    """Contact number of contact rows: request number x 100 + the contact's sequence in its request."""
    c = j.contacts
    return r.number[c.request[rows]] * CONTACTS_PER_REQUEST + c.sequence[rows]


def contacts_table(r: Requests, j: Journey, ids: NDArray[np.uint8]) -> pa.Table:
    c = j.contacts
    every = np.arange(c.request.shape[0])
    return _table(
        "contacts",
        {
            "contact_id": columns.identifiers("C", contact_numbers(r, j, every), CONTACT_ID_DIGITS),
            "request_id": request_ids(ids, c.request),
            "kind": columns.labels(KINDS, c.kind),
            "scheduled_at": columns.timestamp_values(c.minute),
            "status": columns.labels(STATUSES, c.status),
            "mode": columns.labels(MODES, c.mode),
            "band": columns.integers(c.band, c.band > 0),
        },
    )


def condition_codes_table(
    world: World, r: Requests, j: Journey, ids: NDArray[np.uint8]
) -> pa.Table:
    stage = r.coded_stage
    seen = j.seen >= 0
    at_receipt = np.flatnonzero(stage == CODED_BY_REFERRER)
    at_triage = np.flatnonzero((stage == CODED_AT_TRIAGE) & j.triaged_valid)
    recode = np.flatnonzero(seen & ((stage == CODED_AT_FIRST_CONTACT) | (r.code != r.initial_code)))
    first_code = np.where(stage == CODED_AT_FIRST_CONTACT, r.code, r.initial_code)
    rows = np.concatenate([at_receipt, at_triage, recode])
    code = np.concatenate([first_code[at_receipt], first_code[at_triage], r.code[recode]])
    minute = np.concatenate([r.received[at_receipt], j.triaged[at_triage], j.seen[recode] + 1])
    return _table(
        "condition_codes",
        {
            "request_id": request_ids(ids, rows),
            "code": columns.labels(world.codes.codes, code),
            "recorded_at": columns.timestamp_values(minute),
        },
    )


def activities_table(
    rng: np.random.Generator,
    plan: ActivityPlan,
    share: float,
    r: Requests,
    j: Journey,
    ids: NDArray[np.uint8],
) -> pa.Table:
    """One treatment per attended first contact, some per follow-up, investigations, self-management."""
    c = j.contacts
    attended = c.status == ATTENDED
    firsts = np.flatnonzero(attended & (c.kind == FIRST))
    follow = np.flatnonzero(attended & (c.kind != FIRST))
    follow = follow[rng.random(follow.shape[0]) < share]
    contact_rows = [firsts, follow]
    codes = [
        choice(rng, plan.first_weights, firsts.shape[0]),
        choice(rng, plan.follow_up_weights, follow.shape[0]),
    ]
    for code, investigation_share in plan.investigations:
        picked = firsts[rng.random(firsts.shape[0]) < investigation_share]
        contact_rows.append(picked)
        codes.append(np.full(picked.shape[0], code))
    contact = np.concatenate(contact_rows)
    request_rows = c.request[contact]
    minute = c.minute[contact] + 20
    alone = (
        np.flatnonzero(j.self_managed_unseen)
        if plan.self_management >= 0
        else np.zeros(0, np.int64)
    )
    has_contact = np.concatenate(
        [np.ones(contact.shape[0], np.bool_), np.zeros(alone.shape[0], np.bool_)]
    )
    return _table(
        "activities",
        {
            "request_id": request_ids(ids, np.concatenate([request_rows, alone])),
            "contact_id": columns.identifiers(
                "C",
                np.concatenate(
                    [contact_numbers(r, j, contact), np.zeros(alone.shape[0], np.int64)]
                ),
                CONTACT_ID_DIGITS,
                has_contact,
            ),
            "code": columns.labels(
                plan.codes, np.concatenate([*codes, np.full(alone.shape[0], plan.self_management)])
            ),
            "recorded_at": columns.timestamp_values(
                np.concatenate([minute, j.triaged[alone] + 10])
            ),
        },
    )


def onward_referrals_table(
    world: World, rng: np.random.Generator, r: Requests, j: Journey, ids: NDArray[np.uint8]
) -> pa.Table:
    config = world.config
    rows = np.flatnonzero(j.referral_minute >= 0)
    minute = j.referral_minute[rows]
    known = minute < (world.end_day - config.conversion_unknown_days + 1) * 1440
    converted = rng.random(rows.shape[0]) < config.referral_conversion_rate
    route = (rng.random(rows.shape[0]) < config.interface_clinic_share).astype(np.int64)
    return _table(
        "onward_referrals",
        {
            "referral_id": columns.identifiers("O", r.number[rows], REQUEST_ID_DIGITS),
            "request_id": request_ids(ids, rows),
            "referred_at": columns.timestamp_values(minute),
            "subspecialty": columns.labels(SUBSPECIALTIES, world.codes.subspecialty[r.code[rows]]),
            "route": columns.labels(ROUTES, route),
            "converted": columns.booleans(converted, known),
        },
    )


def exits_table(r: Requests, j: Journey, ids: NDArray[np.uint8]) -> pa.Table:
    rows = np.flatnonzero(j.exit_code >= 0)
    window = j.window_days[rows]
    return _table(
        "exits",
        {
            "request_id": request_ids(ids, rows),
            "exited_at": columns.timestamp_values(j.exit_minute[rows]),
            "code": columns.labels(EXIT_CODES, j.exit_code[rows]),
            "window_ends": columns.date_values(j.exit_minute[rows] // 1440 + window, window >= 0),
            "outcome": columns.labels(OUTCOMES, j.exit_outcome[rows]),
        },
    )


def measures_table(r: Requests, blocks: list[MeasureBlock], ids: NDArray[np.uint8]) -> pa.Table:
    rows = np.concatenate([b.request for b in blocks])
    instruments = [b.instrument for b in blocks]
    return _table(
        "measures",
        {
            "request_id": request_ids(ids, rows),
            "instrument": columns.labels(
                instruments,
                np.concatenate([np.full(b.request.shape[0], i) for i, b in enumerate(blocks)]),
            ),
            "timepoint": columns.labels(
                TIMEPOINTS,
                np.concatenate([np.full(b.request.shape[0], b.timepoint) for b in blocks]),
            ),
            "completed_at": columns.timestamp_values(np.concatenate([b.minute for b in blocks])),
            "items": pa.concat_arrays([b.items.cast(pa.string()) for b in blocks]),
            "score": columns.numbers(np.concatenate([b.score for b in blocks])),
        },
    )
