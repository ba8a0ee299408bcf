"""Generated mixes match their configuration, and the data obey the clinical timing rules.

Tolerances are for 50,000 requests (binomial standard errors of at most about 0.3 percentage points
for the request-level shares)."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from imsk.core.calendar import calendar_for
from imsk.core.instruments import score_dataset_items
from imsk.synth.config import SOURCES
from tests.synth.conftest import STEADY, read

WALES = calendar_for("wales")


def _day(text: str) -> date:
    return date.fromisoformat(text[:10])


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_request_sources_follow_the_configured_mix(mix_dataset: Path) -> None:
    sources = Counter(read(mix_dataset, "requests").column("source").to_pylist())
    total = sum(sources.values())
    for source in SOURCES:
        assert sources[source] / total == pytest.approx(STEADY.source_mix[source], abs=0.01), source


def test_deprivation_quintiles_follow_population_times_the_configured_rate_ratios(
    mix_dataset: Path,
) -> None:
    """The synthetic geography has equal populations and age structures in every quintile, so each
    quintile's share of requests is its rate ratio over the sum of the ratios."""
    quintiles = Counter(read(mix_dataset, "requests").column("deprivation_quintile").to_pylist())
    ratios = STEADY.deprivation_rate_ratio
    total = sum(quintiles.values())
    for q in "12345":
        assert quintiles[q] / total == pytest.approx(ratios[q] / sum(ratios.values()), abs=0.012), q


def _start_back_group(items: str) -> str:
    """Keele SBST scoring (``../shared/research/instruments.md`` section 2): items 1-8 agree = 1,
    item 9 counts for 'very much' (3) or 'extremely' (4); total <= 3 low; distress (items 5-9) >= 4
    high; otherwise medium."""
    answers = [int(a) for a in items.split()]
    points = [*answers[:8], int(answers[8] >= 3)]
    if sum(points) <= 3:
        return "low"
    return "high" if sum(points[4:]) >= 4 else "medium"


def test_start_back_risk_groups_follow_the_configured_mix(mix_dataset: Path) -> None:
    measures = read(mix_dataset, "measures").to_pylist()
    groups = Counter(
        _start_back_group(m["items"]) for m in measures if m["instrument"] == "start_back"
    )
    total = sum(groups.values())
    assert total > 5_000
    for group, share in STEADY.start_back_mix.items():
        assert groups[group] / total == pytest.approx(share, abs=0.02), group


def test_new_patient_dna_rate_matches_the_configured_status_mix(mix_dataset: Path) -> None:
    """kpis.md ``new_patient_dna_rate``: DNA over attended + DNA first contacts."""
    statuses = Counter(
        c["status"] for c in read(mix_dataset, "contacts").to_pylist() if c["kind"] == "first"
    )
    rate = statuses["did_not_attend"] / (statuses["did_not_attend"] + statuses["attended"])
    mix = STEADY.first_status_mix
    assert rate == pytest.approx(
        mix["did_not_attend"] / (mix["did_not_attend"] + mix["attended"]), abs=0.007
    )


def _on_time_shares(requests: list[dict[str, str | None]], last_day: date) -> dict[str, float]:
    on_time: Counter[str] = Counter()
    cohort: Counter[str] = Counter()
    for request in requests:
        received, triaged = request["received_at"], request["triaged_at"]
        assert received is not None
        if triaged is None or _day(received) > last_day:
            continue
        priority = str(request["priority"])
        deadline = WALES.add_working_days(_day(received), 1 if priority == "urgent" else 3)
        cohort[priority] += 1
        on_time[priority] += _day(triaged) <= deadline
    return {priority: on_time[priority] / cohort[priority] for priority in cohort}


def test_share_triaged_within_wd1_urgent_and_wd3_routine_matches_the_configured_late_shares(
    mix_dataset: Path,
) -> None:
    """Wales specification 2.3: pathway allocation within 24 hours (urgent) and 3 working days
    (routine), fixed as WD(d, 1) and WD(d, 3) by kpis.md. Requests of the last four weeks are left
    out: late triage after the extract date is not in the data yet."""
    requests = read(mix_dataset, "requests").to_pylist()
    shares = _on_time_shares(requests, date(2026, 3, 3))
    assert shares["urgent"] == pytest.approx(1 - STEADY.late_triage_share_urgent, abs=0.02)
    assert shares["routine"] == pytest.approx(1 - STEADY.late_triage_share_routine, abs=0.015)


def test_triage_is_never_before_receipt_and_falls_on_a_working_day_unless_same_day(
    mix_dataset: Path,
) -> None:
    for request in read(mix_dataset, "requests").to_pylist():
        if request["triaged_at"] is None:
            continue
        received, triaged = _moment(request["received_at"]), _moment(request["triaged_at"])
        assert triaged >= received
        assert triaged.date() == received.date() or WALES.is_working_day(triaged.date())


def test_appointments_are_on_working_days_after_triage(mix_dataset: Path) -> None:
    triaged = {r["request_id"]: r["triaged_at"] for r in read(mix_dataset, "requests").to_pylist()}
    for contact in read(mix_dataset, "contacts").to_pylist():
        scheduled = _moment(contact["scheduled_at"])
        assert WALES.is_working_day(scheduled.date())
        assert scheduled > _moment(str(triaged[contact["request_id"]]))


def test_exits_follow_the_first_attended_contact_or_are_unseen_exits(mix_dataset: Path) -> None:
    first_seen: dict[str, datetime] = {}
    for contact in read(mix_dataset, "contacts").to_pylist():
        if contact["kind"] == "first" and contact["status"] == "attended":
            moment = _moment(contact["scheduled_at"])
            first_seen[contact["request_id"]] = min(
                moment, first_seen.get(contact["request_id"], moment)
            )
    received = {
        r["request_id"]: _moment(r["received_at"])
        for r in read(mix_dataset, "requests").to_pylist()
    }
    unseen = 0
    for exit_row in read(mix_dataset, "exits").to_pylist():
        exited = _moment(exit_row["exited_at"])
        assert exited > received[exit_row["request_id"]]
        seen = first_seen.get(exit_row["request_id"])
        unseen += seen is None
        assert seen is None or exited >= seen
        has_window = exit_row["window_ends"] is not None
        assert has_window == (exit_row["code"] in {"see_on_symptom", "patient_initiated_follow_up"})
    assert unseen > 0


def test_under_18s_are_redirected_by_the_triage_engine_unless_a_red_flag_needs_urgent_review(
    mix_dataset: Path,
) -> None:
    """Wales specification 3.1: children and young people go to paediatric services (bundled rule
    set ``wales-2026-v1`` rule ``under_18``); a red flag needing same-day medical review outranks a
    routine redirect (``imsk.core.triage.outcomes``), and such a request is urgent."""
    young = [
        r
        for r in read(mix_dataset, "requests").to_pylist()
        if int(r["age"]) < 18 and r["triaged_at"] is not None
    ]
    assert len(young) > 50
    assert all(r["pathway"] == "redirected" or r["priority"] == "urgent" for r in young)
    assert sum(r["pathway"] == "redirected" for r in young) / len(young) > 0.95


def test_msk_hq_scores_equal_their_items_and_change_follows_the_configuration(
    mix_dataset: Path,
) -> None:
    """MSK-HQ: the total is the sum of 14 items scored 0-4 (Hill et al. BMJ Open 2016); the minimal
    important change is 5.5 points, i.e. >= 6 on the whole-number scale (Price et al. 2019). With a
    change of N(9, 8) rounded, P(change >= 6) = P(N(9, 8) >= 5.5) = 0.669."""
    measures = [m for m in read(mix_dataset, "measures").to_pylist() if m["instrument"] == "msk_hq"]
    for m in measures[:2_000]:
        assert float(m["score"]) == score_dataset_items("msk_hq", m["items"])
    baseline = {
        m["request_id"]: float(m["score"]) for m in measures if m["timepoint"] == "baseline"
    }
    values = list(baseline.values())
    mean = sum(values) / len(values)
    assert mean == pytest.approx(STEADY.msk_hq_baseline_mean, abs=0.3)
    pairs = [
        float(m["score"]) - baseline[m["request_id"]]
        for m in measures
        if m["timepoint"] == "discharge" and m["request_id"] in baseline
    ]
    assert len(pairs) > 2_000
    assert sum(change >= 6 for change in pairs) / len(pairs) == pytest.approx(0.669, abs=0.03)


def test_fft_is_mostly_positive_as_configured(mix_dataset: Path) -> None:
    """FFT codes 1-6 (very good ... don't know); % positive = (1 + 2) / all responses."""
    codes = [
        m["items"] for m in read(mix_dataset, "measures").to_pylist() if m["instrument"] == "fft"
    ]
    positive = sum(code in {"1", "2"} for code in codes) / len(codes)
    assert positive == pytest.approx(
        STEADY.fft_mix["very_good"] + STEADY.fft_mix["good"], abs=0.025
    )


def test_professional_requests_arrive_on_working_days_and_self_referrals_also_at_weekends(
    mix_dataset: Path,
) -> None:
    requests = read(mix_dataset, "requests").to_pylist()
    professional = [r for r in requests if r["source"] != "self"]
    on_working_days = sum(WALES.is_working_day(_day(r["received_at"])) for r in professional)
    assert on_working_days / len(professional) > 0.97
    weekend_self = [
        r for r in requests if r["source"] == "self" and _day(r["received_at"]).weekday() >= 5
    ]
    assert len(weekend_self) > 100


def test_a_person_keeps_their_sex_and_ages_forward_across_requests(mix_dataset: Path) -> None:
    by_person: dict[str, list[tuple[str, int, str]]] = {}
    for r in read(mix_dataset, "requests").to_pylist():
        by_person.setdefault(r["person_id"], []).append((r["received_at"], int(r["age"]), r["sex"]))
    repeaters = [rows for rows in by_person.values() if len(rows) > 1]
    assert len(repeaters) > 1_000
    for rows in repeaters:
        rows.sort()
        assert len({sex for _, _, sex in rows}) == 1
        ages = [age for _, age, _ in rows]
        assert ages == sorted(ages)
        assert ages[-1] - ages[0] <= 1 + timedelta(days=365).days // 365
