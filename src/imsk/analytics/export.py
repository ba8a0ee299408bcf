"""Flat exports of a KPI report: one row per (group, KPI, field), as CSV or an Excel workbook.

The JSON report nests values (a rate has numerator, denominator and value; waiting bands sit under
``bands``). Spreadsheets want one value per row, so nested fields are named by their path joined
with dots: ``bands.0-3``, ``1.access_ratio``. A KPI that is a single number has the field ``value``;
an unavailable KPI has the rows ``status`` and ``reason``.

Every text cell goes through :func:`imsk.core.spreadsheet.safe_cell`: group keys come from the data
set a health board submitted, so a key such as ``=HYPERLINK(...)`` is written as text, never as a
formula. The dashboard's downloads and the ``imsk kpi`` files are the same bytes for the same report.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook  # type: ignore[import-untyped]

from imsk.core.spreadsheet import safe_cell

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


def safe_rows(report: dict[str, Any]) -> Iterator[list[Any]]:
    """The flat rows as lists in :data:`COLUMNS` order, every cell spreadsheet-safe."""
    for row in flatten(report):
        yield [safe_cell(row[column]) for column in COLUMNS]


def write_csv(report: dict[str, Any], stream: IO[str]) -> None:
    """CSV with a header row; a null value is an empty cell."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in safe_rows(report):
        writer.writerow(["" if cell is None else cell for cell in row])


def write_xlsx(report: dict[str, Any], target: Path | IO[bytes]) -> None:
    """An Excel workbook with one sheet ``kpis`` holding the flat rows (numbers stay numbers)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "kpis"
    sheet.append(list(COLUMNS))
    for row in safe_rows(report):
        sheet.append(row)
    workbook.save(target)


def csv_bytes(report: dict[str, Any]) -> bytes:
    """:func:`write_csv` as UTF-8 bytes (for a download)."""
    stream = io.StringIO()
    write_csv(report, stream)
    return stream.getvalue().encode("utf-8")


def xlsx_bytes(report: dict[str, Any]) -> bytes:
    """:func:`write_xlsx` as bytes (for a download)."""
    stream = io.BytesIO()
    write_xlsx(report, stream)
    return stream.getvalue()
