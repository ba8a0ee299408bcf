"""Triage pages: the worklist, the triage screen, questions and answers, redirects and letters.

Access: triage clinicians of a service triage its requests; service managers of the service see the
worklist, the triage screens and the letters read-only (to watch deadlines), and may not decide.
Every other role gets 403; a request of another service or health board is "not found" (404).
Views parse input, call one service, render; service errors become form errors here, once.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from imsk.core.triage import Pathway, Priority
from imsk.web.accounts.models import User
from imsk.web.accounts.permissions import role_required
from imsk.web.referrals.services import LONDON
from imsk.web.triage import services
from imsk.web.triage.access import sees_worklist, triages
from imsk.web.triage.errors import NotOpenForTriageError, RequestNotFoundError, TriageError
from imsk.web.triage.forms import AllocationForm, AnswerForm, QuestionForm, RedirectForm
from imsk.web.triage.models import Addressee, Destination


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # role_required has checked
    return user


def _today() -> date:
    return timezone.localdate(timezone.now(), LONDON)


def _case(user: User, request_id: str) -> services.TriageCase:
    try:
        return services.open_case(actor=user, request_id=request_id, today=_today())
    except RequestNotFoundError:
        raise Http404("no such request") from None


def _apply_error(form: forms.Form, error: TriageError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


@role_required(sees_worklist)
def worklist(request: HttpRequest) -> HttpResponse:
    listed = services.worklist(
        actor=_user(request), page_number=request.GET.get("page"), today=_today()
    )
    return render(request, "triage/worklist.html", {"worklist": listed, "page": listed.page})


def _allocation_initial(case: services.TriageCase) -> dict[str, Any]:
    engine = case.engine
    if engine is None:
        return {}
    pathway = engine.pathway if engine.pathway is not Pathway.REDIRECTED else None
    return {"priority": engine.priority.value, "pathway": pathway, "band": engine.band or 6}


@role_required(sees_worklist)
def screen(request: HttpRequest, request_id: str) -> HttpResponse:
    user = _user(request)
    if request.method == "POST" and not triages(user):
        raise PermissionDenied
    case = _case(user, request_id)
    form = AllocationForm(
        request.POST if request.method == "POST" else None, initial=_allocation_initial(case)
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.allocate(actor=user, request_id=request_id, allocation=_allocation(form))
        except RequestNotFoundError:
            raise Http404("no such request") from None
        except TriageError as error:
            _apply_error(form, error)
            status = 409 if isinstance(error, NotOpenForTriageError) else 200
        else:
            messages.success(request, _("Triage decision recorded."))
            return redirect("triage:screen", request_id=request_id)
    context = {"case": case, "form": form, "can_decide": triages(user) and case.is_open}
    return render(request, "triage/screen.html", context, status=status)


def _override(data: dict[str, Any]) -> services.Override:
    return services.Override(
        reason=data["override_reason"],
        confirm_red_flag_downgrade=data["confirm_red_flag_downgrade"],
    )


def _allocation(form: AllocationForm) -> services.Allocation:
    data = form.cleaned_data
    return services.Allocation(
        priority=Priority(data["priority"]),
        pathway=Pathway(data["pathway"]),
        band=data["band"],
        condition_code=data["condition_code"],
        override=_override(data),
    )


@role_required(triages)
def redirect_request(request: HttpRequest, request_id: str) -> HttpResponse:
    user = _user(request)
    case = _case(user, request_id)
    initial: dict[str, Any] = {"letter_to": Addressee.REFERRER.value}
    if case.engine is not None:
        initial["priority"] = case.engine.priority.value
        if case.suggested_destination is not None:
            initial["destination"] = case.suggested_destination.value
    form = RedirectForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.redirect(actor=user, request_id=request_id, redirection=_redirect(form))
        except TriageError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("Redirect recorded. Print or send the letter."))
            return redirect("triage:letter", request_id=request_id)
    return render(request, "triage/redirect.html", {"case": case, "form": form})


def _redirect(form: RedirectForm) -> services.Redirect:
    data = form.cleaned_data
    return services.Redirect(
        destination=Destination(data["destination"]),
        destination_detail=data["destination_detail"],
        reason=data["reason"],
        letter_to=Addressee(data["letter_to"]),
        priority=Priority(data["priority"]),
        condition_code=data["condition_code"],
        override=_override(data),
    )


@role_required(triages)
def ask(request: HttpRequest, request_id: str) -> HttpResponse:
    user = _user(request)
    case = _case(user, request_id)
    form = QuestionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.ask_for_information(
                actor=user,
                request_id=request_id,
                asked_of=Addressee(form.cleaned_data["asked_of"]),
                question=form.cleaned_data["question"],
            )
        except TriageError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("Question recorded. The request is awaiting information."))
            return redirect("triage:screen", request_id=request_id)
    return render(request, "triage/ask.html", {"case": case, "form": form})


@role_required(triages)
def answer(request: HttpRequest, request_id: str, question_id: int) -> HttpResponse:
    user = _user(request)
    try:
        question = services.find_question(user, request_id, question_id)
    except RequestNotFoundError:
        raise Http404("no such question") from None
    case = _case(user, request_id)
    form = AnswerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_answer(
                actor=user,
                request_id=request_id,
                question_id=question_id,
                answer=form.cleaned_data["answer"],
            )
        except TriageError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("Answer recorded."))
            return redirect("triage:screen", request_id=request_id)
    context = {"case": case, "form": form, "question": question}
    return render(request, "triage/answer.html", context)


@role_required(sees_worklist)
def letter(request: HttpRequest, request_id: str) -> HttpResponse:
    user = _user(request)
    try:
        item, decision = services.letter(actor=user, request_id=request_id)
    except RequestNotFoundError:
        raise Http404("no such letter") from None
    context = {"item": item, "decision": decision, "today": _today()}
    return render(request, "triage/letter.html", context)
