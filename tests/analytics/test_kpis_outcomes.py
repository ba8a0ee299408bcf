"""Hand-computed outcome KPIs: exits, discharge at first contact, onward referral, cost, MSK-HQ."""

from __future__ import annotations

from tests.analytics.builders import DatasetBuilder
from tests.analytics.conftest import Compute

MARCH = ("2026-03-01", "2026-03-31")


def _exits() -> DatasetBuilder:
    data = DatasetBuilder().service("S1").service("S2", "7A2")
    for request_id in ("X1", "X2", "X3", "X4", "X5", "X6"):
        data.request(request_id, "2026-02-02T09:00")
    return (
        data.exit("X1", "2026-03-10T17:00", "discharged")
        .contact("x1", "X1", "2026-03-10T09:00", "attended")  # exit on the first contact day
        .exit("X2", "2026-03-12T09:00", "see_on_symptom")
        .contact("x2", "X2", "2026-03-05T09:00", "attended")
        .exit("X3", "2026-03-12T09:00", "patient_initiated_follow_up")
        .contact("x3", "X3", "2026-03-05T09:00", "attended", kind="follow_up")  # no first contact
        .exit("X4", "2026-03-12T09:00", "discharged")
        .contact("x4", "X4", "2026-03-15T09:00", "attended")  # first contact after the exit
        .exit("X5", "2026-04-02T09:00", "other")  # after the period
        .exit("X6", "2026-03-20T09:00", "transferred")
        .contact("x6a", "X6", "2026-03-20T09:00", "attended")
        .contact("x6b", "X6", "2026-03-01T09:00", "attended")  # the earliest first contact
    )


def test_discharged_at_first_contact_compares_exit_and_first_contact_dates(
    compute: Compute,
) -> None:
    kpis = compute(_exits(), *MARCH, kpis=["discharged_at_first_contact"])["national"]
    # Cohort X1, X2, X6 (X3 has no first contact, X4's is after its exit); X1 exits the same day.
    assert kpis["discharged_at_first_contact"] == {
        "numerator": 1,
        "denominator": 3,
        "value": 33.333333,
    }


def test_exits_are_counted_by_code_with_zeros(compute: Compute) -> None:
    kpis = compute(_exits(), *MARCH, kpis=["exits_by_code"])["national"]
    assert kpis["exits_by_code"] == {
        "discharged": 2,
        "see_on_symptom": 1,
        "patient_initiated_follow_up": 1,
        "transferred": 1,
        "other": 0,
    }


def test_referral_and_conversion_rates(compute: Compute) -> None:
    data = DatasetBuilder().service("S1")
    for request_id in ("Y1", "Y2", "Y3", "Y4"):
        data.request(request_id, "2026-01-05T09:00").exit(request_id, "2026-03-10T12:00")

    def referral(referral_id: str, request_id: str, at: str, converted: bool | None) -> None:
        data.add(
            "onward_referrals",
            referral_id=referral_id,
            request_id=request_id,
            referred_at=at,
            subspecialty="orthopaedics",
            route="direct",
            converted=converted,
        )

    referral("o1", "Y1", "2026-03-10T15:00", True)  # later that exit day: on or before the date
    referral("o2", "Y2", "2026-03-11T09:00", False)  # the day after the exit
    referral("o3", "Y4", "2026-02-01T09:00", True)  # before the period
    referral("o4", "Y4", "2026-03-20T09:00", None)  # conversion unknown
    referral("o5", "NOPE", "2026-03-15T09:00", True)  # unknown request: national only
    kpis = compute(
        data, *MARCH, kpis=["subspecialty_referral_rate", "subspecialty_conversion_rate"]
    )["national"]
    # Exits in March: Y1-Y4; referred by the exit date: Y1 and Y4.
    assert kpis["subspecialty_referral_rate"] == {"numerator": 2, "denominator": 4, "value": 50.0}
    # Referrals made in March with a known conversion: o1 (yes), o2 (no), o5 (yes).
    assert kpis["subspecialty_conversion_rate"] == {
        "numerator": 2,
        "denominator": 3,
        "value": 66.666667,
    }
    s1 = compute(
        data,
        *MARCH,
        by="service",
        kpis=["subspecialty_referral_rate", "subspecialty_conversion_rate"],
    )["S1"]
    assert s1["subspecialty_conversion_rate"] == {"numerator": 1, "denominator": 2, "value": 50.0}


def test_cost_per_case_divides_the_months_costs_by_the_exits(compute: Compute) -> None:
    data = DatasetBuilder().service("S1").service("S2", "7A2")
    data.request("C1", "2026-01-05T09:00").exit("C1", "2026-03-10T09:00")
    data.request("C2", "2026-01-05T09:00").exit("C2", "2026-03-31T09:00")
    data.add("costs", service_id="S1", month="2026-03", staffing=1000, consumables=234.5)
    data.add("costs", service_id="S1", month="2026-02", staffing=999, consumables=1)  # before
    data.add("costs", service_id="S2", month="2026-03", staffing=500, consumables=None)  # 0
    by_service = compute(data, *MARCH, by="service", kpis=["cost_per_case"])
    assert by_service["S1"]["cost_per_case"] == {"cost": 1234.5, "cases": 2, "value": 617.25}
    assert by_service["S2"]["cost_per_case"] == {"cost": 500.0, "cases": 0, "value": None}
    national = compute(data, *MARCH, kpis=["cost_per_case"])["national"]
    assert national["cost_per_case"] == {"cost": 1734.5, "cases": 2, "value": 867.25}
    # Mid-month periods take only the months whose first day is inside: April, not March.
    data.add("costs", service_id="S1", month="2026-04", staffing=10, consumables=0)
    late = compute(data, "2026-03-15", "2026-04-15", kpis=["cost_per_case"])["national"]
    assert late["cost_per_case"] == {"cost": 10.0, "cases": 1, "value": 10.0}


MSK_HQ_28 = " ".join(["2"] * 14)  # 14 items scored 2: total 28
MSK_HQ_34 = " ".join(["3"] * 6 + ["2"] * 8)  # 6 x 3 + 8 x 2 = 34


def test_msk_hq_change_of_six_points_is_the_minimal_important_change(compute: Compute) -> None:
    """MCID 5.5 points (Price AJ et al. BMJ Open 2019;9:e025357): at least 6 on whole numbers."""
    data = DatasetBuilder().service("S1")
    for request_id in ("M1", "M2", "M3", "M4", "M5", "M6", "M7"):
        data.request(request_id, "2026-01-02T09:00")
        data.exit(request_id, "2026-04-05T09:00" if request_id == "M7" else "2026-03-10T09:00")
    # M1: 28 -> 34 from the items: +6, achieved.
    data.measure("M1", "msk_hq", "baseline", "2026-01-10T09:00", items=MSK_HQ_28)
    data.measure("M1", "msk_hq", "discharge", "2026-03-10T09:00", items=MSK_HQ_34)
    # M2: recorded scores only, 30 -> 35: +5, not achieved.
    data.measure("M2", "msk_hq", "baseline", "2026-01-10T09:00", score=30)
    data.measure("M2", "msk_hq", "discharge", "2026-03-10T09:00", score=35)
    # M3: the recorded baseline (30) disagrees with its items (28): the items win, +6 achieved.
    data.measure("M3", "msk_hq", "baseline", "2026-01-10T09:00", items=MSK_HQ_28, score=30)
    data.measure("M3", "msk_hq", "discharge", "2026-03-10T09:00", items=MSK_HQ_34)
    # M4: the earliest baseline (20, not 40) counts: 20 -> 27, +7 achieved.
    data.measure("M4", "msk_hq", "baseline", "2026-01-20T09:00", score=40)
    data.measure("M4", "msk_hq", "baseline", "2026-01-05T09:00", score=20)
    data.measure("M4", "msk_hq", "discharge", "2026-03-10T09:00", score=27)
    # M5: ties at the same minute: the first baseline in the file (30) and the last discharge (35):
    # +5, not achieved (any other choice would give +10, +15 or +20).
    data.measure("M5", "msk_hq", "baseline", "2026-01-05T09:00", score=30)
    data.measure("M5", "msk_hq", "baseline", "2026-01-05T09:00", score=20)
    data.measure("M5", "msk_hq", "discharge", "2026-03-10T09:00", score=40)
    data.measure("M5", "msk_hq", "discharge", "2026-03-10T09:00", score=35)
    # M6: no discharge measure; M7: exit after the period. Both outside the cohort.
    data.measure("M6", "msk_hq", "baseline", "2026-01-10T09:00", score=10)
    data.measure("M7", "msk_hq", "baseline", "2026-01-10T09:00", score=10)
    data.measure("M7", "msk_hq", "discharge", "2026-04-05T09:00", score=50)
    kpis = compute(data, *MARCH, kpis=["msk_hq_mcid_achieved"])["national"]
    assert kpis["msk_hq_mcid_achieved"] == {"numerator": 3, "denominator": 5, "value": 60.0}
