"""Deliberate data errors, for testing validators and the KPI engine's data-quality findings.

``--error-rate R`` corrupts about a fraction R of the rows of each table with one realistic error
each (a bad date, an unknown enum value, a reference to nothing, a duplicate key, an exit before its
request's receipt, a score that disagrees with its items, a code not in the code list). Every
corrupted cell is listed in ``injected_errors.csv`` beside the tables: table, row (the data row number
in that table's file, 1 = the first row after the header), field, kind, the value before and after.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from numpy.typing import NDArray

from imsk.synth import columns

IntArray = NDArray[np.int64]

INJECTED_ERRORS_FILE = "injected_errors.csv"
INJECTED_COLUMNS = ("table", "row", "field", "kind", "original", "injected")


@dataclass(frozen=True)
class Injection:
    table: str
    row: int
    field: str
    kind: str
    original: str | None
    injected: str | None


# kind -> (field, replacement maker); the maker gets the original cells and the context column.
Maker = Callable[[list[str | None], NDArray[np.int64] | None], list[str]]
_UNKNOWN_ENUM = {
    "requests": ("source", "fax"),
    "contacts": ("status", "maybe"),
    "measures": ("instrument", "pain_vas"),
    "exits": ("code", "absconded"),
}
_BAD_DATE = {
    "requests": "received_at",
    "contacts": "scheduled_at",
    "exits": "exited_at",
    "measures": "completed_at",
    "condition_codes": "recorded_at",
}
_KEYS = {"requests": "request_id", "contacts": "contact_id", "exits": "request_id"}
_REFERENCES = {
    "contacts": "request_id",
    "exits": "request_id",
    "measures": "request_id",
    "condition_codes": "request_id",
    "activities": "request_id",
}


def kinds_for(table: str) -> list[tuple[str, str]]:
    """The (kind, field) pairs that can be injected into ``table``."""
    kinds: list[tuple[str, str]] = []
    if table in _BAD_DATE:
        kinds.append(("bad_date", _BAD_DATE[table]))
    if table in _UNKNOWN_ENUM:
        kinds.append(("unknown_enum_value", _UNKNOWN_ENUM[table][0]))
    if table in _KEYS:
        kinds.append(("duplicate_key", _KEYS[table]))
    if table in _REFERENCES:
        kinds.append(("dangling_reference", _REFERENCES[table]))
    if table == "exits":
        kinds.append(("exit_before_receipt", "exited_at"))
    if table == "measures":
        kinds.append(("score_disagrees_with_items", "score"))
    if table == "condition_codes":
        kinds.append(("unknown_code", "code"))
    return kinds


def _bad_dates(count: int, rng: np.random.Generator) -> list[str]:
    options = ("2025-02-30T10:00", "31/12/2025 10:00", "2025-13-01T09:00", "yesterday")
    return [options[i] for i in rng.integers(0, len(options), count)]


def inject(
    table_name: str,
    table: pa.Table,
    rate: float,
    rng: np.random.Generator,
    first_row: int,
    received_minutes: IntArray | None = None,
) -> tuple[pa.Table, list[Injection]]:
    """Corrupt about ``rate`` of the rows of one chunk of ``table_name``; return what was done.

    ``received_minutes`` (exits only) is the receipt minute of each exit's request, so that an
    injected exit falls before it. ``first_row`` is the file row number of the chunk's first row.
    """
    kinds = kinds_for(table_name)
    if rate <= 0 or not kinds or table.num_rows < 2:
        return table, []
    count = int(rng.binomial(table.num_rows, rate))
    rows = np.sort(
        rng.choice(np.arange(1, table.num_rows), size=min(count, table.num_rows - 1), replace=False)
    )
    which = rng.integers(0, len(kinds), rows.shape[0])
    done: list[Injection] = []
    for k, (kind, field) in enumerate(kinds):
        chosen = rows[which == k]
        if chosen.size == 0:
            continue
        column = table.column(field).combine_chunks()
        encoded = pa.types.is_dictionary(column.type)
        if encoded:
            column = column.cast(pa.string())
        original = column.take(chosen.tolist()).to_pylist()
        new = _replacement(kind, table_name, table, field, chosen, rng, received_minutes)
        mask = np.zeros(table.num_rows, dtype=np.bool_)
        mask[chosen] = True
        values: columns.Arrow
        if pa.types.is_floating(column.type):
            values = pa.array([float(v) for v in new], pa.float64())
        else:
            values = pa.array(new, pa.string())
        replaced = pc.replace_with_mask(column, pa.array(mask), values)
        if encoded:
            replaced = pc.dictionary_encode(replaced)
        table = table.set_column(table.schema.get_field_index(field), field, replaced)
        done.extend(
            Injection(table_name, first_row + int(i), field, kind, _text(o), n)
            for i, o, n in zip(chosen, original, new, strict=True)
        )
    return table, done


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float):
        return repr(value) if value != int(value) else str(int(value))
    return str(value)


def _replacement(
    kind: str,
    table_name: str,
    table: pa.Table,
    field: str,
    rows: IntArray,
    rng: np.random.Generator,
    received_minutes: IntArray | None,
) -> list[str]:
    count = rows.shape[0]
    if kind == "bad_date":
        return _bad_dates(count, rng)
    if kind == "unknown_enum_value":
        return [_UNKNOWN_ENUM[table_name][1]] * count
    if kind == "duplicate_key":
        return [str(v) for v in table.column(field).take((rows - 1).tolist()).to_pylist()]
    if kind == "dangling_reference":
        numbers: list[int] = np.asarray(rng.integers(0, 999_999_999, count)).tolist()
        return [f"R{9_000_000_000 + i:010d}" for i in numbers]
    if kind == "exit_before_receipt":
        assert received_minutes is not None
        before = received_minutes[rows] - rng.integers(1, 30, count) * 1440
        return [str(v) for v in columns.timestamps(before).to_pylist()]
    if kind == "score_disagrees_with_items":
        scores = table.column("score").take(rows.tolist()).to_pylist()
        return [str((s or 0.0) + 7.0) for s in scores]
    if kind == "unknown_code":
        return ["BACK.NOT_A_CODE"] * count
    raise AssertionError(f"no injection for kind {kind}")  # pragma: no cover


def write_injections(path: str, injections: list[Injection]) -> None:
    table = pa.table(
        {
            "table": pa.array([i.table for i in injections], pa.string()),
            "row": pa.array([i.row for i in injections], pa.int64()),
            "field": pa.array([i.field for i in injections], pa.string()),
            "kind": pa.array([i.kind for i in injections], pa.string()),
            "original": pa.array([i.original for i in injections], pa.string()),
            "injected": pa.array([i.injected for i in injections], pa.string()),
        }
    )
    pacsv.write_csv(table, path)
