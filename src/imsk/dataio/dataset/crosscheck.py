"""Checks across rows and tables: duplicate keys, foreign keys, events before their request.

These run once a table has been read, on compact Arrow arrays kept from each batch (only the key,
reference and event-time columns; positions in the arrays are data row numbers minus one). Duplicate
keys are found by a stable sort, foreign keys by one hash lookup (``index_in``) of the whole column
against the parent's keys, and the lookup also fetches the request's ``received_at`` so that an exit,
contact or other event dated before its request's receipt is found without a join.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from imsk.core.dataset import FindingCode, Table
from imsk.dataio.dataset.arrow import Arr, pa_any, pc
from imsk.dataio.dataset.normalise import display
from imsk.dataio.dataset.sink import FindingSink, true_mask

_KEY_SEPARATOR = "\x1f"


def combined(chunks: list[Arr], arrow_type: pa.DataType) -> Arr:
    """One array from the per-batch arrays of a column."""
    if not chunks:
        return pa.array([], arrow_type)
    return pa_any.chunked_array(chunks, arrow_type).combine_chunks()


def composite_key(table: Table, columns: dict[str, Arr]) -> Arr:
    """The key of each row as one text value (null where any part is null)."""
    parts = [columns[name].cast(pa.string()) for name in table.key]
    if len(parts) == 1:
        return parts[0]
    return pc.binary_join_element_wise(*parts, _KEY_SEPARATOR)


@dataclass(frozen=True)
class Repeats:
    """Rows (0-based, ascending) that repeat a value seen at an earlier row, and that earlier row."""

    positions: Arr
    first_positions: Arr


def later_repeats(keys: Arr) -> Repeats:
    """Rows whose non-null key already occurred at an earlier row (stable sort, no hashing)."""
    present = pc.indices_nonzero(pc.is_valid(keys)).cast(pa.int64())
    if len(present) < 2:
        empty = pa.array([], pa.int64())
        return Repeats(empty, empty)
    values = keys.take(present)
    order = pc.sort_indices(values)  # stable: equal keys keep file order
    ordered = values.take(order)
    positions = present.take(order)
    same = pc.equal(ordered.slice(1), ordered.slice(0, len(ordered) - 1))
    repeat = pa.concat_arrays([pa.array([False]), true_mask(same)])
    starts = pc.invert(repeat)
    group = pc.subtract(pc.cumulative_sum(starts.cast(pa.int64())), 1)
    first = pc.take(positions.filter(starts), group)
    later, earlier = positions.filter(repeat), first.filter(repeat)
    by_row = pc.sort_indices(later)
    return Repeats(later.take(by_row), earlier.take(by_row))


def check_duplicate_keys(sink: FindingSink, table: Table, columns: dict[str, Arr]) -> None:
    """``duplicate_key`` for each row repeating the key of an earlier row."""
    keys = composite_key(table, columns)
    repeats = later_repeats(keys)
    label = " + ".join(table.key)

    def message(j: int) -> str:
        position = repeats.positions[j].as_py()
        shown = str(keys[position].as_py()).replace(_KEY_SEPARATOR, ", ")
        return f"{label} {shown!r} repeats the key of row {repeats.first_positions[j].as_py() + 1}"

    sink.add_positions(
        FindingCode.DUPLICATE_KEY, table.name, table.key[-1], repeats.positions, message
    )


def check_reference(
    sink: FindingSink, table: str, field: str, child: Arr, parent: Arr, parent_label: str
) -> Arr:
    """``dangling_reference`` for values of ``child`` not in ``parent``; returns each row's index
    into ``parent`` (null where none)."""
    index = pc.index_in(child, value_set=parent, skip_nulls=True)
    dangling = true_mask(pc.and_(pc.is_valid(child), pc.is_null(index)))
    sink.add_masked(
        FindingCode.DANGLING_REFERENCE,
        table,
        field,
        dangling,
        1,
        lambda i: f"{field} {display(child, i)} is not a {parent_label}",
    )
    return index


def _ts(values: Any, i: int) -> str:
    value = values[i].as_py()
    return "?" if value is None else str(value.isoformat(timespec="seconds"))


def check_before_receipt(
    sink: FindingSink,
    code: FindingCode,
    table: str,
    field: str,
    event: Arr,
    request_index: Arr,
    received_at: Arr,
) -> None:
    """``code`` for each row whose ``event`` time is before its request's ``received_at``."""
    received = pc.take(received_at, request_index)
    early = true_mask(pc.less(event, received))
    sink.add_masked(
        code,
        table,
        field,
        early,
        1,
        lambda i: (
            f"{field} {_ts(event, i)} is before the request's received_at {_ts(received, i)} "
            f"(requests row {request_index[i].as_py() + 1})"
        ),
    )


def check_multiple_first_attended(sink: FindingSink, request_id: Arr, first_attended: Arr) -> None:
    """``multiple_first_attended`` for each attended first contact after a request's first one."""
    keys = pc.if_else(true_mask(first_attended), request_id, None)
    repeats = later_repeats(keys)
    sink.add_positions(
        FindingCode.MULTIPLE_FIRST_ATTENDED,
        "contacts",
        "kind",
        repeats.positions,
        lambda j: (
            f"request {request_id[repeats.positions[j].as_py()].as_py()!r} already has an attended "
            f"first contact at row {repeats.first_positions[j].as_py() + 1}"
        ),
    )


def check_contact_request(
    sink: FindingSink,
    request_id: Arr,
    contact_index: Arr,
    contact_request_id: Arr,
) -> None:
    """``contact_request_mismatch`` where an activity's contact belongs to another request."""
    owner = pc.take(contact_request_id, contact_index)
    mismatch = true_mask(pc.and_(pc.is_valid(request_id), pc.not_equal(request_id, owner)))
    sink.add_masked(
        FindingCode.CONTACT_REQUEST_MISMATCH,
        "activities",
        "contact_id",
        mismatch,
        1,
        lambda i: (
            f"the contact belongs to request {owner[i].as_py()!r}, not {request_id[i].as_py()!r} "
            f"(contacts row {contact_index[i].as_py() + 1})"
        ),
    )
