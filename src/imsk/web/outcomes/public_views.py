"""Pages a patient opens without signing in: a questionnaire by one-time link, and the services'
self-management resources.

A questionnaire link shows one instrument per page (NHS.UK radios), then "check your answers", then
a thank-you page. Until the patient submits, answers live only in their session (under the link's
digest, never the token); submitting stores them and closes the link. A wrong token is "page not
found"; a used or expired link says so plainly. None of these three writes anything. The pages
of a link are never cached (``never_cache``), so answers do not linger on a shared computer.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import never_cache

from imsk.core.errors import ScoringError
from imsk.web.outcomes import questionnaires, services
from imsk.web.outcomes.errors import LinkError, LinkExpiredError, LinkNotFoundError, OutcomesError
from imsk.web.outcomes.forms import (
    QuestionnaireForm,
    answers_from_session,
    answers_to_session,
    item_field,
)
from imsk.web.outcomes.models import Invitation, Resource

SESSION_KEY = "imsk_questionnaire"


def _language() -> str:
    return (translation.get_language() or "en")[:2]


def _unusable(request: HttpRequest, error: LinkError) -> HttpResponse:
    if isinstance(error, LinkNotFoundError):
        raise Http404("no such questionnaire link")
    expired = isinstance(error, LinkExpiredError)
    return render(request, "outcomes/questionnaire/unusable.html", {"expired": expired}, status=410)


def _stored(request: HttpRequest, token: str) -> dict[str, Any]:
    """The answers given so far on this link (empty for another link's session)."""
    state = request.session.get(SESSION_KEY)
    digest = services.token_digest(token)
    if not isinstance(state, dict) or state.get("digest") != digest:
        return {}
    answers = state.get("answers", {})
    return answers if isinstance(answers, dict) else {}


def _keep(request: HttpRequest, token: str, answers: dict[str, Any]) -> None:
    request.session[SESSION_KEY] = {"digest": services.token_digest(token), "answers": answers}


@never_cache
def start(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = services.open_link(token)
    except LinkError as error:
        return _unusable(request, error)
    context = _common(invitation, token)
    return render(request, "outcomes/questionnaire/start.html", context)


def _common(invitation: Invitation, token: str) -> dict[str, Any]:
    language = _language()
    found = questionnaires.wording()
    return {
        "invitation": invitation,
        "token": token,
        "service_name": invitation.request.service.name,
        "placeholder": found.placeholder,
        "notice": questionnaires.in_language(found.notice, language),
        "titles": [
            questionnaires.in_language(found.questionnaires[name].title, language)
            for name in invitation.instruments
        ],
        "first": invitation.instruments[0],
    }


@never_cache
def page(request: HttpRequest, token: str, instrument: str) -> HttpResponse:
    try:
        invitation = services.open_link(token)
    except LinkError as error:
        return _unusable(request, error)
    if instrument not in invitation.instruments:
        raise Http404("this link has no such questionnaire")
    found = questionnaires.questionnaire(instrument)
    stored = _stored(request, token)
    initial = _initial(found, stored.get(instrument))
    form = QuestionnaireForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        questionnaire=found,
        language=_language(),
    )
    if request.method == "POST" and form.is_valid():
        stored[instrument] = answers_to_session(form.answers())
        _keep(request, token, stored)
        return redirect(_next_step(invitation, token, stored))
    number = invitation.instruments.index(instrument) + 1
    context = {
        **_common(invitation, token),
        "form": form,
        "title": questionnaires.in_language(found.title, _language()),
        "intro": questionnaires.in_language(found.intro, _language()),
        "number": number,
        "count": len(invitation.instruments),
    }
    return render(request, "outcomes/questionnaire/page.html", context)


def _initial(found: questionnaires.Questionnaire, stored: object) -> dict[str, Any]:
    if not isinstance(stored, dict):
        return {}
    codes = stored.get("codes", {})
    initial: dict[str, Any] = {item_field(item): codes.get(item.id) for item in found.items}
    initial.update({"vas": stored.get("vas"), "comment": stored.get("comment", "")})
    return initial


def _next_step(invitation: Invitation, token: str, stored: dict[str, Any]) -> str:
    for name in invitation.instruments:
        if name not in stored:
            return reverse("outcomes_public:page", args=[token, name])
    return reverse("outcomes_public:check", args=[token])


@never_cache
def check(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = services.open_link(token)
    except LinkError as error:
        return _unusable(request, error)
    stored = _stored(request, token)
    missing = [name for name in invitation.instruments if name not in stored]
    if missing:
        return redirect("outcomes_public:page", token=token, instrument=missing[0])
    answers = [answers_from_session(name, stored[name]) for name in invitation.instruments]
    refused = ""
    if request.method == "POST":
        try:
            services.complete_link(token, answers)
        except LinkError as problem:
            return _unusable(request, problem)
        except (ScoringError, OutcomesError) as problem:
            refused = str(problem)
        else:
            request.session.pop(SESSION_KEY, None)
            return redirect("outcomes_public:done")
    context = {**_common(invitation, token), "sections": _summary(answers), "error": refused}
    return render(request, "outcomes/questionnaire/check.html", context)


def _summary(answers: list[questionnaires.Answers]) -> list[dict[str, Any]]:
    language = _language()
    sections = []
    for answer in answers:
        found = questionnaires.questionnaire(answer.instrument)
        rows: list[tuple[str, object]] = []
        for item in found.items:
            code = answer.codes.get(item.id)
            labels = {o.code: questionnaires.in_language(o.label, language) for o in item.options}
            rows.append((questionnaires.in_language(item.text, language), labels.get(code or "")))
        if found.vas is not None:
            rows.append((questionnaires.in_language(found.vas, language), answer.vas))
        if found.comment is not None:
            rows.append((questionnaires.in_language(found.comment, language), answer.comment))
        title = questionnaires.in_language(found.title, language)
        sections.append({"instrument": answer.instrument, "title": title, "rows": rows})
    return sections


def done(request: HttpRequest) -> HttpResponse:
    return render(request, "outcomes/questionnaire/done.html")


def resources(request: HttpRequest) -> HttpResponse:
    shown = Resource.objects.filter(published=True).select_related("service")
    language = _language()
    rows = [
        {
            "resource": resource,
            "title": resource.title_in(language),
            "summary": resource.summary_in(language),
        }
        for resource in shown.order_by("service__name", "title")
    ]
    return render(request, "outcomes/public/resources.html", {"rows": rows})


def resource(request: HttpRequest, service_id: str, slug: str) -> HttpResponse:
    found = get_object_or_404(
        Resource.objects.select_related("service"),
        service_id=service_id,
        slug=slug,
        published=True,
    )
    services.count_hit(found)
    language = _language()
    context = {
        "resource": found,
        "title": found.title_in(language),
        "summary": found.summary_in(language),
        "body": found.body_in(language),
    }
    return render(request, "outcomes/public/resource.html", context)
