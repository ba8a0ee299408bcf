"""Hand-computed experience KPIs: Friends and Family Test, feedback, self-management resources."""

from __future__ import annotations

from tests.analytics.builders import DatasetBuilder
from tests.analytics.conftest import Compute

MARCH = ("2026-03-01", "2026-03-31")


def test_fft_positive_counts_very_good_and_good_over_every_response(compute: Compute) -> None:
    """% positive includes "don't know" in the denominator (instruments.md section 6, [S38])."""
    data = DatasetBuilder().service("S1").request("F1", "2026-02-02T09:00")
    for day, answer in (("02", "1"), ("03", "2"), ("04", "3"), ("05", "6")):
        data.measure("F1", "fft", "discharge", f"2026-03-{day}T09:00", items=answer)
    data.measure("F1", "fft", "discharge", "2026-03-06T09:00", score=1)  # recorded code only
    data.measure("F1", "fft", "discharge", "2026-04-01T09:00", items="1")  # after the period
    kpis = compute(data, *MARCH, kpis=["fft_positive"])["national"]
    assert kpis["fft_positive"] == {"numerator": 3, "denominator": 5, "value": 60.0}


def test_feedback_and_resource_hits_belong_to_their_service(compute: Compute) -> None:
    data = DatasetBuilder().service("S1").service("S2", "7A2")
    for service, at, kind in (
        ("S1", "2026-03-02T09:00", "complaint"),
        ("S1", "2026-03-03T09:00", "compliment"),
        ("S1", "2026-03-03T10:00", "compliment"),
        ("S2", "2026-03-31T23:59", "concern"),
        ("S1", "2026-04-01T00:00", "complaint"),  # after the period
        ("SX", "2026-03-02T09:00", "complaint"),  # unknown service: national only
    ):
        data.add("feedback", service_id=service, received_at=at, kind=kind, nature="waiting")
    for service, day, hits in (
        ("S1", "2026-03-01", 10),
        ("S1", "2026-03-31", 5),
        ("S1", "2026-04-01", 100),
        ("S2", "2026-03-15", 0),
    ):
        data.add("resource_hits", service_id=service, date=day, resource="back-leaflet", hits=hits)
    by_service = compute(data, *MARCH, by="service", kpis=["feedback", "self_management_hits"])
    assert by_service["S1"]["feedback"] == {"complaint": 1, "compliment": 2, "concern": 0}
    assert by_service["S2"]["feedback"] == {"complaint": 0, "compliment": 0, "concern": 1}
    assert (by_service["S1"]["self_management_hits"], by_service["S2"]["self_management_hits"]) == (
        15,
        0,
    )
    national = compute(data, *MARCH, kpis=["feedback", "self_management_hits"])["national"]
    assert national["feedback"] == {"complaint": 2, "compliment": 2, "concern": 1}
