"""The person's own return under an SOS or PIFU window, by the single-use link a clinician gave them.

No sign-in: the link's secret is the key. The person answers the same safety questions as the
self-referral (one page per red-flag group of the triage engine, most urgent first) and a "yes"
stops at once with the same urgent advice, keeping nothing (``docs/clinical-application.md``). Only
when every answer is "no" does the return go straight back to the previous pathway, as a clinician
would record it. An unknown, used or expired link is "not found", without saying which.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from imsk.core.triage import RED_FLAG_FLOOR, RedFlagGroup
from imsk.web.consultations import services
from imsk.web.consultations.errors import ReturnRefusedError
from imsk.web.consultations.models import ReturnLink
from imsk.web.referrals.forms import PATIENT_RED_FLAG_WORDING, SafetyForm, red_flag_groups
from imsk.web.referrals.self_referral import ADVICE, SAFETY_HEADINGS

SESSION_KEY = "imsk_care_return"
DONE_KEY = "imsk_care_return_done"


def _link(token: str) -> ReturnLink:
    link = services.usable_link(token)
    if link is None:
        raise Http404("no usable return link")
    return link


def _key(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _passed(request: HttpRequest, token: str) -> int:
    state = request.session.get(SESSION_KEY)
    if not isinstance(state, dict) or state.get("link") != _key(token):
        return -1
    return int(state.get("passed", 0))


def start(request: HttpRequest, token: str) -> HttpResponse:
    link = _link(token)
    if request.method == "POST":
        request.session[SESSION_KEY] = {"link": _key(token), "passed": 0}
        return redirect("care_return:safety", token=token, number=1)
    context = {"service": link.exit.request.service, "ends": link.exit.window_ends}
    return render(request, "consultations/public/start.html", context)


def safety(request: HttpRequest, token: str, number: int) -> HttpResponse:
    _link(token)
    groups = red_flag_groups()
    passed = _passed(request, token)
    if passed < 0:
        return redirect("care_return:start", token=token)
    if not 1 <= number <= len(groups) or passed < number - 1:
        return redirect("care_return:safety", token=token, number=passed + 1)
    group, flags = groups[number - 1]
    form = SafetyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        return _answered(request, token, number, group, form.cleaned_data["answer"])
    context: dict[str, Any] = {
        "form": form,
        "heading": SAFETY_HEADINGS[group],
        "symptoms": [PATIENT_RED_FLAG_WORDING[flag] for flag in flags],
        "number": number,
        "total": len(groups),
    }
    return render(request, "referrals/self/safety.html", context)


def _answered(
    request: HttpRequest, token: str, number: int, group: RedFlagGroup, answer: str
) -> HttpResponse:
    if answer == "yes":
        request.session.pop(SESSION_KEY, None)  # keep nothing: the person needs urgent care
        advice = ADVICE[RED_FLAG_FLOOR[group]]
        return render(request, "referrals/self/urgent.html", {"advice": advice})
    request.session[SESSION_KEY] = {"link": _key(token), "passed": number}
    if number < len(red_flag_groups()):
        return redirect("care_return:safety", token=token, number=number + 1)
    return redirect("care_return:confirm", token=token)


def confirm(request: HttpRequest, token: str) -> HttpResponse:
    link = _link(token)
    if _passed(request, token) < len(red_flag_groups()):
        return redirect("care_return:start", token=token)
    if request.method == "POST":
        try:
            new = services.return_by_link(token=token)
        except ReturnRefusedError:
            raise Http404("no usable return link") from None
        request.session.pop(SESSION_KEY, None)
        request.session[DONE_KEY] = new.request_id
        return redirect("care_return:done")
    return render(
        request, "consultations/public/confirm.html", {"service": link.exit.request.service}
    )


def done(request: HttpRequest) -> HttpResponse:
    reference = request.session.get(DONE_KEY)
    if not isinstance(reference, str):
        raise Http404("nothing sent")
    return render(request, "consultations/public/done.html", {"reference": reference})
