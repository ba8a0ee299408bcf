"""Audit search and export, for administrators only (403 for every other role)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from imsk.web.accounts.models import User
from imsk.web.accounts.permissions import can_search_audit, role_required
from imsk.web.audit import services
from imsk.web.audit.forms import AuditSearchForm
from imsk.web.audit.search import SearchCriteria, search_events

PAGE_SIZE = 50


@require_GET
@role_required(can_search_audit)
def search(request: HttpRequest) -> HttpResponse:
    form = AuditSearchForm(request.GET or None)
    page = None
    if not form.is_bound or form.is_valid():
        criteria = form.criteria() if form.is_bound else SearchCriteria()
        events = search_events(_user(request), criteria)
        page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "filters": list(query.lists()),
    }
    return render(request, "audit/search.html", context)


@require_POST
@role_required(can_search_audit)
def export(request: HttpRequest) -> HttpResponseBase:
    form = AuditSearchForm(request.POST)
    if not form.is_valid():
        return render(request, "audit/search.html", {"form": form, "page": None}, status=400)
    criteria = form.criteria()
    user = _user(request)
    exported = services.export_csv_rows(
        search_events(user, criteria), actor=user, filters=criteria.as_filters()
    )
    response = StreamingHttpResponse(services.csv_lines(exported.rows), content_type="text/csv")
    stamp = timezone.localtime(exported.event.occurred_at).strftime("%Y%m%d-%H%M%S")
    response["Content-Disposition"] = f'attachment; filename="imsk-audit-{stamp}.csv"'
    return response


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # role_required let only signed-in users through
    return user
