"""Pages of the care record: the timeline of one request and a form for each clinical action.

Access (``docs/consultations-and-exits.md``): clinicians of the request's service record; triage
clinicians and service managers of that service read the record; referrers, analysts,
administrators and patients have no access (403); another service's or health board's request is
"not found" (404), so its existence is not revealed. Every page that shows a record audits the view.
Views parse input, call one service and render; a service error becomes a form error on its field.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms as django_forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from imsk.core.codes import ExitCode
from imsk.web.accounts.models import Role, User
from imsk.web.accounts.permissions import can_view_records, role_required
from imsk.web.consultations import forms, services
from imsk.web.consultations.models import Escalation
from imsk.web.consultations.timeline import timeline
from imsk.web.consultations.windows import WINDOW_CODES, is_return_allowed
from imsk.web.referrals.errors import ReferralError
from imsk.web.referrals.models import Exit, Request, Status

#: Roles that read the care record of their own service, and the one that writes it.
READERS = frozenset({Role.CLINICIAN, Role.TRIAGE_CLINICIAN, Role.SERVICE_MANAGER})
WRITERS = frozenset({Role.CLINICIAN})


def reads_care_record(user: User) -> bool:
    return user.is_active and user.role in READERS and user.service_id is not None


def writes_care_record(user: User) -> bool:
    return user.is_active and user.role in WRITERS and user.service_id is not None


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # role_required has checked
    return user


def _found(user: User, request_id: str) -> Request:
    found = (
        Request.objects.select_related("service", "person", "returned_from")
        .filter(request_id=request_id)
        .first()
    )
    if found is None or not can_view_records(user, found.service):
        raise Http404("no such request")
    return found


def _exit_of(item: Request) -> Exit | None:
    return Exit.objects.filter(request=item).first()


def _can_return(exit_row: Exit | None) -> bool:
    return (
        exit_row is not None
        and exit_row.code in WINDOW_CODES
        and is_return_allowed(
            window_ends=exit_row.window_ends,
            is_used=exit_row.window_closed_at is not None,
            today=services.london_today(),
        )
    )


@role_required(reads_care_record)
def record(request: HttpRequest, request_id: str) -> HttpResponse:
    user = _user(request)
    item = _found(user, request_id)
    services.view_record(actor=user, request=item, page="care_record")
    exit_row = _exit_of(item)
    context = {
        "item": item,
        "entries": timeline(item),
        "exit": exit_row,
        "can_write": writes_care_record(user) and item.status != Status.CLOSED,
        "can_return": writes_care_record(user) and _can_return(exit_row),
        "returns": list(item.returns.order_by("received_at")),
        "is_me": user.pk,
    }
    return render(request, "consultations/record.html", context)


Perform = Callable[[User, Request, Any], tuple[str, str | Promise]]


def _form_page(
    request: HttpRequest,
    request_id: str,
    *,
    page: str,
    title: str | Promise,
    build: Callable[[Any, Request], django_forms.Form],
    perform: Perform,
    intro: str | Promise = "",
) -> HttpResponse:
    """A form page of one action: GET shows it, POST performs it and returns to the record."""
    user = _user(request)
    item = _found(user, request_id)
    form = build(request.POST if request.method == "POST" else None, item)
    if request.method == "POST" and form.is_valid():
        try:
            target, message = perform(user, item, form)
        except ReferralError as error:
            _add_error(form, error)
        else:
            messages.success(request, str(message))
            return redirect("consultations:record", request_id=target)
    services.view_record(actor=user, request=item, page=page)
    context = {"item": item, "form": form, "title": title, "intro": intro, "layout": _layout(form)}
    return render(request, "consultations/form.html", context)


#: Service error fields that a form shows as a date input (its day field takes the message).
_FORM_FIELD = {"window_ends": "window_day", "mdt_date": "mdt_day"}


def _add_error(form: django_forms.Form, error: ReferralError) -> None:
    field = _FORM_FIELD.get(error.field, error.field)
    name = field if field in form.fields else None
    form.add_error(name, error.message)


def _layout(form: django_forms.Form) -> list[dict[str, Any]]:
    """The form's fields in order, with each ``<x>_day/_month/_year`` trio as one date input."""
    legends: dict[str, Any] = getattr(form, "date_legends", {})
    items: list[dict[str, Any]] = []
    for bound in form.visible_fields():
        if bound.name.endswith(("_month", "_year")):
            continue
        if bound.name.endswith("_day"):
            prefix = bound.name.removesuffix("_day")
            items.append(
                {
                    "legend": legends.get(prefix, ""),
                    "day": bound,
                    "month": form[f"{prefix}_month"],
                    "year": form[f"{prefix}_year"],
                }
            )
        else:
            items.append({"field": bound})
    return items


@role_required(writes_care_record)
def consultation(request: HttpRequest, request_id: str) -> HttpResponse:
    def perform(user: User, item: Request, form: Any) -> tuple[str, str | Promise]:
        data = form.cleaned_data
        given = services.ConsultationInput(
            contact=form.chosen_contact(),
            **{
                k: data[k]
                for k in services.ConsultationInput.__dataclass_fields__
                if k != "contact"
            },
        )
        services.record_consultation(actor=user, request=item, given=given)
        return item.request_id, _("Consultation recorded")

    return _form_page(
        request,
        request_id,
        page="consultation",
        title=_("Record a consultation"),
        build=lambda data, item: forms.ConsultationForm(data, request=item),
        perform=perform,
    )


@role_required(writes_care_record)
def condition_code(request: HttpRequest, request_id: str) -> HttpResponse:
    def perform(user: User, item: Request, form: Any) -> tuple[str, str | Promise]:
        services.update_condition_code(actor=user, request=item, code=form.cleaned_data["code"])
        return item.request_id, _("Condition code updated")

    return _form_page(
        request,
        request_id,
        page="condition_code",
        title=_("Update the condition code"),
        intro=_("The new code is added to the history; earlier codes are kept."),
        build=lambda data, item: forms.ConditionCodeForm(data),
        perform=perform,
    )


@role_required(writes_care_record)
def activity(request: HttpRequest, request_id: str) -> HttpResponse:
    def perform(user: User, item: Request, form: Any) -> tuple[str, str | Promise]:
        services.record_activity(
            actor=user, request=item, code=form.cleaned_data["code"], contact=form.chosen_contact()
        )
        return item.request_id, _("Activity recorded")

    return _form_page(
        request,
        request_id,
        page="activity",
        title=_("Record an activity"),
        build=lambda data, item: forms.ActivityForm(data, request=item),
        perform=perform,
    )


@role_required(writes_care_record)
def escalate(request: HttpRequest, request_id: str) -> HttpResponse:
    def perform(user: User, item: Request, form: Any) -> tuple[str, str | Promise]:
        data = form.cleaned_data
        services.raise_escalation(
            actor=user, request=item, to=data["to_clinician"], reason=data["reason"]
        )
        return item.request_id, _("Escalated to a senior clinician")

    def build(data: Any, item: Request) -> django_forms.Form:
        seniors = services.senior_clinicians(item.service, excluding=_user(request))
        return forms.EscalationForm(data, seniors=seniors)

    return _form_page(
        request,
        request_id,
        page="escalate",
        title=_("Escalate to a senior clinician"),
        intro=_(
            "Ask a clinician of band 7 or above in this service for advice, without a referral."
        ),
        build=build,
        perform=perform,
    )


@role_required(writes_care_record)
def respond(request: HttpRequest, request_id: str, escalation_id: int) -> HttpResponse:
    user = _user(request)
    item = _found(user, request_id)
    escalation = Escalation.objects.filter(pk=escalation_id, request=item).first()
    if escalation is None:
        raise Http404("no such escalation")
    if escalation.to_clinician_id != user.pk:
        raise PermissionDenied

    def perform(user: User, item: Request, form: Any) -> tuple[str, str | Promise]:
        services.respond_to_escalation(
            actor=user, escalation=escalation, response=form.cleaned_data["response"]
        )
        return item.request_id, _("Advice recorded")

    return _form_page(
        request,
        request_id,
        page="escalation_response",
        title=_("Respond to an escalation"),
        intro=escalation.reason,
        build=lambda data, item: forms.EscalationResponseForm(data),
        perform=perform,
    )


@role_required(writes_care_record)
def onward_referral(request: HttpRequest, request_id: str) -> HttpResponse:
    def perform(user: User, item: Request, form: Any) -> tuple[str, str | Promise]:
        services.refer_onward(
            actor=user,
            request=item,
            subspecialty=form.cleaned_data["subspecialty"],
            criteria_met=form.criteria_for_subspecialty(),
            summary=form.cleaned_data["summary"],
        )
        return item.request_id, _("Onward referral recorded")

    return _form_page(
        request,
        request_id,
        page="onward_referral",
        title=_("Refer on to a subspecialty"),
        intro=_(
            "For a direct referral every criterion of the subspecialty must be met. Otherwise "
            "discuss the case at the subspecialty interface clinic."
        ),
        build=lambda data, item: forms.OnwardReferralForm(data),
        perform=perform,
    )


@role_required(writes_care_record)
def interface_case(request: HttpRequest, request_id: str) -> HttpResponse:
    def perform(user: User, item: Request, form: Any) -> tuple[str, str | Promise]:
        data = form.cleaned_data
        given = services.InterfaceCaseInput(
            subspecialty=data["subspecialty"],
            mdt_date=data["mdt_date"],
            attendees=data["attendees"],
            discussion=data["discussion"],
            outcome=data["outcome"],
        )
        services.record_interface_case(actor=user, request=item, given=given)
        return item.request_id, _("Interface clinic case recorded")

    return _form_page(
        request,
        request_id,
        page="interface_case",
        title=_("Record a subspecialty interface clinic case"),
        intro=_(
            "Scheduling and clinical responsibility stay with the MSK service. Document the MDT "
            "discussion here."
        ),
        build=lambda data, item: forms.InterfaceCaseForm(data),
        perform=perform,
    )


@role_required(writes_care_record)
def exit_view(request: HttpRequest, request_id: str) -> HttpResponse:
    def perform(user: User, item: Request, form: Any) -> tuple[str, str | Promise]:
        services.record_exit(
            actor=user,
            request=item,
            code=ExitCode(form.cleaned_data["code"]),
            outcome=form.cleaned_data["outcome"],
            window_ends=form.cleaned_data["window_ends"],
        )
        return item.request_id, _("Exit recorded")

    return _form_page(
        request,
        request_id,
        page="exit",
        title=_("Record the exit"),
        intro=_(
            "See On Symptom and PIFU leave a window for the person to return without a new "
            "referral: %(sos)s days and %(pifu)s days unless you give another end date."
        )
        % {
            "sos": settings.IMSK_SOS_WINDOW_DAYS,
            "pifu": settings.IMSK_PIFU_WINDOW_DAYS,
        },
        build=lambda data, item: forms.ExitForm(data),
        perform=perform,
    )


@role_required(writes_care_record)
def return_view(request: HttpRequest, request_id: str) -> HttpResponse:
    def perform(user: User, item: Request, form: Any) -> tuple[str, str | Promise]:
        new = services.record_return(
            actor=user,
            old=item,
            red_flags=form.cleaned_data["red_flags"],
            notes=form.cleaned_data["notes"],
        )
        if new.status == Status.TRIAGED:
            return new.request_id, _("Return recorded: back on the previous pathway")
        return new.request_id, _("Return recorded: sent to the triage worklist")

    return _form_page(
        request,
        request_id,
        page="return",
        title=_("Record a return within the window"),
        build=lambda data, item: forms.ReturnForm(data),
        perform=perform,
    )


@role_required(writes_care_record)
def escalations(request: HttpRequest) -> HttpResponse:
    shown = services.list_escalations(actor=_user(request))
    return render(request, "consultations/escalations.html", {"escalations": shown})


@role_required(writes_care_record)
def return_link(request: HttpRequest, request_id: str) -> HttpResponse:
    """Create a single-use link for the person to return themselves; shown once, never stored."""
    user = _user(request)
    item = _found(user, request_id)
    link, refusal = "", ""
    if request.method == "POST":
        try:
            token = services.issue_return_link(actor=user, request=item)
        except ReferralError as error:
            refusal = error.message
        else:
            link = request.build_absolute_uri(reverse("care_return:start", args=[token]))
    services.view_record(actor=user, request=item, page="return_link")
    context = {"item": item, "link": link, "refusal": refusal}
    return render(request, "consultations/return_link.html", context)
