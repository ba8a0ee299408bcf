"""A tiny data set builder for KPI tests: named rows in, a CSV or Parquet folder out.

Tests add only the rows that matter, with readable defaults; :meth:`DatasetBuilder.write` writes every
table that has rows (or was declared with :meth:`DatasetBuilder.table`), as CSV text cells or as
Parquet with native types (timestamps, dates, integers, booleans), so the same test checks both forms.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from imsk.analytics.schema import REQUIRED_TABLES, TABLES

_ARROW = {
    "string": pa.string(),
    "int64": pa.int64(),
    "float64": pa.float64(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
    "timestamp": pa.timestamp("s"),
}


def _native(value: Any, kind: str) -> Any:
    if value is None or value == "":
        return None
    if isinstance(value, bool | int | float) and kind != "string":
        return value
    if kind == "timestamp":
        return datetime.fromisoformat(value)
    if kind == "date":
        return date.fromisoformat(value)
    if kind == "int64":
        return int(value)
    if kind == "float64":
        return float(value)
    if kind == "boolean":
        return {"true": True, "false": False}[value]
    return str(value)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    return f'"{text}"' if any(ch in text for ch in ',"\n') else text


class DatasetBuilder:
    """Rows per table; every ``add_*`` method returns the builder so calls can be chained."""

    def __init__(self) -> None:
        self.rows: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
        self.declared: set[str] = set(REQUIRED_TABLES)

    def table(self, *names: str) -> DatasetBuilder:
        """Declare tables present even when they have no rows."""
        self.declared.update(names)
        return self

    def add(self, table: str, **values: Any) -> DatasetBuilder:
        unknown = set(values) - set(TABLES[table])
        assert not unknown, f"{table} has no column(s) {unknown}"
        self.rows[table].append(dict.fromkeys(TABLES[table]) | values)
        self.declared.add(table)
        return self

    def service(
        self, service_id: str, health_board: str = "7A1", nation: str = "wales"
    ) -> DatasetBuilder:
        return self.add(
            "services",
            service_id=service_id,
            name=f"Service {service_id}",
            health_board=health_board,
            nation=nation,
        )

    def request(self, request_id: str, received_at: str, **values: Any) -> DatasetBuilder:
        values.setdefault("person_id", f"P-{request_id}")
        values.setdefault("service_id", "S1")
        values.setdefault("source", "gp")
        return self.add("requests", request_id=request_id, received_at=received_at, **values)

    def code(self, request_id: str, code: str, recorded_at: str) -> DatasetBuilder:
        return self.add(
            "condition_codes", request_id=request_id, code=code, recorded_at=recorded_at
        )

    def contact(
        self, contact_id: str, request_id: str, scheduled_at: str, status: str, kind: str = "first"
    ) -> DatasetBuilder:
        return self.add(
            "contacts",
            contact_id=contact_id,
            request_id=request_id,
            kind=kind,
            scheduled_at=scheduled_at,
            status=status,
            mode="in_person",
            band=6,
        )

    def exit(self, request_id: str, exited_at: str, code: str = "discharged") -> DatasetBuilder:
        return self.add(
            "exits", request_id=request_id, exited_at=exited_at, code=code, outcome="resolved"
        )

    def measure(
        self,
        request_id: str,
        instrument: str,
        timepoint: str,
        completed_at: str,
        items: str | None = None,
        score: float | None = None,
    ) -> DatasetBuilder:
        return self.add(
            "measures",
            request_id=request_id,
            instrument=instrument,
            timepoint=timepoint,
            completed_at=completed_at,
            items=items,
            score=score,
        )

    def write(self, folder: Path, form: str) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        for name in sorted(self.declared):
            columns = TABLES[name]
            rows = self.rows[name]
            if form == "csv":
                lines = [",".join(columns)]
                lines += [",".join(_cell(row[c]) for c in columns) for row in rows]
                (folder / f"{name}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
            else:
                arrays = {
                    c: pa.array([_native(row[c], kind) for row in rows], _ARROW[kind])
                    for c, kind in columns.items()
                }
                pq.write_table(pa.table(arrays), folder / f"{name}.parquet")
        return folder
