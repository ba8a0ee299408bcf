"""Staff pages of the outcomes app: invite a patient to questionnaires, enter a paper questionnaire,
record feedback, manage self-management resources. Views parse input, call one service, render.

Access (``accounts.permissions``): inviting and entering questionnaires is for the clinical roles
of the request's service (triage clinician, clinician, service manager); another service's or
board's request is "not found" (404). Feedback is recorded and read by clinicians and service
managers of their own service; resources are managed by service managers.
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from imsk.core.errors import ScoringError
from imsk.web.accounts.models import Role, Service, User
from imsk.web.accounts.permissions import can_view_records, role_required
from imsk.web.outcomes import questionnaires, services
from imsk.web.outcomes.errors import CompletedBeforeReceiptError, LinkUsedError
from imsk.web.outcomes.forms import (
    INSTRUMENT_TITLES,
    FeedbackFilterForm,
    FeedbackForm,
    InviteForm,
    ResourceForm,
    StaffEntryForm,
)
from imsk.web.outcomes.models import Invitation, Resource
from imsk.web.referrals.models import Request
from imsk.web.referrals.services import LONDON, view_request

#: Header links (``imsk.web.context_processors``), kept here so this app's catalogue translates them.
NAV_FEEDBACK = gettext_lazy("Feedback")
NAV_RESOURCES = gettext_lazy("Resources")
CLINICAL_ROLES = frozenset({Role.TRIAGE_CLINICIAN, Role.CLINICIAN, Role.SERVICE_MANAGER})
FEEDBACK_ROLES = frozenset({Role.CLINICIAN, Role.SERVICE_MANAGER})


def _in_service(user: User, roles: frozenset[Role]) -> bool:
    return user.is_active and user.service_id is not None and user.role in roles


def is_outcomes_clinician(user: User) -> bool:
    return _in_service(user, CLINICAL_ROLES)


def records_feedback(user: User) -> bool:
    return _in_service(user, FEEDBACK_ROLES)


def manages_resources(user: User) -> bool:
    return _in_service(user, frozenset({Role.SERVICE_MANAGER}))


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # role_required has checked
    return user


def _service(user: User) -> Service:
    assert user.service is not None  # the role checks require a service
    return user.service


def _language() -> str:
    return (translation.get_language() or "en")[:2]


def _request_for(user: User, request_id: str) -> Request:
    found = Request.objects.select_related("service", "person").filter(request_id=request_id)
    item = found.first()
    if item is None or not can_view_records(user, item.service):
        raise Http404("no such request")
    return item


def _midday(day: date) -> datetime:
    """A date given on a form, as midday London time (paper forms carry a date, not a time)."""
    return datetime.combine(day, time(12), tzinfo=LONDON)


def _link(request: HttpRequest, token: str) -> str:
    return request.build_absolute_uri(reverse("outcomes_public:start", args=[token]))


@role_required(is_outcomes_clinician)
def invite(request: HttpRequest, request_id: str) -> HttpResponse:
    user = _user(request)
    item = _request_for(user, request_id)
    form = InviteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        issued = services.create_invitation(
            actor=user,
            request=item,
            instruments=form.cleaned_data["instruments"],
            timepoint=form.cleaned_data["timepoint"],
        )
        sent = services.send_invitation(
            actor=user, issued=issued, link=_link(request, issued.token), language=_language()
        )
        _tell(request, sent)
        return redirect("outcomes:invite", request_id=item.request_id)
    view_request(actor=user, request=item, details={"page": "outcomes invitations"})
    context = {
        "item": item,
        "form": form,
        "invitations": item.invitations.all(),
        "titles": INSTRUMENT_TITLES,
    }
    return render(request, "outcomes/staff/invite.html", context)


def _tell(request: HttpRequest, invitation: Invitation) -> None:
    if invitation.send_error:
        messages.error(
            request,
            _("The invitation was saved but could not be sent: %(reason)s")
            % {"reason": invitation.send_error},
        )
    else:
        messages.success(request, _("Invitation sent to %(to)s") % {"to": invitation.sent_to})


@role_required(is_outcomes_clinician)
def resend(request: HttpRequest, request_id: str, pk: int) -> HttpResponse:
    user = _user(request)
    item = _request_for(user, request_id)
    invitation = get_object_or_404(Invitation, pk=pk, request=item)
    if request.method != "POST":
        return redirect("outcomes:invite", request_id=item.request_id)
    try:
        issued = services.renew_invitation(actor=user, invitation=invitation)
    except LinkUsedError:
        messages.error(request, _("This questionnaire has already been completed"))
        return redirect("outcomes:invite", request_id=item.request_id)
    sent = services.send_invitation(
        actor=user, issued=issued, link=_link(request, issued.token), language=_language()
    )
    _tell(request, sent)
    return redirect("outcomes:invite", request_id=item.request_id)


@role_required(is_outcomes_clinician)
def enter_choose(request: HttpRequest, request_id: str) -> HttpResponse:
    user = _user(request)
    item = _request_for(user, request_id)
    view_request(actor=user, request=item, details={"page": "outcomes entry"})
    measures = item.measures.select_related("scoring").order_by("-completed_at")
    context = {"item": item, "titles": INSTRUMENT_TITLES, "measures": measures}
    return render(request, "outcomes/staff/enter_choose.html", context)


@role_required(is_outcomes_clinician)
def enter(request: HttpRequest, request_id: str, instrument: str) -> HttpResponse:
    user = _user(request)
    item = _request_for(user, request_id)
    if instrument not in questionnaires.OFFERED:
        raise Http404("no such questionnaire")
    form = StaffEntryForm(
        request.POST if request.method == "POST" else None,
        questionnaire=questionnaires.questionnaire(instrument),
        language=_language(),
    )
    if request.method == "POST" and form.is_valid():
        completed = form.cleaned_data["completed_on"]
        try:
            services.enter_measure(
                actor=user,
                request=item,
                answers=form.answers(),
                timepoint=form.cleaned_data["timepoint"],
                completed_at=_midday(completed),
            )
        except CompletedBeforeReceiptError:
            form.add_error("completed_on", _("The date cannot be before the request was received"))
        except ScoringError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Questionnaire recorded"))
            return redirect("outcomes:enter_choose", request_id=item.request_id)
    context = {
        "item": item,
        "form": form,
        "title": INSTRUMENT_TITLES[instrument],
        "wording": questionnaires.wording(),
        "language": _language(),
    }
    return render(request, "outcomes/staff/enter.html", context)


@role_required(records_feedback)
def feedback_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = FeedbackFilterForm(request.GET or None)
    kind = form.cleaned_data["kind"] if form.is_valid() else ""
    rows = services.list_feedback(actor=user, service=_service(user), kind=kind)
    return render(
        request, "outcomes/staff/feedback_list.html", {"rows": rows, "form": form, "kind": kind}
    )


@role_required(records_feedback)
def feedback_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = FeedbackForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        received = data["received_on"]
        services.record_feedback(
            actor=user,
            service=_service(user),
            kind=data["kind"],
            nature=data["nature"],
            received_at=_midday(received),
            details=data["details"],
            response=data["response"],
        )
        messages.success(request, _("Feedback recorded"))
        return redirect("outcomes:feedback")
    return render(request, "outcomes/staff/feedback_new.html", {"form": form})


@role_required(manages_resources)
def resource_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    rows = Resource.objects.filter(service=_service(user)).order_by("title")
    return render(request, "outcomes/staff/resource_list.html", {"rows": rows})


@role_required(manages_resources)
def resource_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = _user(request)
    service = _service(user)
    resource = None if pk is None else get_object_or_404(Resource, pk=pk, service=service)
    form = ResourceForm(
        request.POST if request.method == "POST" else None,
        instance=resource,
        service_id=service.service_id,
    )
    if request.method == "POST" and form.is_valid():
        services.save_resource(
            actor=user, service=service, values=form.cleaned_data, resource=resource
        )
        messages.success(request, _("Resource saved"))
        return redirect("outcomes:resources")
    return render(
        request, "outcomes/staff/resource_form.html", {"form": form, "resource": resource}
    )
