"""The shared rules of the KPI report: groups, unknown services, unavailable tables, identifiers."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from imsk.analytics.kpis.inputs import Level, Period
from imsk.analytics.kpis.registry import KPIS
from imsk.analytics.loading import load_dataset
from imsk.analytics.report import compute_kpis
from imsk.core.errors import DatasetError, KpiError
from tests.analytics.builders import DatasetBuilder
from tests.analytics.conftest import Compute, Load

MARCH = ("2026-03-01", "2026-03-31")


def test_every_health_board_and_service_gets_a_group_sorted_by_key(compute: Compute) -> None:
    data = (
        DatasetBuilder()
        .service("S9", "7A3")
        .service("S1", "7A1")
        .service("S2", "7A1")
        .request("R1", "2026-03-02T09:00", service_id="S1")
        .request("R2", "2026-03-02T09:00", service_id="SX")  # unknown service
    )
    by_board = compute(data, *MARCH, by="health_board", kpis=["requests_by_source"])
    assert list(by_board) == ["7A1", "7A3"]
    assert by_board["7A3"]["requests_by_source"]["gp"] == 0  # a board with no rows still appears
    by_service = compute(data, *MARCH, by="service", kpis=["requests_by_source"])
    assert list(by_service) == ["S1", "S2", "S9"]
    assert [g["requests_by_source"]["gp"] for g in by_service.values()] == [1, 0, 0]
    # The request of the unknown service counts at national level only.
    assert (
        compute(data, *MARCH, kpis=["requests_by_source"])["national"]["requests_by_source"]["gp"]
        == 2
    )


def test_kpis_needing_an_absent_table_are_unavailable_naming_it(compute: Compute) -> None:
    data = DatasetBuilder().service("S1").request("R1", "2026-03-02T09:00").table("contacts")
    kpis = compute(data, *MARCH)["national"]
    assert list(kpis) == list(KPIS)  # every KPI, in the catalogue's order
    assert kpis["feedback"] == {"status": "unavailable", "reason": "table feedback is absent"}
    assert kpis["waiting_first_contact"] == {
        "status": "unavailable",
        "reason": "table exits is absent",
    }
    assert kpis["cost_per_case"] == {
        "status": "unavailable",
        "reason": "tables costs, exits are absent",
    }
    # Present tables give numbers, zeros included (contacts is present but empty).
    assert kpis["first_contacts_attended"] == 0
    assert kpis["new_patient_dna_rate"] == {"numerator": 0, "denominator": 0, "value": None}
    assert kpis["untriaged_overdue"] == 1  # needs only requests: no exit table means no exits


def test_identifiers_keep_their_leading_zeros(compute: Compute) -> None:
    data = (
        DatasetBuilder()
        .service("0012", "7A1")
        .service("12", "7A1")
        .request("R1", "2026-03-02T09:00", service_id="0012")
    )
    by_service = compute(data, *MARCH, by="service", kpis=["requests_by_source"])
    assert list(by_service) == ["0012", "12"]
    assert by_service["0012"]["requests_by_source"]["gp"] == 1
    assert by_service["12"]["requests_by_source"]["gp"] == 0


def test_report_has_the_catalogue_shape(tmp_path: Path, load: Load) -> None:
    folder = DatasetBuilder().service("S1").request("R1", "2026-03-02T09:00").write(tmp_path, "csv")
    report = compute_kpis(
        load(folder),
        Period(date(2026, 3, 1), date(2026, 3, 31)),
        Level.NATIONAL,
        kpi_ids=["triage_urgent_1wd"],
    )
    assert report == {
        "period": {"from": "2026-03-01", "to": "2026-03-31"},
        "by": "national",
        "groups": [
            {
                "key": "national",
                "kpis": {"triage_urgent_1wd": {"numerator": 0, "denominator": 0, "value": None}},
            }
        ],
    }


def test_a_period_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(KpiError, match="before it starts"):
        Period(date(2026, 3, 31), date(2026, 3, 1))


def test_a_folder_without_requests_is_refused(tmp_path: Path) -> None:
    (tmp_path / "services.csv").write_text(
        "service_id,name,health_board,nation\n", encoding="utf-8"
    )
    with pytest.raises(DatasetError, match="requests"):
        load_dataset(tmp_path)


def test_an_unreadable_timestamp_names_its_table(tmp_path: Path, load: Load) -> None:
    folder = DatasetBuilder().service("S1").request("R1", "not a date").write(tmp_path, "csv")
    with pytest.raises(DatasetError, match="table requests"):
        load(folder)


def test_a_period_computed_after_another_on_the_same_load_equals_it_computed_alone(
    tmp_path: Path, load: Load
) -> None:
    """The per-request facts are shared by every period of a loaded data set: nothing that depends
    on the period (the code as of its end, its contacts, its FFT responses) may leak into them."""
    data = (
        DatasetBuilder()
        .service("S1")
        .request("A", "2026-02-10T09:00", priority="urgent", triaged_at="2026-02-10T12:00")
        .code("A", "KNEE.OA", "2026-02-10T12:00")
        .code("A", "BACK.CHRONIC", "2026-03-15T09:00")  # recoded in March
        .contact("CA1", "A", "2026-02-20T10:00", "did_not_attend")
        .contact("CA2", "A", "2026-03-05T10:00", "attended")
        .exit("A", "2026-03-20T10:00")
        .measure("A", "fft", "discharge", "2026-02-25T10:00", score=1)
        .measure("A", "fft", "discharge", "2026-03-21T10:00", score=4)
        .request("B", "2026-03-02T09:00", person_id="P-A")
        .code("B", "BACK.NONSPECIFIC", "2026-03-02T10:00")
        .contact("CB1", "B", "2026-03-09T10:00", "patient_cancelled")
    )
    folder = data.write(tmp_path / "data", "csv")
    february = Period(date(2026, 2, 1), date(2026, 2, 28))
    march = Period(date(2026, 3, 1), date(2026, 3, 31))
    shared = load(folder)
    first = compute_kpis(shared, february, Level.NATIONAL)
    after = compute_kpis(shared, march, Level.NATIONAL)
    alone = compute_kpis(load(folder), march, Level.NATIONAL)
    assert after == alone
    assert first != after  # the periods differ, so a leak would show
    march_kpis = alone["groups"][0]["kpis"]
    assert march_kpis["requests_by_condition_group"] == {"BACK": 1}
    assert march_kpis["fft_positive"] == {"numerator": 0, "denominator": 1, "value": 0.0}
    assert march_kpis["new_patient_cancellation_rate"]["denominator"] == 2
