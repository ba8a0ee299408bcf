"""Hand-computed activity KPIs: contacts attended, DNA and cancellation rates, investigations.

Contact KPIs count contacts, not people; a contact of an unknown request counts at national level
only (``shared/spec/kpis.md``, "Shared rules").
"""

from __future__ import annotations

from tests.analytics.builders import DatasetBuilder
from tests.analytics.conftest import Compute

MARCH = ("2026-03-01", "2026-03-31")


def _contacts() -> DatasetBuilder:
    return (
        DatasetBuilder()
        .service("S1", "7A1")
        .service("S2", "7A2")
        .request("Q1", "2026-02-01T09:00")
        .contact("c1", "Q1", "2026-03-02T09:00", "attended")
        .contact("c2", "Q1", "2026-03-31T23:30", "attended")  # last evening of the period
        .contact("c3", "Q1", "2026-03-10T09:00", "did_not_attend")
        .contact("c4", "Q1", "2026-03-11T09:00", "patient_cancelled")
        .contact("c5", "Q1", "2026-03-12T09:00", "service_cancelled")
        .contact("c6", "Q1", "2026-03-20T09:00", "booked")
        .contact("c7", "Q1", "2026-03-15T09:00", "attended", kind="follow_up")
        .contact("c8", "Q1", "2026-03-16T09:00", "did_not_attend", kind="follow_up")
        .contact("c9", "Q1", "2026-04-01T09:00", "attended")  # after the period
        .contact("c10", "NOPE", "2026-03-05T09:00", "attended")  # unknown request
    )


def test_contacts_attended_count_contacts_in_the_period(compute: Compute) -> None:
    national = compute(
        _contacts(), *MARCH, kpis=["first_contacts_attended", "follow_ups_attended"]
    )["national"]
    assert national["first_contacts_attended"] == 3  # c1, c2, c10
    assert national["follow_ups_attended"] == 1  # c7
    by_service = compute(
        _contacts(), *MARCH, by="service", kpis=["first_contacts_attended", "follow_ups_attended"]
    )
    assert by_service["S1"]["first_contacts_attended"] == 2  # c10 belongs to no service
    assert by_service["S2"]["first_contacts_attended"] == 0


def test_dna_rate_is_first_contacts_missed_over_attended_or_missed(compute: Compute) -> None:
    national = compute(_contacts(), *MARCH, kpis=["new_patient_dna_rate"])["national"]
    # attended c1, c2, c10 and did_not_attend c3: 1 of 4.
    assert national["new_patient_dna_rate"] == {"numerator": 1, "denominator": 4, "value": 25.0}
    s1 = compute(_contacts(), *MARCH, by="service", kpis=["new_patient_dna_rate"])["S1"]
    assert s1["new_patient_dna_rate"] == {"numerator": 1, "denominator": 3, "value": 33.333333}


def test_cancellation_rate_counts_patient_cancellations_over_every_outcome(
    compute: Compute,
) -> None:
    s1 = compute(_contacts(), *MARCH, by="service", kpis=["new_patient_cancellation_rate"])["S1"]
    # c1, c2 attended, c3 missed, c4 patient and c5 service cancelled (c6 booked is not an outcome).
    assert s1["new_patient_cancellation_rate"] == {"numerator": 1, "denominator": 5, "value": 20.0}
    national = compute(_contacts(), *MARCH, kpis=["new_patient_cancellation_rate"])["national"]
    assert national["new_patient_cancellation_rate"]["denominator"] == 6  # plus c10


def test_investigations_are_counted_by_kpi_group_with_zeros_and_total(compute: Compute) -> None:
    data = (
        DatasetBuilder()
        .service("S1")
        .request("A1", "2026-03-01T09:00")
        .add("activities", request_id="A1", code="INV.XRAY", recorded_at="2026-03-02T09:00")
        .add("activities", request_id="A1", code="INV.MRI", recorded_at="2026-03-03T09:00")
        .add("activities", request_id="A1", code="INV.BLOODS", recorded_at="2026-03-04T09:00")
        .add("activities", request_id="A1", code="INT.ADVICE", recorded_at="2026-03-05T09:00")
        .add("activities", request_id="A1", code="INV.NCS", recorded_at="2026-04-01T09:00")
    )
    # Advice is an intervention without KPI group; nerve conduction is after the period.
    assert compute(data, *MARCH, kpis=["investigations_requested"])["national"][
        "investigations_requested"
    ] == {
        "biochemistry_haematology": 1,
        "neurophysiology": 0,
        "radiology": 2,
        "total": 3,
    }
