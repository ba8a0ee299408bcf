"""Flat exports of a KPI report: one row per (group, KPI, field), as CSV or an Excel workbook.

The JSON report nests values (a rate has numerator, denominator and value; waiting bands sit under
``bands``). Spreadsheets want one value per row, so nested fields are named by their path joined
with dots: ``bands.0-3``, ``1.access_ratio``. A KPI that is a single number has the field ``value``;
an unavailable KPI has the rows ``status`` and ``reason``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook  # type: ignore[import-untyped]

COLUMNS = ("period_from", "period_to", "by", "group", "kpi", "field", "value")


def flatten(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows of ``report`` in group order, then KPI order, then field order."""
    period, level = report["period"], report["by"]
    rows: list[dict[str, Any]] = []
    for group in report["groups"]:
        for kpi_id, value in group["kpis"].items():
            for field, cell in _fields(value, ""):
                rows.append(
                    {
                        "period_from": period["from"],
                        "period_to": period["to"],
                        "by": level,
                        "group": group["key"],
                        "kpi": kpi_id,
                        "field": field or "value",
                        "value": cell,
                    }
                )
    return rows


def _fields(value: Any, prefix: str) -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _fields(inner, f"{prefix}.{key}" if prefix else str(key))
    else:
        yield prefix, value


def write_csv(report: dict[str, Any], stream: IO[str]) -> None:
    """CSV with a header row; a null value is an empty cell."""
    writer = csv.DictWriter(stream, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in flatten(report):
        writer.writerow({**row, "value": "" if row["value"] is None else row["value"]})


def write_xlsx(report: dict[str, Any], path: Path) -> None:
    """An Excel workbook with one sheet ``kpis`` holding the flat rows (numbers stay numbers)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "kpis"
    sheet.append(list(COLUMNS))
    for row in flatten(report):
        sheet.append([row[column] for column in COLUMNS])
    workbook.save(path)
