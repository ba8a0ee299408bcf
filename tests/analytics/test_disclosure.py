"""Disclosure control (``shared/spec/kpis.md``): counts 1-4 suppressed, with secondary suppression."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from imsk.analytics.disclosure import SUPPRESSED, suppress_counts, suppress_report, suppress_waiting

S = SUPPRESSED


def _report(kpis: dict[str, Any]) -> dict[str, Any]:
    return {"period": {}, "by": "national", "groups": [{"key": "national", "kpis": kpis}]}


def test_small_counts_and_rates_built_on_small_numbers_are_suppressed() -> None:
    report = _report(
        {
            "first_contacts_attended": 4,
            "follow_ups_attended": 5,
            "self_management_hits": 0,
            "triage_urgent_1wd": {"numerator": 3, "denominator": 40, "value": 7.5},
            "new_patient_dna_rate": {"numerator": 0, "denominator": 4, "value": 0.0},
            "triage_routine_3wd": {"numerator": 35, "denominator": 40, "value": 87.5},
            "cost_per_case": {"cost": 1000.0, "cases": 2, "value": 500.0},
            "feedback": {"status": "unavailable", "reason": "table feedback is absent"},
        }
    )
    kpis = suppress_report(report)["groups"][0]["kpis"]
    assert kpis["first_contacts_attended"] == S
    assert kpis["follow_ups_attended"] == 5
    assert kpis["self_management_hits"] == 0  # zero discloses no one
    assert kpis["triage_urgent_1wd"] == {"numerator": S, "denominator": S, "value": S}
    assert kpis["new_patient_dna_rate"] == {"numerator": S, "denominator": S, "value": S}
    assert kpis["triage_routine_3wd"] == {"numerator": 35, "denominator": 40, "value": 87.5}
    assert kpis["cost_per_case"] == {"cost": 1000.0, "cases": S, "value": S}
    assert kpis["feedback"]["status"] == "unavailable"
    assert report["groups"][0]["kpis"]["first_contacts_attended"] == 4  # the input is untouched


def test_a_lone_suppressed_category_takes_the_next_smallest_with_it() -> None:
    # Without the second suppression, concern = total - complaint - compliment = 3.
    counts = {"complaint": 20, "compliment": 9, "concern": 3}
    assert suppress_counts(counts, with_total=False) == {
        "complaint": 20,
        "compliment": S,
        "concern": S,
    }
    groups = {"radiology": 2, "neurophysiology": 0, "biochemistry_haematology": 30, "total": 32}
    assert suppress_counts(groups, with_total=True) == {
        "radiology": S,
        "neurophysiology": 0,
        "biochemistry_haematology": S,
        "total": 32,
    }


def test_waiting_bands_are_protected_against_both_totals() -> None:
    waiting = {
        "total": 60,
        "over_14_weeks": 12,
        "bands": {
            "0-3": 30,
            "4-7": 10,
            "8-11": 6,
            "12-13": 2,
            "14-17": 9,
            "18-25": 3,
            "26-35": 0,
            "36-51": 0,
            "52+": 0,
        },
    }
    result = suppress_waiting(waiting)
    # 12-13 (2) and 18-25 (3) are small. 18-25 alone among the long waits would be
    # over_14_weeks - 14-17, so 14-17 goes too; 12-13 alone among the short waits would be
    # total - over_14 - the rest, so the next smallest short band (8-11) goes too.
    assert result["bands"] == {
        "0-3": 30,
        "4-7": 10,
        "8-11": S,
        "12-13": S,
        "14-17": S,
        "18-25": S,
        "26-35": 0,
        "36-51": 0,
        "52+": 0,
    }
    assert (result["total"], result["over_14_weeks"]) == (60, 12)


@given(st.dictionaries(st.sampled_from("abcdefg"), st.integers(0, 30), min_size=1))
def test_no_suppressed_category_can_be_recovered_by_subtraction(counts: dict[str, int]) -> None:
    """Property: after suppression no category is small and shown, and never exactly one is hidden
    while the total is known (total shown unless itself small)."""
    result = suppress_counts({**counts, "total": sum(counts.values())}, with_total=True)
    members = [k for k in result if k != "total"]
    assert not any(isinstance(result[k], int) and 0 < result[k] < 5 for k in result)
    hidden = [k for k in members if result[k] == S]
    assert len(hidden) != 1 or result["total"] == S
