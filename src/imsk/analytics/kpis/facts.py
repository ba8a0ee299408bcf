"""The per-request facts table: the derived facts the KPIs need, computed once per data set.

Most KPIs ask the same questions of a request: when was it received, triaged, did it exit and how,
when was its first attended contact and its first condition code, what are its working-day
deadlines. ``shared/spec/kpis.md`` ("Shared rules") defines each once; this module computes them all
in one pass and the engine stores the result, one row per request. None of these facts depends on
the reporting period, so the table is computed once per data set and shared by every period and
level (the dashboard's twelve monthly trend reports read the same table as its period report):

* the events of the other tables are first reduced per request, each table on its own (a narrow
  aggregate each: an exit; the earliest attended first contact; the first condition code; the
  first onward referral; the earliest MSK-HQ baseline and latest discharge scores), and the
  reductions joined on ``request_id`` (full joins: a request may have events in some tables only);
* the requests are then joined to those events once (a full join: the events of an unknown request
  still count at national level, with no service), to their service's nation and to the working-day
  calendar of that nation (WD(date received, n)).

What does depend on the period is kept out of this table: the contacts and FFT responses *of the
period* (counted from their own tables by the KPIs that need them) and a request's condition group
*as of the period end*. For that, the table holds the group of the latest code and the date of that
code: when it is on or before the period end it is the group as of the end; only the few requests
coded again after the end are worked out again per period (:func:`recoded_groups`).

Each event table is read once, and only the columns used; the large tables are joined on
``request_id`` once instead of a dozen times (figures: ``docs/performance.md``). All of it is ibis,
so it runs unchanged on any engine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ibis
import ibis.expr.datatypes as dt

from imsk.analytics.schema import ROW_NUMBER

if TYPE_CHECKING:
    from imsk.analytics.kpis.inputs import KpiInputs

Table = Any
Column = Any

UNCODED = "UNCODED"

#: Rows a table may have for :func:`record_order` to tell records of the same second apart.
MAX_FILE_ROWS = 1_000_000_000

#: Scores are packed to two decimal places (MSK-HQ scores are whole numbers 0-56).
SCORE_SCALE = 100

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
    """A positive 64-bit integer that orders records by ``at`` (to the second), then by file order.

    It fits 64 bits for times from 1900 to 2192 with fewer than :data:`MAX_FILE_ROWS` rows in a
    table; beyond that the multiplication overflows, which every engine reports as an error.
    """
    return (at.epoch_seconds().cast("int64") + _EPOCH_1900_S) * MAX_FILE_ROWS + file_row


def _by_key(name: str) -> Any:
    """The engine's aggregate ``name``(arg, key): ``max_by`` is the ``arg`` of the row with the
    largest ``key`` (DuckDB ``arg_max``, Spark ``max_by``), ``min_by`` of the smallest."""

    def aggregate(arg: Any, key: Any) -> Any: ...

    aggregate.__name__ = name
    return ibis.udf.agg.builtin(aggregate, name=name, signature=((dt.int64, dt.int64), dt.int64))


_max_by = _by_key("max_by")
_min_by = _by_key("min_by")


def pick(inputs: KpiInputs, value: Column, at: Column, file_row: Column, *, latest: bool) -> Column:
    """An aggregate: ``value`` (an integer in [0, 10⁶)) of the latest record (``latest``; ties: the
    last in file) or of the earliest (ties: the first in file), ordered by ``at`` to the second then
    by file order; records with a null ``value`` or ``at`` are not candidates.

    Engines with ``max_by``/``min_by`` pick by the record key (:func:`record_order`, a 64-bit
    integer) directly; others take the ``max``/``min`` of the key with the value packed below it
    (:func:`packed`, 38 digits) and unpack it.
    """
    candidate = value.notnull() & at.notnull()
    order = record_order(at, file_row)
    if inputs.dataset.engine.picks_by_key:
        key = ibis.ifelse(candidate, order, ibis.null("int64"))
        chosen = ibis.ifelse(candidate, value.cast("int64"), ibis.null("int64"))
        return _max_by(chosen, key) if latest else _min_by(chosen, key)
    keyed = ibis.ifelse(candidate, packed(record_order(at, file_row), value), ibis.null(_PACKED))
    return payload_of(keyed.max() if latest else keyed.min())


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
    attended = contacts.filter((contacts.kind == "first") & (contacts.status == "attended"))
    return attended.group_by("request_id").aggregate(first_attended_at=attended.scheduled_at.min())


def _latest_groups(inputs: KpiInputs, codes: Table, groups: Table) -> Table:
    """Per request of ``codes``: ``first_coded_at``, ``last_coded_on`` and ``latest_group``, the
    group of its latest code (ties: the last in file).

    The latest is found by :func:`pick`, from the group's index in :func:`condition_group_index`.
    """
    named = codes.mutate(group_name=condition_group_of(codes.code))
    indexed = named.left_join(groups, named.group_name == groups.group_name).select(
        "request_id", "recorded_at", ROW_NUMBER, "group_index"
    )
    reduced = indexed.group_by("request_id").aggregate(
        first_coded_at=indexed.recorded_at.min(),
        last_coded_at=indexed.recorded_at.max(),
        pick_index=pick(
            inputs, indexed.group_index, indexed.recorded_at, indexed[ROW_NUMBER], latest=True
        ),
    )
    named_latest = reduced.left_join(groups, reduced.pick_index == groups.group_index)
    return named_latest.select(
        "request_id",
        "first_coded_at",
        last_coded_on=named_latest.last_coded_at.date(),
        latest_group=named_latest.group_name,
    )


def _code_events(inputs: KpiInputs) -> Table:
    return _latest_groups(inputs, inputs.table("condition_codes"), condition_group_index(inputs))


def recoded_groups(inputs: KpiInputs, facts: Table) -> Table:
    """(request_id, condition_group) for the requests coded again after the period end: the group
    of their latest code recorded on or before it (a request with none has no row).

    Every other request's group as of the period end is its ``latest_group`` in the facts, so only
    these few are worked out again for a period.
    """
    end = inputs.period.end
    recoded = facts.filter(facts.last_coded_on > end).select(recoded_id=facts.request_id)
    codes = inputs.table("condition_codes")
    known = codes.filter(codes.recorded_at.date() <= end)
    theirs = known.semi_join(recoded, known.request_id == recoded.recoded_id)
    latest = _latest_groups(inputs, theirs, condition_group_index(inputs))
    return latest.select("request_id", condition_group=latest.latest_group)


def _referral_events(inputs: KpiInputs) -> Table:
    referrals = inputs.table("onward_referrals")
    return referrals.group_by("request_id").aggregate(first_referred_at=referrals.referred_at.min())


def _measure_events(inputs: KpiInputs) -> Table:
    """The earliest MSK-HQ baseline (ties: the first in file) and the latest discharge (ties: the
    last in file), as score x 100 (:func:`pick`)."""
    msk_hq = inputs.scored_measures("msk_hq")
    chosen = msk_hq.filter(msk_hq.timepoint.isin(("baseline", "discharge")))
    score = (chosen.kpi_score * SCORE_SCALE).round().cast("int64")
    at, row = chosen.completed_at, chosen[ROW_NUMBER]
    null_score = ibis.null("int64")
    return chosen.group_by("request_id").aggregate(
        baseline_pick=pick(
            inputs,
            ibis.ifelse(chosen.timepoint == "baseline", score, null_score),
            at,
            row,
            latest=False,
        ),
        discharge_pick=pick(
            inputs,
            ibis.ifelse(chosen.timepoint == "discharge", score, null_score),
            at,
            row,
            latest=True,
        ),
    )


def request_events(inputs: KpiInputs) -> Table:
    """The events of every other table reduced to one row per ``request_id`` (see the module
    docstring); a request with no events has no row.

    Each table is reduced on its own (a narrow aggregate each), then the reductions are joined on
    ``request_id``; one aggregate over the union of all events was slower (figures:
    ``docs/performance.md``).
    """
    parts = [
        _exit_events(inputs),
        _contact_events(inputs),
        _code_events(inputs),
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
    """(group_name, group_index): every condition group of the data set, numbered (read once per
    data set)."""
    built: Table = inputs.dataset.memo("condition_groups", lambda: _group_index(inputs))
    return built


def _group_index(inputs: KpiInputs) -> Table:
    codes = inputs.table("condition_codes")
    names = codes.select(name=condition_group_of(codes.code)).distinct().to_pyarrow()
    ordered = sorted(n for n in names.column("name").to_pylist() if n is not None)
    return ibis.memtable(
        {"group_name": ordered, "group_index": list(range(len(ordered)))},
        schema={"group_name": "string", "group_index": "int64"},
    )


def request_facts(inputs: KpiInputs, events: Table) -> Table:
    """One row per request (and per unknown request that has events), with every derived fact that
    does not depend on the period; ``events`` is :func:`request_events` (stored first by the
    caller, so that the engine holds the reductions' hash tables and the requests' one in turn,
    never all at once: at 10 million requests they do not fit in 4 GB together)."""
    requests = inputs.table("requests").select(*REQUEST_COLUMNS, "received_at")
    joined = requests.outer_join(events, requests.request_id == events.request_id)
    services = inputs.table("services").select(svc_id="service_id", nation="nation")
    base = joined.select(
        *(c for c in REQUEST_COLUMNS if c != "request_id"),
        request_id=requests.request_id.coalesce(events.request_id),
        is_request=requests.request_id.notnull(),
        received_on=joined.received_at.date(),
        triaged_on=joined.triaged_at.date(),
        exited_on=joined.exited_at.date(),
        exit_code=joined.exit_code,
        first_attended_on=joined.first_attended_at.date(),
        first_coded_at=joined.first_coded_at,
        last_coded_on=joined.last_coded_on,
        latest_group=joined.latest_group,
        first_referred_on=joined.first_referred_at.date(),
        msk_hq_baseline=joined.baseline_pick / SCORE_SCALE,
        msk_hq_discharge=joined.discharge_pick / SCORE_SCALE,
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
        *base.columns, *offsets
    )
