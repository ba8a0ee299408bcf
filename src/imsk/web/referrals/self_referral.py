"""Patient self-referral to an MSK service: no sign-in, one question per page, Welsh and English.

Wales specification 2.3 lists self-referral among the routes into the single point of access. Safety
comes first: before anything else the person answers one question per red-flag group of the triage
engine (``imsk.core.triage.RED_FLAG_GROUPS``: suspected cauda equina syndrome, infection, fracture,
cancer, inflammatory arthritis). A "yes" stops the form at once and shows what to do now, chosen by
the engine's own floor for that group (``RED_FLAG_FLOOR``): emergency department for cauda equina
(GIRFT National Suspected Cauda Equina Syndrome Pathway 2023), GP the same day or NHS 111 Wales for
suspected infection, fracture or cancer (NICE NG59; IFOMPT 2020), GP soon for suspected inflammatory
arthritis (NICE NG100 1.1.1). Nothing is stored in the record when the form stops, and nothing at all
until the person ticks consent on the last page: until then the answers live only in their session.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from imsk.core.triage import RED_FLAG_FLOOR, Disposition, RedFlagGroup
from imsk.web.accounts.models import Service
from imsk.web.referrals import services
from imsk.web.referrals.errors import ReferralError
from imsk.web.referrals.forms import (
    PATIENT_RED_FLAG_WORDING,
    SAFETY_ORDER,
    AboutYouForm,
    ConsentForm,
    ContactForm,
    ImpactForm,
    ProblemForm,
    SafetyForm,
    red_flag_groups,
)
from imsk.web.referrals.models import Channel

SESSION_KEY = "imsk_self_referral"
DONE_KEY = "imsk_self_referral_done"


@dataclass(frozen=True)
class Advice:
    """What to do now, for one disposition floor."""

    heading: Promise
    action: Promise
    card: str  # NHS.UK care card: emergency, urgent or non-urgent


#: Urgent-care advice for each floor disposition of the red-flag groups (a test checks coverage).
ADVICE: dict[Disposition, Advice] = {
    Disposition.EMERGENCY_REDIRECT: Advice(
        _("Go to an emergency department (A&E) now"),
        _(
            "These symptoms can be a sign of cauda equina syndrome, which needs to be checked in "
            "hospital straight away. Do not wait for this service. If you cannot get to A&E, call "
            "999."
        ),
        "emergency",
    ),
    Disposition.URGENT_MEDICAL_REVIEW: Advice(
        _("Contact your GP surgery today"),
        _(
            "Ask for an urgent appointment today. If your GP surgery is closed, call NHS 111 Wales on "
            "111. Do not wait for this service."
        ),
        "urgent",
    ),
    Disposition.REDIRECT_RHEUMATOLOGY: Advice(
        _("Make an appointment with your GP"),
        _(
            "Ask to be seen within a few days, so they can refer you to a rheumatology clinic if "
            "needed. This service is not the right place for these symptoms."
        ),
        "non-urgent",
    ),
}

SAFETY_HEADINGS: dict[RedFlagGroup, Promise] = {
    RedFlagGroup.CAUDA_EQUINA: _("Do you have any of these new symptoms?"),
    RedFlagGroup.SUSPECTED_INFECTION: _("Do any of these apply to you?"),
    RedFlagGroup.SUSPECTED_FRACTURE: _("Did your pain start after an accident or fall?"),
    RedFlagGroup.SUSPECTED_CANCER: _("Do any of these apply to you?"),
    RedFlagGroup.INFLAMMATORY_ARTHRITIS: _("Do you have swollen joints?"),
}


@dataclass(frozen=True)
class Step:
    title: Promise
    form: type[forms.Form]
    template: str = "referrals/self/step.html"


STEPS: dict[str, Step] = {
    "about-you": Step(_("About you"), AboutYouForm, "referrals/self/about_you.html"),
    "contact": Step(_("How can we contact you?"), ContactForm),
    "problem": Step(_("Your problem"), ProblemForm),
    "impact": Step(_("How does it affect you?"), ImpactForm),
    "consent": Step(_("Check and send your request"), ConsentForm),
}
_ORDER = list(STEPS)


def _state(request: HttpRequest, service_id: str) -> dict[str, Any]:
    state = request.session.get(SESSION_KEY)
    if not isinstance(state, dict) or state.get("service_id") != service_id:
        raise Http404("start the self-referral from its first page")
    return state


def _save(request: HttpRequest, state: dict[str, Any]) -> None:
    request.session[SESSION_KEY] = state


def start(request: HttpRequest) -> HttpResponse:
    choices = list(Service.objects.order_by("name").values_list("service_id", "name"))
    form = _ServiceForm(request.POST if request.method == "POST" else None, choices=choices)
    if request.method == "POST" and form.is_valid():
        service_id = form.cleaned_data["service"]
        _save(request, {"service_id": service_id, "safety_passed": 0, "answers": {}})
        return redirect("self_referral:safety", service_id=service_id, number=1)
    return render(request, "referrals/self/start.html", {"form": form})


class _ServiceForm(forms.Form):
    service = forms.ChoiceField(
        label=_("Which MSK service do you want to refer yourself to?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select the MSK service for where you live"),
            "invalid_choice": _("Select the MSK service for where you live"),
        },
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["service"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices


def safety(request: HttpRequest, service_id: str, number: int) -> HttpResponse:
    state = _state(request, service_id)
    if not 1 <= number <= len(SAFETY_ORDER) or state["safety_passed"] < number - 1:
        return redirect("self_referral:safety", service_id=service_id, number=1)
    group, flags = red_flag_groups()[number - 1]
    form = SafetyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["answer"] == "yes":
            request.session.pop(SESSION_KEY, None)  # keep nothing: no consent, no record
            return redirect("self_referral:urgent", service_id=service_id, group=group.value)
        state["safety_passed"] = max(state["safety_passed"], number)
        _save(request, state)
        if number < len(SAFETY_ORDER):
            return redirect("self_referral:safety", service_id=service_id, number=number + 1)
        return redirect("self_referral:step", service_id=service_id, step=_ORDER[0])
    context = {
        "form": form,
        "heading": SAFETY_HEADINGS[group],
        "symptoms": [PATIENT_RED_FLAG_WORDING[flag] for flag in flags],
        "number": number,
        "total": len(SAFETY_ORDER),
    }
    return render(request, "referrals/self/safety.html", context)


def urgent(request: HttpRequest, service_id: str, group: str) -> HttpResponse:
    try:
        chosen = RedFlagGroup(group)
    except ValueError:
        raise Http404("no such group") from None
    advice = ADVICE[RED_FLAG_FLOOR[chosen]]
    return render(request, "referrals/self/urgent.html", {"advice": advice})


def step(request: HttpRequest, service_id: str, step: str) -> HttpResponse:
    state = _state(request, service_id)
    if step not in STEPS:
        raise Http404("no such step")
    if state["safety_passed"] < len(SAFETY_ORDER):
        return redirect("self_referral:safety", service_id=service_id, number=1)
    index = _ORDER.index(step)
    missing = [name for name in _ORDER[:index] if name not in state["answers"]]
    if missing:
        return redirect("self_referral:step", service_id=service_id, step=missing[0])
    spec = STEPS[step]
    form = spec.form(
        request.POST if request.method == "POST" else None, initial=state["answers"].get(step)
    )
    if request.method == "POST" and form.is_valid():
        answers = _clean_answers(form)
        if answers is not None:
            state["answers"][step] = answers
            _save(request, state)
            if step == "consent":
                return _submit(request, service_id, state)
            return redirect("self_referral:step", service_id=service_id, step=_ORDER[index + 1])
    context = {"form": form, "title": spec.title, "step": step}
    return render(request, spec.template, context)


def _clean_answers(form: forms.Form) -> dict[str, Any] | None:
    """The answers to keep in the session (JSON-ready); None when a late check failed."""
    answers = dict(form.cleaned_data)
    if isinstance(form, AboutYouForm):
        born = form.clean_date_of_birth(timezone.localdate(timezone.now(), services.LONDON))
        nhs = answers.get("nhs_number") or ""
        if nhs:
            try:
                answers["nhs_number"] = services.normalise_nhs_number(nhs)
            except ReferralError:
                form.add_error("nhs_number", _("Enter a valid NHS number, or leave it blank"))
        if born is None or form.errors:
            return None
        answers = {
            "full_name": answers["full_name"],
            "nhs_number": answers["nhs_number"] or None,
            "date_of_birth": born.isoformat(),
        }
    return answers


def _submit(request: HttpRequest, service_id: str, state: dict[str, Any]) -> HttpResponse:
    service = get_object_or_404(Service, service_id=service_id)
    answers = state["answers"]
    about, contact = answers["about-you"], answers["contact"]
    received_at = timezone.now()
    born = date.fromisoformat(about["date_of_birth"])
    new = services.NewRequest(
        service=service,
        channel=Channel.SELF_REFERRAL,
        source="self",
        received_at=received_at,
        age=services.age_on(born, timezone.localdate(received_at, services.LONDON)),
        person=services.PersonDetails(
            nhs_number=about["nhs_number"],
            full_name=about["full_name"],
            date_of_birth=born,
            phone=contact["phone"],
            email=contact["email"],
        ),
        body_area=answers["problem"]["body_area"],
        facts=dict.fromkeys(answers["impact"]["impact"], True),
    )
    created = services.create_request(new, actor=None, audit_details={"consent": True})
    request.session.pop(SESSION_KEY, None)
    request.session[DONE_KEY] = created.request_id
    return redirect("self_referral:done")


def done(request: HttpRequest) -> HttpResponse:
    reference = request.session.get(DONE_KEY)
    if not reference:
        return redirect("self_referral:start")
    return render(request, "referrals/self/done.html", {"reference": reference})
