"""``imsk kpi``: validation first, then the KPI report as JSON, CSV or an Excel workbook."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]

from imsk.cli.main import main
from tests.analytics.builders import DatasetBuilder
from tests.analytics.conftest import TEST_DATABASE_URL

PERIOD = ["--from", "2026-12-01", "--to", "2026-12-31"]


def _valid(folder: Path, form: str = "csv") -> Path:
    data = DatasetBuilder().service("S1", "7A1").service("S2", "7A2")
    for index in range(6):
        # Thu 24 Dec 2026 -> WD1 = Tue 29 Dec; the first five are triaged in time, the last late.
        triaged = "2026-12-29T09:00" if index < 5 else "2026-12-30T09:00"
        data.request(
            f"R{index}",
            "2026-12-24T10:00",
            category="rehabilitation_intervention",
            priority="urgent",
            triaged_at=triaged,
            pathway="assess_and_support",
        )
    data.request(
        "R9",
        "2026-12-24T10:00",
        service_id="S2",
        category="rehabilitation_intervention",
        priority="urgent",
        triaged_at="2026-12-29T09:00",
        pathway="assess_and_support",
    )
    return data.write(folder, form)


@pytest.mark.parametrize("form", ["csv", "parquet"])
def test_kpi_prints_the_catalogue_json(
    tmp_path: Path, form: str, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _valid(tmp_path / "data", form)
    status = main(["kpi", str(folder), *PERIOD, "--by", "service"])
    out, err = capsys.readouterr()
    assert status == 0
    report = json.loads(out)
    assert report["period"] == {"from": "2026-12-01", "to": "2026-12-31"}
    assert report["by"] == "service"
    assert [g["key"] for g in report["groups"]] == ["S1", "S2"]
    s1 = report["groups"][0]["kpis"]
    assert s1["triage_urgent_1wd"] == {"numerator": 5, "denominator": 6, "value": 83.333333}
    assert s1["feedback"] == {"status": "unavailable", "reason": "table feedback is absent"}
    assert "computing KPI 1/" in err  # progress goes to stderr, never into the JSON


def test_kpi_stops_on_error_findings_before_computing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _valid(tmp_path / "data")
    with (folder / "requests.csv").open("a", encoding="utf-8") as handle:
        handle.write("RX,P9,NOWHERE,2026-12-24T10:00,gp,,,,,,,,,,\n")
    status = main(["kpi", str(folder), *PERIOD])
    out, err = capsys.readouterr()
    assert status == 1
    assert out == ""
    assert "dangling_reference" in err
    assert "stopped" in err


def test_kpi_suppress_hides_small_numbers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _valid(tmp_path / "data")
    main(["kpi", str(folder), *PERIOD, "--by", "service", "--suppress"])
    groups = json.loads(capsys.readouterr().out)["groups"]
    # S1: 5 of 6 (numerator and denominator shown); S2: 1 of 1, suppressed.
    assert groups[0]["kpis"]["triage_urgent_1wd"]["numerator"] == 5
    assert groups[1]["kpis"]["triage_urgent_1wd"] == {
        "numerator": "*",
        "denominator": "*",
        "value": "*",
    }


def test_kpi_csv_has_one_row_per_group_kpi_and_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _valid(tmp_path / "data")
    main(["kpi", str(folder), *PERIOD, "--format", "csv", "--kpi", "triage_urgent_1wd"])
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["group"], r["kpi"], r["field"], r["value"]) for r in rows] == [
        ("national", "triage_urgent_1wd", "numerator", "6"),
        ("national", "triage_urgent_1wd", "denominator", "7"),
        ("national", "triage_urgent_1wd", "value", "85.714286"),
    ]


def test_kpi_xlsx_writes_a_workbook(tmp_path: Path) -> None:
    folder = _valid(tmp_path / "data")
    target = tmp_path / "kpis.xlsx"
    status = main(
        [
            "kpi",
            str(folder),
            *PERIOD,
            "--format",
            "xlsx",
            "--output",
            str(target),
            "--kpi",
            "waiting_first_contact",
            "--kpi",
            "untriaged_overdue",
        ]
    )
    assert status == 0
    sheet = load_workbook(target)["kpis"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("period_from", "period_to", "by", "group", "kpi", "field", "value")
    assert (
        "2026-12-01",
        "2026-12-31",
        "national",
        "national",
        "untriaged_overdue",
        "value",
        0,
    ) in rows


def test_kpi_xlsx_without_output_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _valid(tmp_path / "data")
    assert main(["kpi", str(folder), *PERIOD, "--format", "xlsx"]) == 2
    assert "--output" in capsys.readouterr().err


def test_kpi_refuses_a_period_that_ends_before_it_starts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _valid(tmp_path / "data")
    assert main(["kpi", str(folder), "--from", "2026-12-31", "--to", "2026-12-01"]) == 2
    assert "before it starts" in capsys.readouterr().err


def _report(folder: Path, capsys: pytest.CaptureFixture[str], *options: str) -> dict[str, object]:
    assert main(["kpi", str(folder), *PERIOD, "--by", "health_board", *options]) == 0
    report: dict[str, object] = json.loads(capsys.readouterr().out)
    return report


@pytest.mark.postgres
def test_kpi_on_postgres_prints_the_same_report_as_duckdb(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _valid(tmp_path / "data")
    on_duckdb = _report(folder, capsys)
    on_postgres = _report(
        folder, capsys, "--engine", "postgres", "--database-url", TEST_DATABASE_URL
    )
    assert on_postgres == on_duckdb
    assert on_postgres["groups"][0]["kpis"]["triage_urgent_1wd"]["numerator"] == 5  # type: ignore[index]


@pytest.mark.spark
def test_kpi_on_spark_prints_the_same_report_as_duckdb(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("pyspark", reason="PySpark is not installed")
    folder = _valid(tmp_path / "data", "parquet")
    assert _report(folder, capsys, "--engine", "spark") == _report(folder, capsys)


def test_kpi_names_an_unreachable_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _valid(tmp_path / "data")
    unreachable = "postgresql://postgres@127.0.0.1:1/imsk"  # nothing listens on port 1
    status = main(
        ["kpi", str(folder), *PERIOD, "--engine", "postgres", "--database-url", unreachable]
    )
    assert status == 2
    assert "cannot connect to PostgreSQL" in capsys.readouterr().err
