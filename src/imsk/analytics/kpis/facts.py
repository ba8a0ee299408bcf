"""The per-request facts table: every derived fact the KPIs need, computed once per period.

Most KPIs ask the same questions of a request: when was it received, triaged, did it exit and how,
when was its first attended contact, what is its current condition group, what are its working-day
deadlines. ``shared/spec/kpis.md`` ("Shared rules") defines each once; this module computes them all
in one pass and the engine stores the result, one row per request, for every KPI and every level:

* the events of the other tables are first reduced per request, each table on its own (a narrow
  aggregate each: an exit; the earliest attended first contact and the contacts of the period
  counted by kind and status; the code as of the period end and the first code; the first onward
  referral; the earliest MSK-HQ baseline and latest discharge scores and the FFT responses of the
  period), and the reductions joined on ``request_id`` (full joins: a request may have events in
  some tables only);
* the requests are then joined to those events once (a full join: the events of an unknown request
  still count at national level, with no service), to their service's nation and to the working-day
  calendar of that nation (WD(date received, n)).

Each event table is read once, and only the columns used; the large tables are joined on
``request_id`` once instead of a dozen times (figures: ``docs/performance.md``). All of it is ibis,
so it runs unchanged on any engine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ibis

from imsk.analytics.schema import ROW_NUMBER
from imsk.core.instruments.fft import FftResponse

if TYPE_CHECKING:
    from imsk.analytics.kpis.inputs import KpiInputs

Table = Any
Column = Any

UNCODED = "UNCODED"

#: Rows a table may have for :func:`record_order` to tell records of the same second apart.
MAX_FILE_ROWS = 1_000_000_000

#: Contacts of the period counted per request: column -> (kind, status).
COUNTED_CONTACTS: dict[str, tuple[str, str]] = {
    "contacts_first_attended": ("first", "attended"),
    "contacts_first_did_not_attend": ("first", "did_not_attend"),
    "contacts_first_patient_cancelled": ("first", "patient_cancelled"),
    "contacts_first_service_cancelled": ("first", "service_cancelled"),
    "contacts_follow_up_attended": ("follow_up", "attended"),
}

#: Scores are packed to two decimal places (MSK-HQ scores are whole numbers 0-56).
SCORE_SCALE = 100

FFT_POSITIVE_CODES = tuple(float(r.value) for r in FftResponse if r.is_positive)

#: 1900-01-01 as seconds before the Unix epoch: record keys count from it, so they stay positive.
_EPOCH_1900_S = 2_208_988_800

#: Room for the payload packed below a record key (a dictionary index, or a score x 100).
_PAYLOAD_SLOTS = 1_000_000
_PACKED = "decimal(38, 0)"


#: The request columns the KPIs read (the facts table keeps only these).
REQUEST_COLUMNS = (
    "request_id",
    "person_id",
    "service_id",
    "source",
    "priority",
    "pathway",
    "deprivation_quintile",
    "triaged_at",
)


def condition_group_of(code: Column) -> Column:
    """The condition group of a code: the part before the first dot (all of it without one).

    Written with ``find`` and ``substr`` because ``split`` takes a regular expression on Spark.
    """
    dot = code.find(".")
    return ibis.ifelse(dot >= 0, code.substr(0, dot), code)


def record_order(at: Column, file_row: Column) -> Column:
    """A positive integer that orders records by ``at`` (to the second), then by file order."""
    return (at.epoch_seconds().cast("int64") + _EPOCH_1900_S) * MAX_FILE_ROWS + file_row


def packed(order: Column, payload: Column) -> Column:
    """``order`` with ``payload`` (an integer in [0, 10⁶)) packed below it, as a 38-digit integer.

    "The code of the latest record" is then the payload of the *maximum* packed value: a plain
    ``max`` aggregate, which every engine computes in one pass with constant memory per request
    (an ordered ``argmax`` makes engines keep and sort every record of every request).
    """
    return order.cast(_PACKED) * _PAYLOAD_SLOTS + payload.cast(_PACKED)


def payload_of(value: Column) -> Column:
    """The payload :func:`packed` put below the record key."""
    return (value % _PAYLOAD_SLOTS).cast("int64")


def _exit_events(inputs: KpiInputs) -> Table:
    exits = inputs.table("exits")
    return exits.group_by("request_id").aggregate(
        exited_at=exits.exited_at.max(),
        exit_code=exits.code.max(),  # at most one exit per request (data set key)
    )


def _contact_events(inputs: KpiInputs) -> Table:
    contacts = inputs.table("contacts")
    is_first_attended = (contacts.kind == "first") & (contacts.status == "attended")
    in_period = inputs.period.contains(contacts.scheduled_at.date())
    chosen = contacts.filter(is_first_attended | in_period).mutate(
        in_period=inputs.period.contains(contacts.scheduled_at.date())
    )
    counts = {
        name: ibis.ifelse(
            chosen.in_period & (chosen.kind == kind) & (chosen.status == status), 1, 0
        )
        .cast("int32")
        .sum()
        for name, (kind, status) in COUNTED_CONTACTS.items()
    }
    attended = (chosen.kind == "first") & (chosen.status == "attended")
    return chosen.group_by("request_id").aggregate(
        first_attended_at=ibis.ifelse(attended, chosen.scheduled_at, ibis.null("timestamp")).min(),
        **counts,
    )


def _code_events(inputs: KpiInputs, groups: Table) -> Table:
    """Condition codes, with the index of their group in ``groups`` packed below their record key
    when recorded on or before the period end (the current code is the latest of those)."""
    codes = inputs.table("condition_codes")
    codes = codes.mutate(group_name=condition_group_of(codes.code))
    indexed = codes.left_join(groups, codes.group_name == groups.group_name).select(
        "request_id", "recorded_at", ROW_NUMBER, "group_index"
    )
    known = indexed.recorded_at.date() <= inputs.period.end
    pick = packed(record_order(indexed.recorded_at, indexed[ROW_NUMBER]), indexed.group_index)
    return indexed.group_by("request_id").aggregate(
        code_pick=ibis.ifelse(known, pick, ibis.null(_PACKED)).max(),
        first_coded_at=indexed.recorded_at.min(),
    )


def _referral_events(inputs: KpiInputs) -> Table:
    referrals = inputs.table("onward_referrals")
    return referrals.group_by("request_id").aggregate(first_referred_at=referrals.referred_at.min())


def _measure_events(inputs: KpiInputs) -> Table:
    """MSK-HQ baseline and discharge measures, score x 100 packed below their record key (the
    earliest baseline has the smallest key: ties go to the first in file; the latest discharge the
    largest: ties go to the last in file), and the FFT responses of the period."""
    msk_hq = inputs.scored_measures("msk_hq")
    msk_hq = msk_hq.filter(msk_hq.timepoint.isin(("baseline", "discharge")))
    fft = inputs.scored_measures("fft")
    fft = fft.filter(inputs.period.contains(fft.completed_at.date()))
    chosen = ibis.union(msk_hq, fft)
    is_msk_hq = chosen.instrument == "msk_hq"
    order = record_order(chosen.completed_at, chosen[ROW_NUMBER])
    pick = packed(order, (chosen.kpi_score * SCORE_SCALE).round().cast("int64"))
    is_baseline = is_msk_hq & (chosen.timepoint == "baseline")
    is_discharge = is_msk_hq & (chosen.timepoint == "discharge")
    is_fft = chosen.instrument == "fft"
    return chosen.group_by("request_id").aggregate(
        baseline_pick=ibis.ifelse(is_baseline, pick, ibis.null(_PACKED)).min(),
        discharge_pick=ibis.ifelse(is_discharge, pick, ibis.null(_PACKED)).max(),
        fft_responses=ibis.ifelse(is_fft, 1, 0).cast("int32").sum(),
        fft_positive_responses=ibis.ifelse(is_fft & chosen.kpi_score.isin(FFT_POSITIVE_CODES), 1, 0)
        .cast("int32")
        .sum(),
    )


def request_events(inputs: KpiInputs, groups: Table) -> Table:
    """The events of every other table reduced to one row per ``request_id`` (see the module
    docstring); a request with no events has no row.

    Each table is reduced on its own (a narrow aggregate each), then the reductions are joined on
    ``request_id``; one aggregate over the union of all events was slower (figures:
    ``docs/performance.md``).
    """
    parts = [
        _exit_events(inputs),
        _contact_events(inputs),
        _code_events(inputs, groups),
        _referral_events(inputs),
        _measure_events(inputs),
    ]
    events = parts[0]
    for part in parts[1:]:
        part = part.rename(part_request_id="request_id").view()
        joined = events.outer_join(part, events.request_id == part.part_request_id)
        events = joined.select(
            request_id=joined.request_id.coalesce(joined.part_request_id),
            **{c: joined[c] for c in (*events.columns, *part.columns) if "request_id" not in c},
        ).view()
    return events


def condition_group_index(inputs: KpiInputs) -> Table:
    """(group_name, group_index): every condition group of the data set, numbered (read once)."""
    codes = inputs.table("condition_codes")
    names = codes.select(name=condition_group_of(codes.code)).distinct().to_pyarrow()
    ordered = sorted(n for n in names.column("name").to_pylist() if n is not None)
    return ibis.memtable(
        {"group_name": ordered, "group_index": list(range(len(ordered)))},
        schema={"group_name": "string", "group_index": "int64"},
    )


def request_facts(inputs: KpiInputs) -> Table:
    """One row per request (and per unknown request that has events), with every derived fact."""
    requests = inputs.table("requests").select(*REQUEST_COLUMNS, "received_at")
    groups = condition_group_index(inputs)
    events = request_events(inputs, groups).view()
    events = events.left_join(groups, payload_of(events.code_pick) == groups.group_index).select(
        *events.columns, current_group=groups.group_name
    )
    joined = requests.outer_join(events, requests.request_id == events.request_id)
    services = inputs.table("services").select(svc_id="service_id", nation="nation")
    counts = {name: joined[name].fill_null(0) for name in COUNTED_CONTACTS}
    base = joined.select(
        *(c for c in REQUEST_COLUMNS if c != "request_id"),
        request_id=requests.request_id.coalesce(events.request_id),
        is_request=requests.request_id.notnull(),
        received_on=joined.received_at.date(),
        triaged_on=joined.triaged_at.date(),
        exited_on=joined.exited_at.date(),
        exit_code=joined.exit_code,
        first_attended_on=joined.first_attended_at.date(),
        condition_group=joined.current_group.fill_null(UNCODED),
        first_coded_at=joined.first_coded_at,
        first_referred_on=joined.first_referred_at.date(),
        msk_hq_baseline=payload_of(joined.baseline_pick) / SCORE_SCALE,
        msk_hq_discharge=payload_of(joined.discharge_pick) / SCORE_SCALE,
        fft_responses=joined.fft_responses.fill_null(0),
        fft_positive_responses=joined.fft_positive_responses.fill_null(0),
        **counts,
    ).view()
    placed = (
        base.left_join(services, base.service_id == services.svc_id)
        .select(*base.columns, "nation")
        .view()
    )
    deadlines = inputs.calendar.deadlines
    offsets = [name for name in deadlines.columns if name not in ("nation", "day")]
    lookup = deadlines.select(*offsets, cal_nation=deadlines.nation, cal_day=deadlines.day)
    return placed.left_join(lookup, [("nation", "cal_nation"), ("received_on", "cal_day")]).select(
        *placed.columns, *offsets
    )
