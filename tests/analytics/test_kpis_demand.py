"""Hand-computed demand and equity KPIs: condition groups, sources, re-presentation, deprivation."""

from __future__ import annotations

from tests.analytics.builders import DatasetBuilder
from tests.analytics.conftest import Compute

MARCH = ("2026-03-01", "2026-03-31")


def test_condition_groups_use_the_code_as_of_the_period_end(compute: Compute) -> None:
    data = (
        DatasetBuilder()
        .service("S1")
        .request("K1", "2026-03-02T09:00", source="gp")
        .code("K1", "BACK.NONSPECIFIC", "2026-03-02T10:00")
        .code("K1", "KNEE.OA", "2026-04-02T10:00")  # recoded after the period end: ignored
        .request("K2", "2026-03-03T09:00", source="self")
        .code("K2", "HIP.OA", "2026-03-03T09:00")
        .code("K2", "SHOULDER.RC", "2026-03-03T09:00")  # same time, later in the file: wins
        .request("K3", "2026-03-04T09:00", source="gp")  # never coded: UNCODED
        .request("K4", "2026-03-05T09:00", source="nhs111")
        .code("K4", "KNEE.PAIN", "2026-03-31T23:00")  # on the last day: counts
        .request("K5", "2026-02-20T09:00")  # received before the period
        .code("K5", "BACK.CHRONIC", "2026-02-20T09:00")
        .request("K6", "2026-03-06T09:00", source="gp")
        .code("K6", "HIP.OA", "2026-04-01T00:00")  # first coded after the period end: UNCODED
    )
    kpis = compute(data, *MARCH, kpis=["requests_by_condition_group", "requests_by_source"])[
        "national"
    ]
    assert kpis["requests_by_condition_group"] == {
        "BACK": 1,
        "KNEE": 1,
        "SHOULDER": 1,
        "UNCODED": 2,
    }
    assert kpis["requests_by_source"] == {
        "self": 1,
        "gp": 3,
        "primary_care_mdt": 0,
        "urgent_primary_care": 0,
        "minor_injury_unit": 0,
        "emergency_department": 0,
        "nhs111": 1,
        "subspecialty": 0,
        "other": 0,
    }


def _person(
    data: DatasetBuilder, person: str, requests: list[tuple[str, str, str | None, str | None, str]]
) -> None:
    """Add (request_id, received date, exit date or None, code or None, service) for one person."""
    for request_id, received, exited, code, service in requests:
        data.request(request_id, f"{received}T09:00", person_id=person, service_id=service)
        if exited:
            data.exit(request_id, f"{exited}T09:00")
        if code:
            data.code(request_id, code, f"{received}T09:30")


def test_re_presentation_looks_back_182_days_for_the_same_condition_group(compute: Compute) -> None:
    data = DatasetBuilder().service("S1").service("S2", "7A2")
    # 2 Mar 2026 - 182 days = 1 Sep 2025 (the window is [1 Sep 2025, 2 Mar 2026)).
    _person(
        data,
        "P1",
        [
            ("A1", "2025-09-01", "2025-09-29", "BACK.CHRONIC", "S1"),
            ("A2", "2026-03-02", None, "BACK.NONSPECIFIC", "S1"),
        ],
    )  # yes
    _person(
        data,
        "P2",
        [
            ("B1", "2025-08-01", "2025-09-01", "BACK.CHRONIC", "S1"),
            ("B2", "2026-03-02", None, "BACK.CHRONIC", "S1"),
        ],
    )  # yes: first day
    _person(
        data,
        "P3",
        [
            ("C1", "2025-08-01", "2025-08-31", "BACK.CHRONIC", "S1"),
            ("C2", "2026-03-02", None, "BACK.CHRONIC", "S1"),
        ],
    )  # no: 183 days
    _person(
        data,
        "P4",
        [
            ("D1", "2026-03-01", "2026-03-05", "KNEE.OA", "S1"),
            ("D2", "2026-03-05", None, "KNEE.OA", "S1"),
        ],
    )  # no: exit on receipt day
    _person(
        data,
        "P5",
        [
            ("E1", "2025-12-01", "2026-01-10", "HIP.OA", "S1"),
            ("E2", "2026-03-10", None, "KNEE.OA", "S1"),
        ],
    )  # no: other group
    _person(
        data,
        "P6",
        [("F1", "2025-12-01", "2026-01-10", None, "S1"), ("F2", "2026-03-10", None, None, "S1")],
    )  # no: UNCODED never matches
    _person(
        data,
        "P7",
        [
            ("G1", "2025-12-01", "2026-01-10", "BACK.CHRONIC", "S2"),
            ("G2", "2026-03-10", None, "KNEE.OA", "S1"),
        ],
    )
    data.code("G2", "BACK.CHRONIC", "2026-04-05T09:00")  # recoded after the end: still KNEE, no
    _person(
        data,
        "P8",
        [
            ("H1", "2025-12-01", "2026-01-10", "BACK.CHRONIC", "S2"),
            ("H2", "2026-03-10", None, "BACK.CHRONIC", "S1"),
        ],
    )  # yes: any service
    # Cohort: A2 B2 C2 D1 D2 E2 F2 G2 H2 (received in March) = 9; re-presented: A2, B2, H2.
    kpis = compute(data, *MARCH, kpis=["re_presentation_6m"])["national"]
    assert kpis["re_presentation_6m"] == {"numerator": 3, "denominator": 9, "value": 33.333333}


def test_access_by_deprivation_compares_request_and_population_shares(compute: Compute) -> None:
    data = DatasetBuilder().service("S1", "7A1").service("S2", "7A1").service("S3", "7A2")
    for quintile in range(1, 6):
        data.add("population", health_board="7A1", deprivation_quintile=quintile, population=1000)
    data.add("population", health_board="7A2", deprivation_quintile=1, population=3000)
    data.add("population", health_board="7A2", deprivation_quintile=5, population=1000)
    data.add(
        "population", health_board="7A9", deprivation_quintile=1, population=1000
    )  # no service
    received = "2026-03-02T09:00"
    for index, (service, quintile) in enumerate(
        [("S1", 1), ("S1", 1), ("S1", 1), ("S1", 2), ("S1", None), ("S2", 5), ("S3", 1), ("S3", 1)]
    ):
        data.request(f"R{index}", received, service_id=service, deprivation_quintile=quintile)
    by_board = compute(data, *MARCH, by="health_board", kpis=["access_by_deprivation"])
    board_1 = by_board["7A1"]["access_by_deprivation"]
    # 7A1: known requests q1 3, q2 1, q5 1 (5); each quintile is 1000 of 5000 people (0.2).
    assert board_1["1"] == {"requests": 3, "population": 1000, "access_ratio": 3.0}  # 0.6 / 0.2
    assert board_1["2"] == {"requests": 1, "population": 1000, "access_ratio": 1.0}
    assert board_1["3"] == {"requests": 0, "population": 1000, "access_ratio": 0.0}
    assert board_1["unknown"] == 1
    board_2 = by_board["7A2"]["access_by_deprivation"]
    # 7A2: both requests in q1 (share 1.0) where 3000 of 4000 live (0.75): 1.333333; q2 has no
    # population, so no ratio.
    assert board_2["1"] == {"requests": 2, "population": 3000, "access_ratio": 1.333333}
    assert board_2["2"] == {"requests": 0, "population": 0, "access_ratio": None}
    # A service is compared with its whole health board: S2's one request is q5 (1.0 / 0.2).
    s2 = compute(data, *MARCH, by="service", kpis=["access_by_deprivation"])["S2"][
        "access_by_deprivation"
    ]
    assert s2["5"] == {"requests": 1, "population": 1000, "access_ratio": 5.0}
    # National: every population row (7A9 too): q1 5000 of 10000; requests q1 5 of 7 known.
    national = compute(data, *MARCH, kpis=["access_by_deprivation"])["national"][
        "access_by_deprivation"
    ]
    assert national["1"] == {"requests": 5, "population": 5000, "access_ratio": 1.428571}
    assert national["5"] == {"requests": 1, "population": 2000, "access_ratio": 0.714286}
    assert national["unknown"] == 1
