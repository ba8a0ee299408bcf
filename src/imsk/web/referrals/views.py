"""Staff pages of the single point of access: the professional request form, its acknowledgement,
and the list of requests received. Views parse input, call one service, render.

Access: the request form is for referrers; the list and a request's page are for the service roles
whose records scope reaches the request's service (``accounts.permissions``). A request of another
service, or of another health board, is "not found" (404), so its existence is not revealed.
"""

from __future__ import annotations

from datetime import date

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from imsk.web.accounts.models import Role, User
from imsk.web.accounts.permissions import Scope, can_view_records, policy_of, role_required
from imsk.web.referrals import services
from imsk.web.referrals.errors import ReferralError
from imsk.web.referrals.forms import ProfessionalRequestForm, red_flag_groups
from imsk.web.referrals.models import Channel, Request, Status

#: Form fields a service error may name (``facts.red_flags`` -> ``red_flags``).
_FIELD_FOR_ERROR = {
    "nhs_number": "nhs_number",
    "person.nhs_number": "nhs_number",
    "condition_code": "condition_code",
    "category": "category",
    "facts.red_flags": "red_flags",
    "age": "dob_day",
}


def is_referrer(user: User) -> bool:
    return user.is_active and user.role == Role.REFERRER and user.service_id is not None


def reads_service_records(user: User) -> bool:
    return user.is_active and policy_of(user).records is Scope.SERVICE


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # role_required has checked
    return user


@role_required(is_referrer)
def new_request(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = ProfessionalRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        today = timezone.localdate(timezone.now(), services.LONDON)
        born = form.clean_date_of_birth(today)
        if born is not None:
            created = _create(form, user, born)
            if created is not None:
                return redirect("referrals:detail", request_id=created.request_id)
    context = {"form": form, "red_flag_groups": red_flag_groups()}
    return render(request, "referrals/new_request.html", context)


def _create(form: ProfessionalRequestForm, user: User, born: date) -> Request | None:
    data = form.cleaned_data
    received_at = timezone.now()
    assert user.service is not None
    new = services.NewRequest(
        service=user.service,
        channel=Channel.WEB_FORM,
        source=data["source"],
        received_at=received_at,
        age=services.age_on(born, timezone.localdate(received_at, services.LONDON)),
        person=services.PersonDetails(
            nhs_number=data["nhs_number"], full_name=data["full_name"], date_of_birth=born
        ),
        category=data["category"],
        sex=data["sex"] or None,
        referrer_practice=data["referrer_practice"] or "",
        referrer_priority=data["referrer_priority"],
        condition_code=data["condition_code"] or None,
        free_text=data["free_text"],
        facts=form.facts(),
    )
    try:
        return services.create_request(new, actor=user)
    except ReferralError as error:
        form.add_error(_FIELD_FOR_ERROR.get(error.field), error.message)
        return None


@role_required(reads_service_records)
def request_list(request: HttpRequest) -> HttpResponse:
    shown = services.list_requests(actor=_user(request))
    return render(request, "referrals/list.html", {"requests": shown})


@role_required(reads_service_records)
def detail(request: HttpRequest, request_id: str) -> HttpResponse:
    user = _user(request)
    found = (
        Request.objects.select_related("service", "person").filter(request_id=request_id).first()
    )
    if found is None or not can_view_records(user, found.service):
        raise Http404("no such request")
    services.view_request(actor=user, request=found)
    codes = list(found.condition_codes.order_by("recorded_at", "id"))
    return render(
        request,
        "referrals/detail.html",
        {
            "item": found,
            "suggestion": found.triage_suggestion or {},
            "codes": codes,
            "actions": _next_steps(user, found),
        },
    )


def _next_steps(user: User, item: Request) -> list[tuple[str, str]]:
    """(label, link) of what the user may do next with the request, each app's own rule deciding.

    Imported here, not at the top: those apps import the referrals app.
    """
    from imsk.web.clinics.views import works_clinics
    from imsk.web.consultations.views import reads_care_record
    from imsk.web.outcomes.views import is_outcomes_clinician

    ref = item.request_id
    steps: list[tuple[str, str]] = []
    if user.role == Role.TRIAGE_CLINICIAN and item.status in (
        Status.RECEIVED,
        Status.AWAITING_INFORMATION,
    ):
        steps.append((_("Triage this request"), reverse("triage:screen", args=[ref])))
    if reads_care_record(user):
        steps.append((_("Care record"), reverse("consultations:record", args=[ref])))
    if works_clinics(user) and item.status == Status.TRIAGED:
        steps.append((_("Book an appointment"), reverse("clinics:book", args=[ref])))
    if is_outcomes_clinician(user):
        steps.append((_("Send a questionnaire"), reverse("outcomes:invite", args=[ref])))
        steps.append(
            (_("Enter a paper questionnaire"), reverse("outcomes:enter_choose", args=[ref]))
        )
    return steps
