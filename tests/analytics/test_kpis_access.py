"""Hand-computed access KPIs: triage deadlines, untriaged requests, urgent care, the waiting list.

Working days are those of Wales 2026 (``imsk.core.calendar``): bank holidays include Good Friday
3 April, Easter Monday 6 April, Christmas Day Friday 25 December and the Boxing Day substitute
Monday 28 December (26 December is a Saturday). Source: ``shared/spec/kpis.md``.
"""

from __future__ import annotations

from tests.analytics.builders import DatasetBuilder
from tests.analytics.conftest import Compute

DECEMBER = ("2026-12-01", "2026-12-31")
MARCH = ("2026-03-01", "2026-03-31")


def _services() -> DatasetBuilder:
    return DatasetBuilder().service("S1", "7A1").service("S2", "7A2")


def test_triage_deadlines_count_working_days_across_weekends_and_christmas(
    compute: Compute,
) -> None:
    data = (
        _services()
        # Thu 24 Dec: 25 (bank holiday), 26-27 (weekend), 28 (Boxing Day substitute) are not
        # working days, so WD1 = Tue 29 Dec; triaged on the 29th is on time.
        .request("U1", "2026-12-24T10:00", priority="urgent", triaged_at="2026-12-29T16:00")
        # Received Saturday 5 Dec: WD1 = Monday 7 Dec; triaged that Monday is on time.
        .request("U2", "2026-12-05T11:00", priority="urgent", triaged_at="2026-12-07T09:00")
        # Wed 2 Dec: WD1 = Thu 3 Dec; triaged Fri 4 Dec is late.
        .request("U3", "2026-12-02T09:00", priority="urgent", triaged_at="2026-12-04T09:00")
        # Not triaged: outside the cohort. Received before the period: outside.
        .request("U4", "2026-12-10T09:00", priority="urgent")
        .request("U5", "2026-11-30T09:00", priority="urgent", triaged_at="2026-12-01T09:00")
        # Routine, Thu 24 Dec: WD3 = 29, 30, 31 Dec -> 31 Dec; triaged on the 31st is on time.
        .request("R1", "2026-12-24T10:00", priority="routine", triaged_at="2026-12-31T17:00")
        # Routine, Wed 23 Dec: WD3 = 24, 29, 30 Dec -> 30 Dec; triaged on the 31st is late.
        .request("R2", "2026-12-23T10:00", priority="routine", triaged_at="2026-12-31T08:00")
    )
    kpis = compute(data, *DECEMBER, kpis=["triage_urgent_1wd", "triage_routine_3wd"])["national"]
    assert kpis["triage_urgent_1wd"] == {"numerator": 2, "denominator": 3, "value": 66.666667}
    assert kpis["triage_routine_3wd"] == {"numerator": 1, "denominator": 2, "value": 50.0}


def test_untriaged_overdue_counts_open_requests_past_their_routine_deadline(
    compute: Compute,
) -> None:
    data = (
        _services()
        .table("exits")
        # WD3 of Wed 23 Dec is Wed 30 Dec, before 31 Dec: overdue.
        .request("A", "2026-12-23T10:00")
        # WD3 of Thu 24 Dec is Thu 31 Dec, not before 31 Dec: not yet overdue.
        .request("B", "2026-12-24T10:00")
        # Triaged only after the period end: still untriaged at the end of the 31st; overdue.
        .request("C", "2026-12-01T10:00", service_id="S2", triaged_at="2027-01-04T09:00")
        # Left the service before the end: not counted.
        .request("D", "2026-12-01T10:00")
        .exit("D", "2026-12-20T10:00")
        # Leaves only after the period end: still open, overdue.
        .request("E", "2026-12-01T10:00")
        .exit("E", "2027-01-02T10:00")
        # Received after the period end, or triaged in time: not counted.
        .request("F", "2027-01-02T10:00")
        .request("G", "2026-11-02T10:00", triaged_at="2026-11-03T10:00")
    )
    assert (
        compute(data, *DECEMBER, kpis=["untriaged_overdue"])["national"]["untriaged_overdue"] == 3
    )
    by_service = compute(data, *DECEMBER, by="service", kpis=["untriaged_overdue"])
    assert (by_service["S1"]["untriaged_overdue"], by_service["S2"]["untriaged_overdue"]) == (2, 1)


def test_urgent_not_seen_counts_breaches_of_the_10_working_day_deadline(compute: Compute) -> None:
    # Received Mon 16 Feb 2026: WD10 = 17, 18, 19, 20, 23, 24, 25, 26, 27 Feb, 2 Mar -> D = 2 Mar,
    # inside March.
    received = "2026-02-16T09:00"
    data = (
        _services()
        .request("N1", received, priority="urgent")
        .contact("c1", "N1", "2026-03-02T15:00", "attended")  # seen on D: no breach
        .request("N2", received, priority="urgent")
        .contact("c2", "N2", "2026-03-03T09:00", "attended")  # seen after D: breach
        .request("N3", received, priority="urgent")
        .exit("N3", "2026-02-27T09:00")  # left unseen before D: out of the cohort
        .request("N4", received, priority="urgent", pathway="redirected")  # redirected: out
        .request("N5", received, priority="urgent")
        .contact("c5", "N5", "2026-02-20T09:00", "did_not_attend")  # never attended: breach
        .request("N6", received, priority="urgent")
        .contact("c6", "N6", "2026-02-20T09:00", "attended")
        .exit("N6", "2026-02-25T09:00")  # seen, then left before D: in the cohort, no breach
        # Fri 20 Mar: WD10 = 23-27, 30, 31 Mar, 1, 2, 7 Apr (3 and 6 April are Easter holidays).
        .request("N7", "2026-03-20T09:00", priority="urgent")
        .request("N8", received, priority="routine")  # routine: out
    )
    kpis = compute(data, *MARCH, kpis=["urgent_not_seen_10wd"])["national"]
    assert kpis["urgent_not_seen_10wd"] == {"numerator": 2, "denominator": 4, "value": 50.0}


def test_waiting_list_bands_whole_weeks_waited_at_the_period_end(compute: Compute) -> None:
    # weeks waited = floor((31 Mar 2026 - date received) / 7 days)
    data = (
        _services()
        .request("W1", "2026-03-31T18:00")  # 0 days -> 0 weeks
        .request("W2", "2026-03-04T09:00")  # 27 days -> 3 weeks
        .request("W3", "2026-03-03T09:00")  # 28 days -> 4 weeks
        .request("W4", "2025-12-23T09:00")  # 98 days -> 14 weeks (over 14 weeks)
        .request("W5", "2025-12-24T09:00")  # 97 days -> 13 weeks
        .request("W6", "2025-03-31T09:00")  # 365 days -> 52 weeks
        .request("W7", "2026-01-05T09:00", pathway="redirected")  # redirected: not waiting
        .request("W8", "2026-01-05T09:00")
        .exit("W8", "2026-03-10T09:00")  # left before the end: not waiting
        .request("W9", "2026-01-05T09:00")  # 85 days -> 12 weeks; exits only after the end
        .exit("W9", "2026-04-02T09:00")
        .request("W10", "2026-01-05T09:00")
        .contact("c10", "W10", "2026-03-31T09:00", "attended")  # seen by the end: not waiting
        .request("W11", "2026-01-05T09:00")  # 12 weeks: a follow-up is not a first contact
        .contact("c11a", "W11", "2026-03-02T09:00", "attended", kind="follow_up")
        .contact("c11b", "W11", "2026-04-01T09:00", "attended")
        .request("W12", "2026-04-01T09:00")  # received after the end
    )
    waiting = compute(data, *MARCH, kpis=["waiting_first_contact"])["national"][
        "waiting_first_contact"
    ]
    assert waiting == {
        "total": 8,
        "over_14_weeks": 2,
        "bands": {
            "0-3": 2,
            "4-7": 1,
            "8-11": 0,
            "12-13": 3,
            "14-17": 1,
            "18-25": 0,
            "26-35": 0,
            "36-51": 0,
            "52+": 1,
        },
    }


def test_coded_at_triage_compares_the_code_and_triage_timestamps_exactly(compute: Compute) -> None:
    data = (
        _services()
        .request("K1", "2026-03-02T09:00", triaged_at="2026-03-02T10:00")
        .code("K1", "BACK.NONSPECIFIC", "2026-03-02T10:00")  # at the triage minute: coded
        .request("K2", "2026-03-03T08:00", triaged_at="2026-03-03T08:59")
        .code("K2", "HIP.OA", "2026-03-03T09:00")  # one minute after triage: not coded
        .request("K3", "2026-03-04T09:00", triaged_at="2026-03-04T10:00")  # never coded
        .request("K4", "2026-03-05T09:00", triaged_at="2026-04-01T10:00")  # triaged after March
        .code("K4", "KNEE.OA", "2026-03-05T09:00")
        .request("K5", "2026-02-20T09:00", triaged_at="2026-03-01T12:00")
        .code("K5", "BACK.CHRONIC", "2026-02-20T09:00")  # coded before triage
    )
    kpis = compute(data, *MARCH, kpis=["coded_at_triage"])["national"]
    assert kpis["coded_at_triage"] == {"numerator": 2, "denominator": 4, "value": 50.0}
