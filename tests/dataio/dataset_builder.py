"""A builder of small data set folders for validator tests: a valid base, then one change per test."""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

Row = dict[str, str | None]

BASE: dict[str, tuple[tuple[str, ...], list[tuple[str, ...]]]] = {
    "services": (
        ("service_id", "name", "health_board", "nation"),
        [("S1", "North MSK", "7A1", "wales"), ("S2", "South MSK", "7A6", "wales")],
    ),
    "requests": (
        (
            "request_id", "person_id", "service_id", "received_at", "source", "referrer_practice",
            "category", "age", "sex", "lsoa", "deprivation_quintile", "priority", "triaged_at",
            "pathway", "band",
        ),
        [
            ("R1", "P1", "S1", "2025-04-01T09:00", "gp", "W91042", "management_opinion", "54",
             "female", "W01000123", "2", "routine", "2025-04-02T10:00", "assess_and_support", "6"),
            ("R2", "P2", "S2", "2025-04-02T10:30:15", "self", "", "", "37", "male", "W01000245",
             "4", "urgent", "2025-04-02T12:00", "supported_high_risk", "7"),
            ("R3", "P3", "S1", "2025-04-03T11:00", "gp", "W91018", "rehabilitation_intervention",
             "68", "other", "", "", "", "", "", ""),
        ],
    ),
    "contacts": (
        ("contact_id", "request_id", "kind", "scheduled_at", "status", "mode", "band"),
        [
            ("C1", "R1", "first", "2025-04-10T10:00", "attended", "in_person", "6"),
            ("C2", "R1", "follow_up", "2025-04-24T10:00", "booked", "video", "6"),
            ("C3", "R2", "first", "2025-04-05T09:00", "did_not_attend", "telephone", "7"),
        ],
    ),
    "condition_codes": (
        ("request_id", "code", "recorded_at"),
        [("R1", "KNEE.OA", "2025-04-02T10:00"), ("R2", "BACK.RADICULAR", "2025-04-02T12:00")],
    ),
    "activities": (
        ("request_id", "contact_id", "code", "recorded_at"),
        [("R1", "C1", "INV.XRAY", "2025-04-10T10:30"), ("R2", "", "SUP.WORK", "2025-04-06T09:00")],
    ),
    "onward_referrals": (
        ("referral_id", "request_id", "referred_at", "subspecialty", "route", "converted"),
        [("O1", "R2", "2025-04-06T09:00", "spinal", "direct", "true")],
    ),
    "exits": (
        ("request_id", "exited_at", "code", "window_ends", "outcome"),
        [
            ("R1", "2025-04-24T10:30", "see_on_symptom", "2025-10-24", "resolved"),
            ("R2", "2025-04-06T09:30", "transferred", "", "other"),
        ],
    ),
    "measures": (
        ("request_id", "instrument", "timepoint", "completed_at", "items", "score"),
        [
            ("R1", "msk_hq", "baseline", "2025-04-10T09:50", "2 2 3 2 3 2 2 3 1 2 2 2 2 2", "30"),
            ("R1", "eq5d5l", "baseline", "2025-04-10T09:52", "21321", "0.826"),
            ("R1", "fft", "discharge", "2025-04-24T10:40", "1", ""),
        ],
    ),
    "feedback": (
        ("service_id", "received_at", "kind", "nature"),
        [("S1", "2025-05-02T12:00", "compliment", "staff")],
    ),
    "resource_hits": (
        ("service_id", "date", "resource", "hits"),
        [("S1", "2025-04-01", "back-exercises", "132")],
    ),
    "costs": (
        ("service_id", "month", "staffing", "consumables"),
        [("S1", "2025-04", "182500.00", "6200.5"), ("S2", "2025-04", "161000", "")],
    ),
    "population": (
        ("health_board", "deprivation_quintile", "population"),
        [("7A1", "1", "98000"), ("7A1", "2", "132000"), ("7A6", "1", "121000")],
    ),
}  # fmt: skip


class DatasetBuilder:
    """A valid data set in memory (every cell text, ``None`` = empty) that tests change and write."""

    def __init__(self, tables: tuple[str, ...] | None = None) -> None:
        names = tables if tables is not None else tuple(BASE)
        self.columns: dict[str, list[str]] = {t: list(BASE[t][0]) for t in names}
        self.rows: dict[str, list[list[str | None]]] = {
            t: [[cell or None for cell in row] for row in BASE[t][1]] for t in names
        }

    def set(self, table: str, row: int, column: str, value: str | None) -> DatasetBuilder:
        """Set data row ``row`` (1 = first after the header) of ``column``."""
        self.rows[table][row - 1][self.columns[table].index(column)] = value
        return self

    def add(self, table: str, **cells: str | None) -> int:
        """Append a row (unnamed columns empty); returns its data row number."""
        self.rows[table].append([cells.get(name) for name in self.columns[table]])
        return len(self.rows[table])

    def copy_row(self, table: str, row: int, **changes: str | None) -> int:
        """Append a copy of data row ``row`` with ``changes``; returns the new row number."""
        values = dict(zip(self.columns[table], self.rows[table][row - 1], strict=True))
        values.update(changes)
        return self.add(table, **values)

    def drop_column(self, table: str, column: str) -> DatasetBuilder:
        index = self.columns[table].index(column)
        del self.columns[table][index]
        for row in self.rows[table]:
            del row[index]
        return self

    def add_column(self, table: str, column: str, value: str | None = None) -> DatasetBuilder:
        self.columns[table].append(column)
        for row in self.rows[table]:
            row.append(value)
        return self

    def drop_table(self, table: str) -> DatasetBuilder:
        del self.columns[table]
        del self.rows[table]
        return self

    def write_csv(self, folder: Path, *, line_end: str = "\n", bom: bool = False) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        for table, columns in self.columns.items():
            with (folder / f"{table}.csv").open("w", encoding="utf-8", newline="") as stream:
                if bom:
                    stream.write("\ufeff")
                # Python's csv quotes a bare CR only under QUOTE_ALL (then "" is read as null).
                has_cr = any("\r" in (c or "") for row in self.rows[table] for c in row)
                quoting = csv.QUOTE_ALL if has_cr else csv.QUOTE_MINIMAL
                writer = csv.writer(stream, lineterminator=line_end, quoting=quoting)
                writer.writerow(columns)
                writer.writerows(
                    [["" if c is None else c for c in row] for row in self.rows[table]]
                )
        return folder

    def write_parquet(self, folder: Path, types: dict[str, pa.DataType] | None = None) -> Path:
        """Write Parquet files with text columns, or ``types`` (``table.column`` -> type) cast."""
        folder.mkdir(parents=True, exist_ok=True)
        for table, columns in self.columns.items():
            arrays = []
            for n, name in enumerate(columns):
                text = pa.array([row[n] for row in self.rows[table]], pa.string())
                wanted = (types or {}).get(f"{table}.{name}")
                arrays.append(text if wanted is None else _cast_text(text, wanted))
            pq.write_table(pa.table(arrays, names=columns), folder / f"{table}.parquet")
        return folder


def _cast_text(text: pa.Array, wanted: pa.DataType) -> pa.Array:
    if pa.types.is_timestamp(wanted):
        values = [None if v is None else v.replace("T", " ") for v in text.to_pylist()]
        return pa.array(values, pa.string()).cast(wanted)
    if pa.types.is_boolean(wanted):
        return pa.array([None if v is None else v == "true" for v in text.to_pylist()], wanted)
    return text.cast(wanted)
