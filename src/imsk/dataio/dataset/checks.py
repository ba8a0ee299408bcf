"""Checks of one batch of one table: each value on its own, then the rules within a row.

Single values (:func:`check_column`): required values, the type of each cell, closed lists, ranges,
surrounding spaces, expected code shapes and the administrator's code lists. Rules within a row
(:func:`check_requests_rules`, :func:`check_exits_rules`): a request triaged before it was received,
a priority or pathway without a triage time (and the reverse), a missing category on a request that
is not a self-referral, an SOS/PIFU window on an exit of another kind or ending before the exit.
Every check is one vectorised expression over the batch; Python objects are only built for the
findings that are kept.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

import pyarrow as pa

from imsk.core.codes import ExitCode
from imsk.core.dataset import Column, ColumnType, FindingCode
from imsk.core.dataset.enums import Pathway, Source
from imsk.core.dataset.values import BAD_TYPE_CODE, TYPE_FORM
from imsk.dataio.dataset.arrow import Arr, pc
from imsk.dataio.dataset.normalise import Normalised, display
from imsk.dataio.dataset.sink import FindingSink, Message

_WINDOW_CODES: Final = (ExitCode.SEE_ON_SYMPTOM.value, ExitCode.PATIENT_INITIATED_FOLLOW_UP.value)


def _and(*masks: Arr) -> Arr:
    result = masks[0]
    for mask in masks[1:]:
        result = pc.and_kleene(result, mask)
    return pc.fill_null(result, False)


def _present(raw: Arr) -> Arr:
    return pc.is_valid(raw)


def _show_number(value: Any) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def check_column(
    sink: FindingSink,
    table: str,
    column: Column,
    data: Normalised,
    first_row: int,
    code_set: tuple[str, frozenset[str], Arr] | None = None,
) -> None:
    """Every single-value check of ``column`` on one batch (see the module docstring)."""
    name, raw = column.name, data.raw
    if column.required:
        sink.add_masked(
            FindingCode.MISSING_REQUIRED,
            table,
            name,
            pc.is_null(raw),
            first_row,
            lambda i: f"{name} is required but empty",
        )
    if data.bad is not None:
        form = TYPE_FORM[column.type]
        note = f" ({column.note})" if column.note else ""
        sink.add_masked(
            BAD_TYPE_CODE[column.type],
            table,
            name,
            data.bad,
            first_row,
            lambda i: f"{name} {display(raw, i)} is not {form}{note}",
        )
    if column.type is ColumnType.ENUM:
        allowed = pa.array(column.values, pa.string())
        unknown = _and(_present(raw), pc.invert(pc.is_in(raw, value_set=allowed)))
        listed = ", ".join(column.values)
        sink.add_masked(
            FindingCode.UNKNOWN_ENUM,
            table,
            name,
            unknown,
            first_row,
            lambda i: f"{name} {display(raw, i)} is not one of: {listed}",
        )
    if column.type in (ColumnType.INTEGER, ColumnType.NUMBER):
        _check_range(sink, table, column, data.values, first_row)
    if column.type is ColumnType.STRING:
        _check_text(sink, table, column, raw, first_row)
    if code_set is not None:
        _check_code_list(sink, table, column, raw, first_row, code_set)


def _outside(values: Arr, low: float | None, high: float | None) -> Arr | None:
    masks = []
    if low is not None:
        masks.append(pc.less(values, pa.scalar(low, pa.float64())))
    if high is not None:
        masks.append(pc.greater(values, pa.scalar(high, pa.float64())))
    if not masks:
        return None
    either = masks[0] if len(masks) == 1 else pc.or_(masks[0], masks[1])
    return pc.fill_null(either, False)


def _bounds(low: float | None, high: float | None) -> str:
    if high is None:
        return f"at least {_show_number(low)}"
    if low is None:
        return f"at most {_show_number(high)}"
    return f"{_show_number(low)} to {_show_number(high)}"


def _check_range(
    sink: FindingSink, table: str, column: Column, values: Arr, first_row: int
) -> None:
    name = column.name
    # Unsafe: a huge integer rounds instead of raising; far beyond any bound, it stays outside it.
    numbers = values.cast(pa.float64(), safe=False)
    outside = _outside(numbers, column.minimum, column.maximum)
    allowed = _bounds(column.minimum, column.maximum)
    sink.add_masked(
        FindingCode.OUT_OF_RANGE,
        table,
        name,
        outside,
        first_row,
        lambda i: f"{name} {_show_number(values[i].as_py())} is outside {allowed}",
    )
    unusual = _outside(numbers, column.usual_minimum, column.usual_maximum)
    if unusual is None:
        return
    if outside is not None:
        unusual = pc.and_(unusual, pc.invert(outside))
    usual = _bounds(column.usual_minimum, column.usual_maximum)
    sink.add_masked(
        FindingCode.UNUSUAL_VALUE,
        table,
        name,
        unusual,
        first_row,
        lambda i: (
            f"{name} {_show_number(values[i].as_py())} is valid but outside the expected {usual}"
        ),
    )


def _check_text(sink: FindingSink, table: str, column: Column, raw: Arr, first_row: int) -> None:
    name = column.name
    spaced = pc.fill_null(pc.not_equal(raw, pc.utf8_trim_whitespace(raw)), False)
    sink.add_masked(
        FindingCode.SURROUNDING_WHITESPACE,
        table,
        name,
        spaced,
        first_row,
        lambda i: f"{name} {display(raw, i)} has leading or trailing spaces (kept as given)",
    )
    if column.pattern is None:
        return
    shaped = pc.match_substring_regex(raw, pattern=f"^(?:{column.pattern})$")
    odd = _and(_present(raw), pc.invert(shaped), pc.invert(spaced))
    label = column.pattern_label
    sink.add_masked(
        FindingCode.UNEXPECTED_FORMAT,
        table,
        name,
        odd,
        first_row,
        lambda i: f"{name} {display(raw, i)} is not {label}",
    )


def _check_code_list(
    sink: FindingSink,
    table: str,
    column: Column,
    raw: Arr,
    first_row: int,
    code_set: tuple[str, frozenset[str], Arr],
) -> None:
    described, _, codes = code_set
    unknown = _and(_present(raw), pc.invert(pc.is_in(raw, value_set=codes)))
    code = (
        FindingCode.UNKNOWN_CONDITION_CODE
        if column.code_list == "condition"
        else FindingCode.UNKNOWN_ACTIVITY_CODE
    )
    sink.add_masked(
        code,
        table,
        column.name,
        unknown,
        first_row,
        lambda i: f"code {display(raw, i)} is not in {described}",
    )


def _ts(values: Arr, i: int) -> str:
    value = values[i].as_py()
    return "?" if value is None else str(value.isoformat(timespec="seconds"))


def check_requests_rules(
    sink: FindingSink, raw: Mapping[str, Arr], values: Mapping[str, Arr], first_row: int
) -> None:
    """Triage consistency and the category of a referral, within each request.

    A rule runs only when the file has every column it reads.
    """
    if {"received_at", "triaged_at"} <= raw.keys():
        received, triaged = values["received_at"], values["triaged_at"]
        sink.add_masked(
            FindingCode.TRIAGED_BEFORE_RECEIPT,
            "requests",
            "triaged_at",
            pc.fill_null(pc.less(triaged, received), False),
            first_row,
            lambda i: f"triaged_at {_ts(triaged, i)} is before received_at {_ts(received, i)}",
        )
    for code, field, needs, rule, text in _REQUEST_RULES:
        if needs <= raw.keys():
            sink.add_masked(code, "requests", field, rule(raw), first_row, _constant(text))


def _constant(text: str) -> Message:
    return lambda i: text


def _triaged(raw: Mapping[str, Arr]) -> Arr:
    return _present(raw["triaged_at"])


def _redirected(raw: Mapping[str, Arr]) -> Arr:
    return pc.fill_null(pc.equal(raw["pathway"], Pathway.REDIRECTED.value), False)


Rule = Callable[[Mapping[str, Arr]], Arr]
_REQUEST_RULES: Final[tuple[tuple[FindingCode, str, set[str], Rule, str], ...]] = (
    (
        FindingCode.PRIORITY_WITHOUT_TRIAGE,
        "priority",
        {"priority", "triaged_at"},
        lambda r: _and(_present(r["priority"]), pc.invert(_triaged(r))),
        "priority is set but triaged_at is empty (priority is null until triaged)",
    ),
    (
        FindingCode.TRIAGE_WITHOUT_PRIORITY,
        "priority",
        {"priority", "triaged_at", "pathway"},
        lambda r: _and(_triaged(r), pc.is_null(r["priority"]), pc.invert(_redirected(r))),
        "triaged_at is set but priority is empty (only a redirected request may have none)",
    ),
    (
        FindingCode.PATHWAY_WITHOUT_TRIAGE,
        "pathway",
        {"pathway", "triaged_at"},
        lambda r: _and(_present(r["pathway"]), pc.invert(_triaged(r))),
        "pathway is set but triaged_at is empty (triaged_at is when the pathway was allocated)",
    ),
    (
        FindingCode.TRIAGE_WITHOUT_PATHWAY,
        "pathway",
        {"pathway", "triaged_at"},
        lambda r: _and(_triaged(r), pc.is_null(r["pathway"])),
        "triaged_at is set but pathway is empty",
    ),
    (
        FindingCode.MISSING_CATEGORY,
        "category",
        {"category", "source"},
        lambda r: _and(pc.is_null(r["category"]), pc.not_equal(r["source"], Source.SELF.value)),
        "category is empty on a request that is not a self-referral",
    ),
)


def check_exits_rules(
    sink: FindingSink, raw: Mapping[str, Arr], values: Mapping[str, Arr], first_row: int
) -> None:
    """An SOS/PIFU window belongs to SOS and PIFU exits only and cannot end before the exit."""
    if not {"code", "window_ends", "exited_at"} <= raw.keys():
        return
    code, window = raw["code"], values["window_ends"]
    windowed = pc.is_in(code, value_set=pa.array(_WINDOW_CODES))
    sink.add_masked(
        FindingCode.WINDOW_WITHOUT_SOS_PIFU,
        "exits",
        "window_ends",
        _and(_present(raw["window_ends"]), _present(code), pc.invert(windowed)),
        first_row,
        lambda i: f"window_ends is set on an exit with code {display(code, i)} (SOS and PIFU only)",
    )
    sink.add_masked(
        FindingCode.SOS_PIFU_WITHOUT_WINDOW,
        "exits",
        "window_ends",
        _and(windowed, pc.is_null(raw["window_ends"])),
        first_row,
        lambda i: f"exit {display(code, i)} has no window_ends (the last day to return)",
    )
    exited = values["exited_at"]
    before = pc.fill_null(pc.less(window, exited.cast(pa.date32())), False)
    sink.add_masked(
        FindingCode.WINDOW_BEFORE_EXIT,
        "exits",
        "window_ends",
        before,
        first_row,
        lambda i: f"window_ends {window[i].as_py()} is before the exit date {_ts(exited, i)[:10]}",
    )
