"""Dashboard pages. Each view checks the role, then the data set, then the group, before any
figure is computed; figures come from :mod:`.services` and are narrowed by :mod:`.presentation`.

A data set the user is not offered is "not found" (404), so its existence is not disclosed; a group
of an offered data set outside the user's scope is "forbidden" (403).

Figures not yet kept are never computed in the request: the page asks :mod:`.jobs` for them and,
while their job runs, shows its progress instead (the page loads itself again every few seconds);
a failed job is shown with its error and a button to try again.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from imsk.analytics.kpis.inputs import Level, Period
from imsk.web.accounts.models import User
from imsk.web.accounts.permissions import role_required
from imsk.web.dashboard import access, exports, jobs, presentation, progress, sections, services
from imsk.web.dashboard.errors import UploadError
from imsk.web.dashboard.forms import LEVEL_LABELS, PeriodForm, UploadForm
from imsk.web.dashboard.models import DashboardDataset, FigureJob


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # role_required let only signed-in users through
    return user


def _offered(request: HttpRequest, pk: int) -> DashboardDataset:
    dataset = get_object_or_404(DashboardDataset, pk=pk)
    if not access.is_offered(_user(request), dataset):
        raise Http404
    return dataset


@require_GET
@role_required(access.can_use_dashboard)
def index(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    offered = [d for d in access.datasets_for(user) if access.is_offered(user, d)]
    return render(
        request,
        "dashboard/index.html",
        {"datasets": offered, "can_upload": access.can_upload(user)},
    )


@require_http_methods(["GET", "POST"])
@role_required(access.can_upload)
def upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        archive = form.cleaned_data["archive"]
        try:
            dataset = services.upload_dataset(
                actor=_user(request),
                stream=archive,
                size=archive.size,
                file_name=archive.name,
                label=form.cleaned_data["label"],
            )
        except UploadError as error:
            form.add_error("archive", _("The file was refused: %(why)s") % {"why": error})
        else:
            return redirect("dashboard:dataset", pk=dataset.pk)
    return render(request, "dashboard/upload.html", {"form": form})


@require_GET
@role_required(access.can_use_dashboard)
def dataset(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    data = _offered(request, pk)
    report = data.validation
    context: dict[str, Any] = {
        "dataset": data,
        "report": report,
        "show_findings": access.can_read_findings(user),
        "not_shown": _not_shown(report),
    }
    if data.is_valid:
        levels = _levels(user, data)
        context["form"] = PeriodForm(levels=levels, initial=_default_period(data, levels[0]))
    return render(request, "dashboard/dataset.html", context)


def _not_shown(report: dict[str, Any]) -> int:
    listed = len(report.get("findings", []))
    return sum(int(row["count"]) for row in report.get("counts", [])) - listed


def _levels(user: User, data: DashboardDataset) -> list[Level]:
    return [level for level in Level if access.visible_keys(user, data, level)]


def _default_period(data: DashboardDataset, level: Level) -> dict[str, Any]:
    """The twelve calendar months ending with the last date of receipt in the data set."""
    end = data.data_to or timezone.localdate()
    year, month = (end.year - 1, end.month + 1) if end.month < 12 else (end.year, 1)
    return {"start": date(year, month, 1), "end": end, "level": level.value}


def _period_form(request: HttpRequest, user: User, data: DashboardDataset) -> PeriodForm:
    levels = _levels(user, data)
    initial = _default_period(data, levels[0])
    source = request.GET if "start" in request.GET else QueryDict(mutable=True)
    if "start" not in request.GET:
        source.update({k: str(v) for k, v in initial.items()})
    return PeriodForm(source, levels=levels, initial=initial)


@require_GET
@role_required(access.can_use_dashboard)
def overview(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    data = _offered(request, pk)
    if not data.is_valid:
        return redirect("dashboard:dataset", pk=data.pk)
    form = _period_form(request, user, data)
    context: dict[str, Any] = {"dataset": data, "form": form}
    if form.is_valid():
        period, level = form.period(), form.cleaned_data["level"]
        job = jobs.request_figures(data, period, actor=user)
        if job is not None:
            context |= _computing(request, job)
            return render(request, "dashboard/overview.html", context)
        shown = presentation.shown_report(
            user,
            data,
            services.report_for(data, period, level),
            masked=lambda: services.masked_figures(data, period).reports[level],
        )
        rows = _group_rows(data, shown, level, period)
        context |= {
            "level": level,
            "level_label": LEVEL_LABELS[level],
            "table": sections.comparison(_("Headline KPIs by group"), rows),
            "chart": sections.waiting_comparison(rows),
            "suppressed": bool(shown.suppressed),
            "export": _export_fields(period, level, ""),
        }
    return render(request, "dashboard/overview.html", context)


def _group_rows(
    data: DashboardDataset, shown: presentation.ShownReport, level: Level, period: Period
) -> list[sections.GroupRow]:
    names = access.names(data)
    return [
        sections.GroupRow(
            key,
            _group_name(level, key, names),
            _group_url(data, level, key, period),
            shown.kpis(key) or {},
        )
        for key in shown.keys
    ]


def _group_name(level: Level, key: str, names: dict[str, str]) -> str:
    if level is Level.NATIONAL:
        return _("All services")
    if level is Level.HEALTH_BOARD:
        return _("Health board %(code)s") % {"code": key}
    return names.get(key, key)


def _group_url(data: DashboardDataset, level: Level, key: str, period: Period) -> str:
    url = reverse("dashboard:group", args=[data.pk, level.value, key])
    return f"{url}?start={period.start.isoformat()}&end={period.end.isoformat()}"


def _level_of(value: str) -> Level:
    try:
        return Level(value)
    except ValueError:
        raise Http404 from None


@require_GET
@role_required(access.can_use_dashboard)
def group(request: HttpRequest, pk: int, level: str, key: str) -> HttpResponse:
    user = _user(request)
    data = _offered(request, pk)
    if not data.is_valid:
        return redirect("dashboard:dataset", pk=data.pk)
    chosen = _level_of(level)
    if key not in access.group_keys(data, chosen):
        raise Http404
    if not access.can_see_group(user, data, chosen, key):
        raise PermissionDenied
    form = _period_form(request, user, data)
    names = access.names(data)
    context: dict[str, Any] = {
        "dataset": data,
        "form": form,
        "level": chosen,
        "key": key,
        "name": _group_name(chosen, key, names),
    }
    if form.is_valid():
        job = jobs.request_figures(data, form.period(), actor=user)
        if job is None:
            context |= _group_figures(user, data, chosen, key, form.period())
        else:
            context |= _computing(request, job)
    return render(request, "dashboard/group.html", context)


def _computing(request: HttpRequest, job: FigureJob) -> dict[str, Any]:
    """What a page shows in place of its figures while their job is queued, running or failed.

    The page loads itself again while the job is open, unless the reader turned that off
    (``refresh=off``; WCAG 2.2.1 asks that an automatic refresh can be turned off): then it offers
    a link to check again, and one to turn the refresh back on.
    """
    query = request.GET.copy()
    refreshing = query.pop("refresh", [""])[-1] != "off"
    on = f"{request.path}?{query.urlencode()}"
    query["refresh"] = "off"
    off = f"{request.path}?{query.urlencode()}"
    return {
        "job": progress.shown_job(job),
        "refresh_seconds": progress.REFRESH_SECONDS if refreshing else None,
        "refresh_on_url": on,
        "refresh_off_url": off,
        "return_to": on,
    }


def _group_figures(
    user: User, data: DashboardDataset, level: Level, key: str, period: Period
) -> dict[str, Any]:
    masks: list[services.Masked] = []

    def masked() -> services.Masked:
        if not masks:
            masks.append(services.masked_figures(data, period))
        return masks[0]

    shown = presentation.shown_report(
        user,
        data,
        services.report_for(data, period, level),
        keys=[key],
        masked=lambda: masked().reports[level],
    )
    trend = services.trend_for(data, period.end, level)
    position = {id(month): i for i, month in enumerate(trend)}
    months = sections.months_of(
        trend,
        lambda month: presentation.shown_report(
            user,
            data,
            month,
            keys=[key],
            masked=lambda: masked().months[level][position[id(month)]],
        ).kpis(key),
    )
    figures: dict[str, Any] = {
        "sections": sections.group_sections(shown.kpis(key) or {}, months),
        "suppressed": key in shown.suppressed,
        "breadcrumbs": _breadcrumbs(user, data, level, key, period),
        "export": _export_fields(period, level, key),
    }
    child_level, child_keys = access.children(data, level, key)
    visible = access.only_visible(user, data, child_level, child_keys) if child_level else []
    if child_level and visible:
        below = child_level
        children = presentation.shown_report(
            user,
            data,
            services.report_for(data, period, below),
            keys=visible,
            masked=lambda: masked().reports[below],
        )
        caption = _("Health boards") if child_level is Level.HEALTH_BOARD else _("Services")
        figures["children"] = sections.comparison(
            caption, _group_rows(data, children, child_level, period)
        )
        figures["children_caption"] = caption
    return figures


def _breadcrumbs(
    user: User, data: DashboardDataset, level: Level, key: str, period: Period
) -> list[tuple[str, str]]:
    """(name, link) of the groups above this one that the user may open."""
    trail: list[tuple[Level, str]] = []
    if level is not Level.NATIONAL:
        trail.append((Level.NATIONAL, access.NATIONAL_KEY))
    if level is Level.SERVICE:
        board = access.board_of(data, key)
        if board is not None:
            trail.append((Level.HEALTH_BOARD, board))
    names = access.names(data)
    return [
        (_group_name(up, up_key, names), _group_url(data, up, up_key, period))
        for up, up_key in trail
        if access.can_see_group(user, data, up, up_key)
    ]


def _export_fields(period: Period, level: Level, key: str) -> dict[str, str]:
    return {
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "level": level.value,
        "group": key,
    }


@require_POST
@role_required(access.can_use_dashboard)
def export(request: HttpRequest, pk: int, form: str) -> HttpResponse:
    user = _user(request)
    data = _offered(request, pk)
    if form not in exports.CONTENT_TYPES:
        raise Http404
    if not data.is_valid:
        raise PermissionDenied
    period_form = PeriodForm(request.POST, levels=list(Level))
    if not period_form.is_valid():
        return HttpResponse(_("The period or level is not valid."), status=400)
    period, level = period_form.period(), period_form.cleaned_data["level"]
    key = request.POST.get("group", "")
    keys = [key] if key else access.visible_keys(user, data, level)
    if not keys or not all(access.can_see_group(user, data, level, k) for k in keys):
        raise PermissionDenied
    if jobs.request_figures(data, period, actor=user) is not None:
        # Not computed yet: the page of these figures shows the job's progress.
        page = _group_url(data, level, key, period) if key else _overview_url(data, level, period)
        return redirect(page)
    shown = presentation.shown_report(
        user,
        data,
        services.report_for(data, period, level),
        keys,
        masked=lambda: services.masked_figures(data, period).reports[level],
    )
    services.record_export(
        data,
        actor=user,
        period=period,
        level=level,
        groups=shown.keys,
        form=form,
        suppressed=sorted(shown.suppressed),
    )
    body = exports.csv_bytes(shown.report) if form == "csv" else exports.xlsx_bytes(shown.report)
    response = HttpResponse(body, content_type=exports.CONTENT_TYPES[form])
    name = slugify(f"imsk-kpis-{level.value}-{key or 'all'}-{period.start}-{period.end}")
    response["Content-Disposition"] = f'attachment; filename="{name}.{form}"'
    return response


def _overview_url(data: DashboardDataset, level: Level, period: Period) -> str:
    url = reverse("dashboard:overview", args=[data.pk])
    return (
        f"{url}?start={period.start.isoformat()}&end={period.end.isoformat()}&level={level.value}"
    )


@require_POST
@role_required(access.can_use_dashboard)
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Try a failed computation of a period's figures again (a new job), then back to the page."""
    user = _user(request)
    data = _offered(request, pk)
    if not data.is_valid:
        raise PermissionDenied
    period_form = PeriodForm(request.POST, levels=list(Level))
    if not period_form.is_valid():
        return HttpResponse(_("The period or level is not valid."), status=400)
    jobs.request_figures(data, period_form.period(), actor=user, retry=True)
    return_to = request.POST.get("return_to", "")
    own_pages = reverse("dashboard:dataset", args=[data.pk])
    if not (
        return_to.startswith(own_pages)
        and url_has_allowed_host_and_scheme(return_to, allowed_hosts={request.get_host()})
    ):
        return_to = _overview_url(data, period_form.cleaned_data["level"], period_form.period())
    return redirect(return_to)
