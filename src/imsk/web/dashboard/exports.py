"""CSV and Excel files of the figures a user is shown (one row per group, KPI and field).

The rows are those of :func:`imsk.analytics.export.flatten`, written here because the files go to
people who open them in a spreadsheet: a text cell that starts like a formula (``=``, ``+``, ``-``,
``@``) is prefixed with an apostrophe (CSV injection, OWASP), and openpyxl would otherwise store
such a string as a formula. Group keys come from the uploaded data set, so they are untrusted.
"""

from __future__ import annotations

import csv
import io
from typing import Any, Final

from openpyxl import Workbook  # type: ignore[import-untyped]

from imsk.analytics.export import COLUMNS, flatten

_FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")
CONTENT_TYPES: Final = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return f"'{value}"
    return value


def _rows(report: dict[str, Any]) -> list[list[Any]]:
    return [[safe_cell(row[column]) for column in COLUMNS] for row in flatten(report)]


def csv_bytes(report: dict[str, Any]) -> bytes:
    """The report as CSV (UTF-8, header row; a null value is an empty cell)."""
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in _rows(report):
        writer.writerow(["" if cell is None else cell for cell in row])
    return stream.getvalue().encode("utf-8")


def xlsx_bytes(report: dict[str, Any]) -> bytes:
    """The report as an Excel workbook with one sheet ``kpis`` (numbers stay numbers)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "kpis"
    sheet.append(list(COLUMNS))
    for row in _rows(report):
        sheet.append(row)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()
