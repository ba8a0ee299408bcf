"""Validating an MSK service data set folder, streaming, table by table.

Tables are read in :func:`imsk.core.dataset.tables` order (parents first). Each batch is normalised
and checked value by value and row by row (:mod:`.checks`, :mod:`.measures`); only the key,
reference and event-time columns are kept, as compact Arrow arrays, for the checks across rows and
tables (:mod:`.crosscheck`) that run when the table is finished. No Python object is built per row
except the (capped) findings, so a data set of ten million requests validates in bounded memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import pyarrow as pa

from imsk.core.codes import ActivityCode, CodeList, ConditionCode
from imsk.core.dataset import Finding, FindingCode, Table, tables
from imsk.core.dataset.report import TableRead, ValidationReport
from imsk.dataio.dataset import crosscheck
from imsk.dataio.dataset.arrow import Arr, pa_any, pc
from imsk.dataio.dataset.checks import check_column, check_exits_rules, check_requests_rules
from imsk.dataio.dataset.files import TableFile, locate_tables, open_table
from imsk.dataio.dataset.measures import MeasureChecker
from imsk.dataio.dataset.normalise import ARROW_TYPES, normalise, type_problem
from imsk.dataio.dataset.sink import FindingSink
from imsk.dataio.reference import load_activity_codes, load_condition_codes

DEFAULT_MAX_FINDINGS: Final = 100

#: The event time of each table checked against its request's receipt, and the finding it earns.
EVENT_TIMES: Final = {
    "contacts": ("scheduled_at", FindingCode.CONTACT_BEFORE_RECEIPT),
    "condition_codes": ("recorded_at", FindingCode.EVENT_BEFORE_RECEIPT),
    "activities": ("recorded_at", FindingCode.EVENT_BEFORE_RECEIPT),
    "onward_referrals": ("referred_at", FindingCode.EVENT_BEFORE_RECEIPT),
    "exits": ("exited_at", FindingCode.EXIT_BEFORE_RECEIPT),
    "measures": ("completed_at", FindingCode.EVENT_BEFORE_RECEIPT),
}
_FIRST_ATTENDED: Final = "first_attended"


def validate_dataset(
    path: Path | str,
    *,
    strict: bool = False,
    max_findings: int = DEFAULT_MAX_FINDINGS,
    condition_codes: CodeList[ConditionCode] | None = None,
    activity_codes: CodeList[ActivityCode] | None = None,
) -> ValidationReport:
    """Validate the data set in folder ``path``.

    Findings are kept up to ``max_findings`` per (table, code), counted exactly. ``strict`` raises
    :class:`~imsk.core.errors.InvalidDatasetError` at the first error finding. The code lists
    default to those of :mod:`imsk.dataio.reference` (bundled version 1 unless configured). A folder
    or file that cannot be read raises :class:`~imsk.core.errors.DatasetError`.
    """
    if max_findings < 0:
        raise ValueError("max_findings must be 0 or more")
    run = _Validation(
        FindingSink(max_findings=max_findings, strict=strict),
        condition_codes or load_condition_codes(),
        activity_codes or load_activity_codes(),
    )
    return run.validate(Path(path))


@dataclass
class _Kept:
    """The columns of one table kept for the checks across rows and tables."""

    chunks: dict[str, list[Arr]] = field(default_factory=dict)

    def add(self, name: str, values: Arr) -> None:
        self.chunks.setdefault(name, []).append(values)

    def column(self, name: str, arrow_type: pa.DataType) -> Arr:
        return crosscheck.combined(self.chunks.get(name, []), arrow_type)


class _Validation:
    def __init__(
        self,
        sink: FindingSink,
        condition_codes: CodeList[ConditionCode],
        activity_codes: CodeList[ActivityCode],
    ) -> None:
        self.sink = sink
        self.code_sets = {
            "condition": _code_set("condition", condition_codes),
            "activity": _code_set("activity", activity_codes),
        }
        self.measures = MeasureChecker()
        self.parents: dict[tuple[str, str], Arr] = {}
        self.received_at: Arr | None = None
        self.contact_requests: Arr | None = None
        self.read: list[TableRead] = []
        self.absent: list[str] = []
        self.unchecked: list[str] = []

    def validate(self, folder: Path) -> ValidationReport:
        located, file_findings = locate_tables(folder)
        for finding in file_findings:
            self.sink.add(finding)
        duplicated = {f.table for f in file_findings if f.code is FindingCode.DUPLICATE_FILE}
        for table in tables():
            file = located.get(table.name)
            if file is not None:
                self._read_table(table, file)
                continue
            if table.name not in duplicated:
                self.absent.append(table.name)
            if table.required and table.name not in duplicated:
                message = f"required table {table.name} is absent (no {table.name}.csv or .parquet)"
                self.sink.add(
                    Finding.of(FindingCode.MISSING_TABLE, table.name, None, None, message)
                )
        order = {table.name: n for n, table in enumerate(tables())}
        findings = sorted(
            self.sink.kept,
            key=lambda f: (order.get(f.table, len(order)), f.row or 0, f.code, f.field or ""),
        )
        return ValidationReport(
            source=str(folder),
            findings=tuple(findings),
            counts=dict(self.sink.counts),
            tables_read=tuple(self.read),
            tables_absent=tuple(self.absent),
            max_findings=self.sink.max_findings,
            unchecked=tuple(self.unchecked),
        )

    def _read_table(self, table: Table, file: TableFile) -> None:
        opened = open_table(file)
        usable = self._check_header(table, file, opened.header, opened.types)
        kept = _Kept()
        rows = 0
        for batch in opened.batches:
            self._check_batch(table, batch, usable, rows + 1, kept)
            rows += batch.num_rows
        self.read.append(TableRead(table.name, file.path.name, file.form, rows))
        self._check_across(table, usable, kept)

    def _check_header(
        self,
        table: Table,
        file: TableFile,
        header: tuple[str, ...],
        types: dict[str, pa.DataType],
    ) -> set[str]:
        usable: set[str] = set()
        for column in table.columns:
            if column.name not in header:
                code = (
                    FindingCode.MISSING_COLUMN
                    if column.required
                    else FindingCode.MISSING_OPTIONAL_COLUMN
                )
                detail = "it is required" if column.required else "read as empty"
                message = f"{file.path.name} has no column {column.name} ({detail})"
                self.sink.add(Finding.of(code, table.name, None, column.name, message))
                continue
            problem = type_problem(column, types[column.name])
            if problem is not None:
                self.sink.add(
                    Finding.of(FindingCode.BAD_COLUMN_TYPE, table.name, None, column.name, problem)
                )
                continue
            usable.add(column.name)
        for name in header:
            if name not in table.column_names:
                message = f"{file.path.name} has a column {name!r} that table {table.name} lacks"
                self.sink.add(
                    Finding.of(FindingCode.UNKNOWN_COLUMN, table.name, None, name, message)
                )
        return usable

    def _check_batch(
        self, table: Table, batch: pa.RecordBatch, usable: set[str], first_row: int, kept: _Kept
    ) -> None:
        raw: dict[str, Arr] = {}
        values: dict[str, Arr] = {}
        for column in table.columns:
            if column.name not in usable:
                values[column.name] = pa_any.nulls(batch.num_rows, ARROW_TYPES[column.type])
                continue
            data = normalise(column, batch.column(column.name))
            code_set = self.code_sets.get(column.code_list or "")
            check_column(self.sink, table.name, column, data, first_row, code_set)
            raw[column.name], values[column.name] = data.raw, data.values
        if table.name == "requests":
            check_requests_rules(self.sink, raw, values, first_row)
        elif table.name == "exits":
            check_exits_rules(self.sink, raw, values, first_row)
        elif table.name == "measures" and {"items", "instrument", "score"} <= usable:
            self.measures.check(self.sink, raw, values, first_row)
        elif table.name == "contacts" and {"kind", "status"} <= usable:
            first = pc.and_(pc.equal(raw["kind"], "first"), pc.equal(raw["status"], "attended"))
            kept.add(_FIRST_ATTENDED, first)
        for name in _kept_columns(table):
            kept.add(name, values[name])

    def _check_across(self, table: Table, usable: set[str], kept: _Kept) -> None:
        columns = {
            c.name: kept.column(c.name, ARROW_TYPES[c.type])
            for c in table.columns
            if c.name in _kept_columns(table)
        }
        if table.key and set(table.key) <= usable:
            crosscheck.check_duplicate_keys(self.sink, table, columns)
        request_index = None
        for column in table.columns:
            ref = column.references
            if ref is None or column.name not in usable:
                continue
            parent = self.parents.get((ref.table, ref.column))
            if parent is None:
                self.unchecked.append(
                    f"{table.name}.{column.name} -> {ref.table}: table {ref.table} was not read"
                )
                continue
            index = crosscheck.check_reference(
                self.sink,
                table.name,
                column.name,
                columns[column.name],
                parent,
                f"{ref.table}.{ref.column}",
            )
            if ref.table == "requests":
                request_index = index
            elif ref.table == "contacts" and self.contact_requests is not None:
                crosscheck.check_contact_request(
                    self.sink, columns["request_id"], index, self.contact_requests
                )
        self._check_event_time(table, usable, columns, request_index)
        if table.name == "contacts" and _FIRST_ATTENDED in kept.chunks:
            first = kept.column(_FIRST_ATTENDED, pa.bool_())
            crosscheck.check_multiple_first_attended(self.sink, columns["request_id"], first)
        self._remember_parents(table, usable, columns)

    def _check_event_time(
        self, table: Table, usable: set[str], columns: dict[str, Arr], index: Arr | None
    ) -> None:
        event = EVENT_TIMES.get(table.name)
        if event is None or index is None or self.received_at is None or event[0] not in usable:
            return
        name, code = event
        crosscheck.check_before_receipt(
            self.sink, code, table.name, name, columns[name], index, self.received_at
        )

    def _remember_parents(self, table: Table, usable: set[str], columns: dict[str, Arr]) -> None:
        if table.name == "services" and "service_id" in usable:
            self.parents["services", "service_id"] = columns["service_id"]
        elif table.name == "requests" and "request_id" in usable:
            self.parents["requests", "request_id"] = columns["request_id"]
            self.received_at = columns["received_at"]
        elif table.name == "contacts" and "contact_id" in usable:
            self.parents["contacts", "contact_id"] = columns["contact_id"]
            self.contact_requests = columns["request_id"]


def _kept_columns(table: Table) -> set[str]:
    names = set(table.key)
    names.update(c.name for c in table.columns if c.references is not None)
    if table.name in EVENT_TIMES:
        names.add(EVENT_TIMES[table.name][0])
    if table.name == "requests":
        names.add("received_at")
    return names


def _code_set(
    name: str, codes: CodeList[ConditionCode] | CodeList[ActivityCode]
) -> tuple[str, frozenset[str], Arr]:
    entries = frozenset(entry.code for entry in codes)
    described = f"the {name} code list version {codes.version}"
    return described, entries, pa.array(sorted(entries), pa.string())


def read_normalised(file: Path, table: Table) -> Iterator[pa.RecordBatch]:
    """The batches of one table file in the canonical schema (every column; absent columns and
    values that are not of their type are null). Validate first: this reader reports nothing."""
    form = file.suffix.lstrip(".")
    opened = open_table(TableFile(table.name, file, form))
    for batch in opened.batches:
        arrays = []
        for column in table.columns:
            usable = (
                column.name in opened.types
                and type_problem(column, opened.types[column.name]) is None
            )
            if usable:
                arrays.append(normalise(column, batch.column(column.name)).values)
            else:
                arrays.append(pa_any.nulls(batch.num_rows, ARROW_TYPES[column.type]))
        yield pa.RecordBatch.from_arrays(arrays, names=list(table.column_names))
