"""The care record of one request as a timeline, oldest first (reads only; no writes, no audit).

The record page shows what happened to the request in order: condition codes (the history is kept),
appointments, consultations, activities, escalations, onward referrals and interface clinic cases,
the exit, and any returns under its SOS or PIFU window.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from imsk.core.dataset.enums import Subspecialty
from imsk.web.consultations.forms import EXIT_LABELS, OUTCOME_LABELS, SUBSPECIALTY_LABELS
from imsk.web.consultations.models import Consultation, Escalation
from imsk.web.consultations.registries import (
    INTERFACE_OUTCOMES,
    ONWARD_CRITERIA,
    SIGNPOSTING,
    label_of,
)
from imsk.web.consultations.services import activity_codes
from imsk.web.referrals.models import OnwardReferral, Request
from imsk.web.referrals.services import condition_codes


@dataclass(frozen=True)
class Entry:
    """One line of the timeline: when, what kind, a heading and detail lines."""

    at: datetime
    kind: str | Promise
    heading: str
    lines: tuple[tuple[str | Promise, str], ...] = ()
    escalation: Escalation | None = None


def timeline(request: Request) -> list[Entry]:
    """Every event of ``request``'s record, oldest first."""
    entries = [
        *_codes(request),
        *_contacts(request),
        *_consultations(request),
        *_activities(request),
        *_escalations(request),
        *_referrals(request),
        *_exit(request),
    ]
    return sorted(entries, key=lambda entry: entry.at)


def _codes(request: Request) -> list[Entry]:
    known = condition_codes()
    return [
        Entry(
            c.recorded_at,
            _("Condition code"),
            f"{c.code}: {known.entries[c.code].label}" if c.code in known else c.code,
        )
        for c in request.condition_codes.order_by("recorded_at", "id")
    ]


def _contacts(request: Request) -> list[Entry]:
    return [
        Entry(
            c.scheduled_at,
            _("Appointment"),
            f"{c.get_kind_display()}: {c.get_status_display()}",
            ((_("Mode"), c.get_mode_display() or ""),) if c.mode else (),
        )
        for c in request.contacts.order_by("scheduled_at")
    ]


def _consultations(request: Request) -> list[Entry]:
    rows = Consultation.objects.filter(request=request).select_related("clinician")
    return [_consultation(c) for c in rows]


def _consultation(c: Consultation) -> Entry:
    signposted = [label_of(SIGNPOSTING, key) for key in c.signposting]
    if c.signposting_other:
        signposted.append(c.signposting_other)
    lines: list[tuple[str | Promise, str]] = [
        (_("Clinical notes"), c.notes),
        (_("What matters to the person"), c.what_matters),
        (_("Options discussed"), c.options_discussed),
        (_("Decision reached together"), c.decision),
        (_("Work status"), str(c.get_work_status_display())),
        (_("Fit note and work advice"), c.fit_note_advice),
        (_("Signposted to"), "; ".join(signposted)),
    ]
    return Entry(
        c.held_at, _("Consultation"), c.clinician.full_name, tuple(x for x in lines if x[1])
    )


def _activities(request: Request) -> list[Entry]:
    known = activity_codes()
    return [
        Entry(
            a.recorded_at,
            _("Activity"),
            f"{a.code}: {known.entries[a.code].label}" if a.code in known else a.code,
        )
        for a in request.activities.order_by("recorded_at", "id")
    ]


def _escalations(request: Request) -> list[Entry]:
    rows = Escalation.objects.filter(request=request).select_related(
        "from_clinician", "to_clinician"
    )
    return [
        Entry(
            e.raised_at,
            _("Escalation"),
            f"{e.from_clinician.full_name} → {e.to_clinician.full_name}",
            tuple(x for x in ((_("Reason"), e.reason), (_("Response"), e.response)) if x[1]),
            escalation=e,
        )
        for e in rows
    ]


def _referrals(request: Request) -> list[Entry]:
    rows = OnwardReferral.objects.filter(request=request).select_related("detail", "interface_case")
    return [_referral(r) for r in rows]


def _referral(r: OnwardReferral) -> Entry:
    lines: list[tuple[str | Promise, str]] = []
    detail = getattr(r, "detail", None)
    case = getattr(r, "interface_case", None)
    if detail is not None:
        lines += [
            (_("Criteria met"), "; ".join(_criteria_labels(r.subspecialty, detail.criteria_met))),
            (_("Summary"), detail.summary),
        ]
    if case is not None:
        lines += [
            (_("MDT date"), f"{case.mdt_date:%d %b %Y}"),
            (_("Attendees"), case.attendees),
            (_("Discussion"), case.discussion),
            (_("Outcome"), label_of(INTERFACE_OUTCOMES, case.outcome)),
        ]
    kind = _("Interface clinic case") if case is not None else _("Onward referral")
    return Entry(
        r.referred_at,
        kind,
        f"{r.referral_id}: {SUBSPECIALTY_LABELS.get(r.subspecialty, r.subspecialty)}",
        tuple(lines),
    )


def _exit(request: Request) -> list[Entry]:
    exit_row = getattr(request, "exit", None)
    if exit_row is None:
        return []
    lines: list[tuple[str | Promise, str]] = [
        (_("Outcome"), str(OUTCOME_LABELS.get(exit_row.outcome or "", "")))
    ]
    if exit_row.window_ends:
        lines.append((_("Window ends"), f"{exit_row.window_ends:%d %b %Y}"))
    return [
        Entry(
            exit_row.exited_at,
            _("Exit"),
            str(EXIT_LABELS.get(exit_row.code, exit_row.code)),
            tuple(lines),
        )
    ]


def _criteria_labels(subspecialty: str, keys: list[str]) -> list[str]:
    options = ONWARD_CRITERIA.get(Subspecialty(subspecialty), ())
    return [label_of(options, key) for key in keys]
