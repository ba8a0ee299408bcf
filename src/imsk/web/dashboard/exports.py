"""CSV and Excel files of the figures a user is shown (one row per group, KPI and field).

The bytes are those of :mod:`imsk.analytics.export` (the ``imsk kpi`` files), whose cells are
spreadsheet-safe (:mod:`imsk.core.spreadsheet`): group keys come from an uploaded data set, so they
are untrusted. Only the download's content type is the dashboard's own.
"""

from __future__ import annotations

from typing import Final

from imsk.analytics.export import csv_bytes, xlsx_bytes

CONTENT_TYPES: Final = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

__all__ = ["CONTENT_TYPES", "csv_bytes", "xlsx_bytes"]
