"""A plain pandas implementation of a subset of the KPIs at national level, for the speed ratio.

It is a straightforward reading of ``../shared/spec/kpis.md`` in pandas (read the Parquet or CSV
files, parse the timestamps, filter, group, count), written independently of the ibis expressions,
and ``kpi_bench.py`` checks that it gives the engine's numbers. The subset, :data:`PANDAS_KPIS`,
leaves out the KPIs that need item scoring (MSK-HQ change, FFT), re-presentation, investigations,
access by deprivation and coded at triage.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from imsk.core.calendar import calendar_for

PANDAS_KPIS = [
    "triage_urgent_1wd",
    "triage_routine_3wd",
    "untriaged_overdue",
    "waiting_first_contact",
    "first_contacts_attended",
    "follow_ups_attended",
    "new_patient_dna_rate",
    "new_patient_cancellation_rate",
    "requests_by_condition_group",
    "requests_by_source",
    "discharged_at_first_contact",
    "subspecialty_conversion_rate",
    "cost_per_case",
    "exits_by_code",
]

BANDS = [
    ("0-3", 3),
    ("4-7", 7),
    ("8-11", 11),
    ("12-13", 13),
    ("14-17", 17),
    ("18-25", 25),
    ("26-35", 35),
    ("36-51", 51),
    ("52+", 10**9),
]


def _read(folder: Path, table: str, columns: list[str]) -> pd.DataFrame:
    parquet = folder / f"{table}.parquet"
    if parquet.exists():
        return pd.read_parquet(parquet, columns=columns)
    return pd.read_csv(folder / f"{table}.csv", usecols=columns, dtype=str, keep_default_na=False)


def _ts(series: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(series):
        return series
    return pd.to_datetime(series.replace("", None), format="ISO8601")


def _day(series: pd.Series) -> pd.Series:
    return _ts(series).dt.normalize()


def _rate(numerator: int, denominator: int) -> dict[str, Any]:
    value = None if denominator == 0 else round(100 * numerator / denominator, 6)
    return {"numerator": int(numerator), "denominator": int(denominator), "value": value}


def pandas_kpis(folder: Path, start: date, end: date) -> dict[str, Any]:
    """The :data:`PANDAS_KPIS` at national level, computed with pandas from the files."""
    p0, p1 = pd.Timestamp(start), pd.Timestamp(end)
    services = _read(folder, "services", ["service_id", "nation"])
    requests = _read(
        folder,
        "requests",
        ["request_id", "service_id", "received_at", "triaged_at", "priority", "pathway", "source"],
    )
    requests["received_on"] = _day(requests.received_at)
    requests["triaged_on"] = _day(requests.triaged_at)
    requests = requests.merge(services, on="service_id", how="left")
    exits = _read(folder, "exits", ["request_id", "exited_at", "code"])
    exits["exited_on"] = _day(exits.exited_at)
    contacts = _read(folder, "contacts", ["request_id", "kind", "status", "scheduled_at"])
    contacts["scheduled_on"] = _day(contacts.scheduled_at)
    first_attended = (
        contacts[(contacts.kind == "first") & (contacts.status == "attended")]
        .groupby("request_id")
        .scheduled_on.min()
        .rename("first_attended_on")
    )
    result: dict[str, Any] = {}

    # Working-day deadlines: WD(d, n) from the core calendar, once per distinct (nation, day).
    pairs = requests[["nation", "received_on"]].dropna().drop_duplicates()
    for n in (1, 3):
        lookup = {
            (nation, day): pd.Timestamp(calendar_for(nation).add_working_days(day.date(), n))
            for nation, day in pairs.itertuples(index=False)
        }
        keys = list(zip(requests.nation, requests.received_on, strict=True))
        requests[f"wd{n}"] = pd.to_datetime(pd.Series([lookup.get(k) for k in keys]))
    in_p = requests.received_on.between(p0, p1)
    for kpi, priority, wd in (
        ("triage_urgent_1wd", "urgent", "wd1"),
        ("triage_routine_3wd", "routine", "wd3"),
    ):
        cohort = requests[
            in_p
            & (requests.priority == priority)
            & requests.triaged_at.notna()
            & requests[wd].notna()
        ]
        result[kpi] = _rate(int((cohort.triaged_on <= cohort[wd]).sum()), len(cohort))

    exit_by_request = exits.set_index("request_id").exited_on
    exited_on = requests.request_id.map(exit_by_request)
    attended_on = requests.request_id.map(first_attended)
    open_at_end = ~(exited_on <= p1)
    result["untriaged_overdue"] = int(
        (
            (requests.received_on <= p1)
            & ~(requests.triaged_on <= p1)
            & open_at_end
            & (requests.wd3 < p1)
        ).sum()
    )
    waiting = requests[
        (requests.received_on <= p1)
        & (requests.pathway.isna() | (requests.pathway != "redirected"))
        & open_at_end
        & ~(attended_on <= p1)
    ]
    weeks = (p1 - waiting.received_on).dt.days // 7
    bands, lower = {}, 0
    for label, upper in BANDS:
        bands[label] = int(((weeks >= lower) & (weeks <= upper)).sum())
        lower = upper + 1
    over = sum(bands[label] for label in ("14-17", "18-25", "26-35", "36-51", "52+"))
    result["waiting_first_contact"] = {"total": len(waiting), "over_14_weeks": over, "bands": bands}

    in_period = contacts[contacts.scheduled_on.between(p0, p1)]
    first = in_period[in_period.kind == "first"]
    result["first_contacts_attended"] = int((first.status == "attended").sum())
    result["follow_ups_attended"] = int(
        ((in_period.kind == "follow_up") & (in_period.status == "attended")).sum()
    )
    dna = first[first.status.isin(["attended", "did_not_attend"])]
    result["new_patient_dna_rate"] = _rate(int((dna.status == "did_not_attend").sum()), len(dna))
    cancellation = first[
        first.status.isin(["attended", "did_not_attend", "patient_cancelled", "service_cancelled"])
    ]
    result["new_patient_cancellation_rate"] = _rate(
        int((cancellation.status == "patient_cancelled").sum()), len(cancellation)
    )

    codes = _read(folder, "condition_codes", ["request_id", "code", "recorded_at"])
    codes["recorded_at"] = _ts(codes.recorded_at)
    known = codes[codes.recorded_at.dt.normalize() <= p1]
    known = known.assign(order=range(len(known))).sort_values(["recorded_at", "order"])
    current = known.groupby("request_id").code.last().str.split(".").str[0]
    groups = requests[in_p].request_id.map(current).fillna("UNCODED")
    result["requests_by_condition_group"] = dict(sorted(groups.value_counts().items()))
    result["requests_by_source"] = {
        k: int(v) for k, v in requests[in_p].source.value_counts().items()
    }

    exits_in_p = exits[exits.exited_on.between(p0, p1)]
    seen = exits_in_p.request_id.map(first_attended)
    discharged = exits_in_p[seen <= exits_in_p.exited_on]
    result["discharged_at_first_contact"] = _rate(
        int((discharged.request_id.map(first_attended) == discharged.exited_on).sum()),
        len(discharged),
    )
    referrals = _read(folder, "onward_referrals", ["referred_at", "converted"])
    referred = referrals[_day(referrals.referred_at).between(p0, p1)]
    converted = referred.converted.replace({"": None, "true": True, "false": False})
    converted = converted[converted.notna()]
    result["subspecialty_conversion_rate"] = _rate(
        int(converted.astype(bool).sum()), len(converted)
    )
    costs = _read(folder, "costs", ["month", "staffing", "consumables"])
    first_days = pd.to_datetime(costs.month + "-01")
    months = costs[first_days.between(p0, p1)]
    cost = float(
        pd.to_numeric(months.staffing.replace("", None)).fillna(0).sum()
        + pd.to_numeric(months.consumables.replace("", None)).fillna(0).sum()
    )
    cases = len(exits_in_p)
    result["cost_per_case"] = {
        "cost": round(cost, 2),
        "cases": cases,
        "value": None if cases == 0 else round(cost / cases, 2),
    }
    result["exits_by_code"] = {k: int(v) for k, v in exits_in_p.code.value_counts().items()}
    return result


def matches(engine: dict[str, Any], pandas: dict[str, Any]) -> list[str]:
    """The KPIs of :data:`PANDAS_KPIS` whose values differ (counts compared where above zero)."""
    differ = []
    for kpi in PANDAS_KPIS:
        ours, theirs = engine[kpi], pandas[kpi]
        if kpi in ("requests_by_source", "exits_by_code", "requests_by_condition_group"):
            ours = {k: v for k, v in ours.items() if v}
        if kpi == "cost_per_case":  # sums of floats in another order: equal to the penny
            same = ours["cases"] == theirs["cases"] and abs(ours["cost"] - theirs["cost"]) <= 0.01
            if not same:
                differ.append(kpi)
            continue
        if ours != theirs:
            differ.append(kpi)
    return differ
