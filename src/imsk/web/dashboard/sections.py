"""The sections of a dashboard page: each a chart drawn on the server and the table of its data.

The sections follow section 5 of the Wales specification as ``../shared/spec/kpis.md`` fixes it:
headline KPIs of the period; monthly trends of demand and activity; the waiting list for a first
contact in week bands at each month's end (14 weeks is the Welsh maximum wait for therapy
services); triage within 1 working day (urgent) and 3 working days (routine); did-not-attend and
patient cancellation of new-patient appointments; the share of MSK-HQ pairs reaching the minimal
important change against the 75 % target; access by deprivation quintile (an access ratio of 1
means requests in proportion to population); and cost per case.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from imsk.analytics.kpis.access import WAITING_BANDS
from imsk.analytics.rollup import QUINTILES, UNKNOWN_CATEGORY
from imsk.web.dashboard import charts
from imsk.web.dashboard.presentation import (
    NO_VALUE,
    Table,
    count_text,
    is_unavailable,
    money_text,
    number,
    percent_text,
    ratio_text,
    total_of,
    unavailable_reason,
)

Json = Any
MCID_TARGET_PERCENT: Final = 75.0


@dataclass(frozen=True)
class Section:
    """One part of the page: a heading, a sentence on what it shows, a chart and its table."""

    slug: str
    title: str
    intro: str
    chart: SafeString | None
    table: Table | None
    unavailable: str = ""


@dataclass(frozen=True)
class Month:
    """The figures of one month of the trend, as shown to the user."""

    label: str
    kpis: dict[str, Json]


def months_of(
    reports: Sequence[dict[str, Any]], kpis_of: Callable[[dict[str, Any]], Any]
) -> list[Month]:
    """Label each monthly report (``M y``, in the user's language) with its shown KPIs."""
    return [
        Month(
            date_format(date.fromisoformat(report["period"]["from"]), "M y"),
            kpis_of(report) or {},
        )
        for report in reports
    ]


def _rate_cell(rate: Json) -> list[str]:
    if not isinstance(rate, dict):
        return [NO_VALUE, NO_VALUE, NO_VALUE]
    return [
        percent_text(rate.get("value")),
        count_text(rate.get("numerator")),
        count_text(rate.get("denominator")),
    ]


def headline(kpis: dict[str, Json]) -> Section:
    """The headline KPIs of the period: value, numerator and denominator where there are ones."""
    rates = (
        ("triage_urgent_1wd", _("Urgent requests triaged within 1 working day")),
        ("triage_routine_3wd", _("Routine requests triaged within 3 working days")),
        ("urgent_not_seen_10wd", _("Urgent requests not seen within 10 working days")),
        ("new_patient_dna_rate", _("New patient appointments not attended (DNA)")),
        ("new_patient_cancellation_rate", _("New patient appointments cancelled by the patient")),
        ("discharged_at_first_contact", _("Discharged at first contact")),
        ("msk_hq_mcid_achieved", _("MSK-HQ minimal important change achieved (target 75%)")),
        ("fft_positive", _("Friends and Family Test: good or very good")),
    )
    counts = (
        ("untriaged_overdue", _("Requests waiting for triage beyond 3 working days")),
        ("first_contacts_attended", _("First contacts attended")),
        ("follow_ups_attended", _("Follow-up contacts attended")),
    )
    rows: list[list[str]] = [
        [_("Requests received"), count_text(total_of(kpis.get("requests_by_source"))), "", ""]
    ]
    for kpi_id, label in rates:
        rows.append([label, *_value_or_reason(kpis.get(kpi_id), _rate_cell)])
    for kpi_id, label in counts:
        rows.append([label, *_value_or_reason(kpis.get(kpi_id), lambda v: [count_text(v), "", ""])])
    waiting = kpis.get("waiting_first_contact")
    rows.append(
        [
            _("Waiting for a first contact at the end of the period"),
            *_value_or_reason(waiting, lambda v: [count_text(v.get("total")), "", ""]),
        ]
    )
    rows.append(
        [
            _("of whom waiting 14 weeks or more"),
            *_value_or_reason(waiting, lambda v: [count_text(v.get("over_14_weeks")), "", ""]),
        ]
    )
    rows.append([_("Cost per case"), *_value_or_reason(kpis.get("cost_per_case"), _cost_cells)])
    table = Table(
        _("Headline KPIs for the period"),
        [_("Indicator"), _("Value"), _("Numerator"), _("Denominator")],
        rows,
    )
    intro = _(
        "Rates are the numerator as a percentage of the denominator. For cost per case the "
        "numerator is the cost and the denominator the number of cases."
    )
    return Section("headline", _("Headline KPIs"), intro, None, table)


def _cost_cells(cost: Json) -> list[str]:
    return [
        money_text(cost.get("value")),
        money_text(cost.get("cost")),
        count_text(cost.get("cases")),
    ]


def _value_or_reason(value: Json, cells: Callable[[Json], list[str]]) -> list[str]:
    if value is None:
        return [NO_VALUE, "", ""]
    if is_unavailable(value):
        return [unavailable_reason(value), "", ""]
    return cells(value)


def _first_unavailable(months: Sequence[Month], *kpi_ids: str) -> str:
    for month in months[:1]:
        for kpi_id in kpi_ids:
            if is_unavailable(month.kpis.get(kpi_id)):
                return unavailable_reason(month.kpis[kpi_id])
    return ""


def _field(month: Month, kpi_id: str, name: str) -> Json:
    value = month.kpis.get(kpi_id)
    return value.get(name) if isinstance(value, dict) else None


def activity_trend(months: Sequence[Month]) -> Section:
    labels = [m.label for m in months]
    received = [total_of(m.kpis.get("requests_by_source")) for m in months]
    attended = [m.kpis.get("first_contacts_attended") for m in months]
    title = _("Requests received and first contacts attended, by month")
    chart = charts.line_chart(
        "chart-activity",
        title,
        _("Two lines over twelve months; the figures are in the table below."),
        labels,
        [
            charts.Series(_("Requests received"), [number(v) for v in received]),
            charts.Series(_("First contacts attended"), [number(v) for v in attended]),
        ],
    )
    rows = [
        [m.label, count_text(r), count_text(a)]
        for m, r, a in zip(months, received, attended, strict=True)
    ]
    table = Table(title, [_("Month"), _("Requests received"), _("First contacts attended")], rows)
    intro = _("Demand and activity in each of the last twelve months of the period.")
    return Section(
        "trends",
        _("Monthly trends"),
        intro,
        chart,
        table,
        _first_unavailable(months, "first_contacts_attended"),
    )


def waiting_trend(months: Sequence[Month]) -> Section:
    labels = [m.label for m in months]
    bands = [label for label, _lower, _upper in WAITING_BANDS]
    title = _("Waiting for a first contact at each month's end, by weeks waited")
    series = [
        charts.Series(
            _("%(band)s weeks") % {"band": band},
            [number(_bands_of(m).get(band)) for m in months],
        )
        for band in bands
    ]
    chart = charts.stacked_chart(
        "chart-waiting",
        title,
        _(
            "Stacked columns, one per month, darker for longer waits; an asterisk marks a month "
            "with a suppressed figure. The figures are in the table below."
        ),
        labels,
        series,
    )
    rows = [
        [
            m.label,
            count_text(_field(m, "waiting_first_contact", "total")),
            count_text(_field(m, "waiting_first_contact", "over_14_weeks")),
            *[count_text(_bands_of(m).get(band)) for band in bands],
        ]
        for m in months
    ]
    head = [
        _("Month"),
        _("Total"),
        _("14 weeks or more"),
        *[_("%(band)s weeks") % {"band": b} for b in bands],
    ]
    intro = _(
        "People waiting for a first contact, counted at the end of each month by whole weeks "
        "waited. The Welsh maximum wait for therapy services is 14 weeks."
    )
    return Section(
        "waiting",
        _("Waiting list"),
        intro,
        chart,
        Table(title, head, rows),
        _first_unavailable(months, "waiting_first_contact"),
    )


def _bands_of(month: Month) -> dict[str, Json]:
    bands = _field(month, "waiting_first_contact", "bands")
    return bands if isinstance(bands, dict) else {}


def _rate_trend(
    months: Sequence[Month],
    slug: str,
    heading: str,
    title: str,
    intro: str,
    lines: Sequence[tuple[str, str]],
    *,
    target: charts.Reference | None = None,
    y_max: float | None = None,
) -> Section:
    labels = [m.label for m in months]
    chart = charts.line_chart(
        f"chart-{slug}",
        title,
        _("Percentages over twelve months; the figures are in the table below."),
        labels,
        [
            charts.Series(name, [number(_field(m, kpi, "value")) for m in months])
            for kpi, name in lines
        ],
        y_max=y_max,
        unit="%",
        target=target,
    )
    head = [_("Month")]
    for _kpi, name in lines:
        head += [name, _("Numerator"), _("Denominator")]
    rows = [
        [m.label, *[cell for kpi, _n in lines for cell in _rate_cell(m.kpis.get(kpi))]]
        for m in months
    ]
    reason = _first_unavailable(months, *[kpi for kpi, _n in lines])
    return Section(slug, heading, intro, chart, Table(title, head, rows), reason)


def triage_trend(months: Sequence[Month]) -> Section:
    return _rate_trend(
        months,
        "triage",
        _("Triage timeliness"),
        _("Requests triaged in time, by month"),
        _(
            "Urgent requests triaged by the end of the first working day after receipt, and routine "
            "requests by the end of the third (working days exclude weekends and bank holidays)."
        ),
        [
            ("triage_urgent_1wd", _("Urgent within 1 working day")),
            ("triage_routine_3wd", _("Routine within 3 working days")),
        ],
        y_max=100.0,
    )


def attendance_trend(months: Sequence[Month]) -> Section:
    return _rate_trend(
        months,
        "attendance",
        _("Did not attend and cancellations"),
        _("New patient appointments not attended or cancelled by the patient, by month"),
        _(
            "Of first appointments in the month: the share not attended (DNA), and the share the "
            "patient cancelled."
        ),
        [
            ("new_patient_dna_rate", _("Did not attend")),
            ("new_patient_cancellation_rate", _("Cancelled by the patient")),
        ],
    )


def mcid_trend(months: Sequence[Month]) -> Section:
    return _rate_trend(
        months,
        "mcid",
        _("MSK-HQ outcome"),
        _("MSK-HQ minimal important change achieved, by month of discharge"),
        _(
            "Of people discharged with an MSK-HQ at baseline and discharge: the share whose score "
            "rose by 6 points or more (the minimal important change). The target is 75%."
        ),
        [("msk_hq_mcid_achieved", _("Minimal important change achieved"))],
        target=charts.Reference(_("Target"), MCID_TARGET_PERCENT),
        y_max=100.0,
    )


def cost_trend(months: Sequence[Month]) -> Section:
    labels = [m.label for m in months]
    title = _("Cost per case, by month")
    chart = charts.line_chart(
        "chart-cost",
        title,
        _("Cost per case in pounds over twelve months; the figures are in the table below."),
        labels,
        [
            charts.Series(
                _("Cost per case"), [number(_field(m, "cost_per_case", "value")) for m in months]
            )
        ],
        unit="",
    )
    rows = [[m.label, *_value_or_reason(m.kpis.get("cost_per_case"), _cost_cells)] for m in months]
    head = [_("Month"), _("Cost per case"), _("Cost"), _("Cases")]
    intro = _(
        "Staffing and consumables of the month divided by the requests that left the "
        "service in the month (pounds)."
    )
    return Section(
        "cost",
        _("Cost per case"),
        intro,
        chart,
        Table(title, head, rows),
        _first_unavailable(months, "cost_per_case"),
    )


def deprivation(kpis: dict[str, Json]) -> Section:
    value = kpis.get("access_by_deprivation")
    title = _("Access by deprivation quintile")
    intro = _(
        "Requests received in the period by the deprivation quintile of where people live "
        "(1 = most deprived), against the population. An access ratio above 1 means more "
        "requests than the population share."
    )
    if not isinstance(value, dict) or is_unavailable(value):
        reason = unavailable_reason(value) if is_unavailable(value) else NO_VALUE
        return Section("deprivation", title, intro, None, None, reason)
    labels = [_("Quintile %(q)s") % {"q": q} for q in QUINTILES]
    chart = charts.bar_chart(
        "chart-deprivation",
        title,
        _(
            "Access ratio for each quintile, with a line at 1 for equal access; the figures are in "
            "the table below."
        ),
        labels,
        [number(value[q]["access_ratio"]) for q in QUINTILES],
        reference=charts.Reference(_("Equal access"), 1.0),
    )
    rows = [
        [
            label,
            count_text(value[q]["requests"]),
            count_text(value[q]["population"]),
            ratio_text(value[q]["access_ratio"]),
        ]
        for label, q in zip(labels, QUINTILES, strict=True)
    ]
    rows.append([_("Quintile not known"), count_text(value.get(UNKNOWN_CATEGORY)), "", ""])
    head = [_("Quintile"), _("Requests"), _("Population"), _("Access ratio")]
    return Section("deprivation", title, intro, chart, Table(title, head, rows))


def group_sections(kpis: dict[str, Json], months: Sequence[Month]) -> list[Section]:
    """Every section of a group's page, in reading order."""
    return [
        headline(kpis),
        activity_trend(months),
        waiting_trend(months),
        triage_trend(months),
        attendance_trend(months),
        mcid_trend(months),
        deprivation(kpis),
        cost_trend(months),
    ]


@dataclass(frozen=True)
class GroupRow:
    """A group in a comparison: its key, display name, the link to its page and its shown KPIs."""

    key: str
    name: str
    link: str
    kpis: dict[str, Json]


def comparison(caption: str, groups: Sequence[GroupRow]) -> Table:
    """One row per group (name, link, shown KPIs) with the headline figures side by side."""
    head = [
        _("Group"),
        _("Requests received"),
        _("Urgent triaged within 1 working day"),
        _("Routine triaged within 3 working days"),
        _("Waiting for a first contact"),
        _("Waiting 14 weeks or more"),
        _("Did not attend"),
        _("MSK-HQ change achieved"),
        _("Cost per case"),
    ]
    rows = [
        [
            group.name,
            count_text(total_of(group.kpis.get("requests_by_source"))),
            percent_text(_get(group.kpis, "triage_urgent_1wd", "value")),
            percent_text(_get(group.kpis, "triage_routine_3wd", "value")),
            count_text(_get(group.kpis, "waiting_first_contact", "total")),
            count_text(_get(group.kpis, "waiting_first_contact", "over_14_weeks")),
            percent_text(_get(group.kpis, "new_patient_dna_rate", "value")),
            percent_text(_get(group.kpis, "msk_hq_mcid_achieved", "value")),
            money_text(_get(group.kpis, "cost_per_case", "value")),
        ]
        for group in groups
    ]
    return Table(caption, head, rows, [group.link for group in groups])


def waiting_comparison(groups: Sequence[GroupRow]) -> SafeString:
    """A bar per group: people waiting 14 weeks or more at the end of the period."""
    return charts.bar_chart(
        "chart-comparison",
        _("Waiting 14 weeks or more at the end of the period, by group"),
        _("One bar per group; the figures are in the table below."),
        [group.key for group in groups],
        [number(_get(group.kpis, "waiting_first_contact", "over_14_weeks")) for group in groups],
    )


def _get(kpis: dict[str, Json], kpi_id: str, name: str) -> Json:
    value = kpis.get(kpi_id)
    return value.get(name) if isinstance(value, dict) else None
