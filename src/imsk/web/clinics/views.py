"""Staff pages of the clinics: the clinic list and day view, creating and cancelling clinics, the
waiting lists, booking, and appointment outcomes. Views parse input, call one service, render.

Access (``docs/clinics.md``): triage clinicians, clinicians and service managers of a service work
its clinics and waiting lists (book, record outcomes); only service managers create and cancel
clinics. Every other role gets 403. A clinic, request or appointment of another service or health
board is "not found" (404), so its existence is not revealed.
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from imsk.core.dataset.enums import ContactMode, ContactStatus
from imsk.web.accounts.models import Role, User
from imsk.web.accounts.permissions import can_view_records, role_required
from imsk.web.clinics import services
from imsk.web.clinics.errors import ClinicError, OutcomeError, SlotUnavailableError
from imsk.web.clinics.forms import (
    PATHWAY_LABELS,
    STATUS_LABELS,
    BookForm,
    ClinicForm,
    ModeFilterForm,
    OutcomeForm,
    PathwayForm,
)
from imsk.web.clinics.models import Clinic, Slot
from imsk.web.referrals.models import Contact, Request
from imsk.web.referrals.services import view_request

#: Rows of a waiting list shown on one page (the band summary counts them all).
WAITING_ROWS_SHOWN = 200


def works_clinics(user: User) -> bool:
    """Triage clinicians, clinicians and service managers of a service."""
    return (
        user.is_active and user.role_enum in services.BOOKING_ROLES and user.service_id is not None
    )


def manages_clinics(user: User) -> bool:
    return user.is_active and user.role == Role.SERVICE_MANAGER and user.service_id is not None


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # role_required has checked
    return user


def _today() -> date:
    return timezone.localdate(timezone.now(), services.LONDON)


def _clinic_or_404(user: User, pk: int) -> Clinic:
    clinic = Clinic.objects.select_related("service", "clinician").filter(pk=pk).first()
    if clinic is None or not can_view_records(user, clinic.service):
        raise Http404("no such clinic")
    return clinic


def _request_or_404(user: User, request_id: str) -> Request:
    found = Request.objects.select_related("service", "person").filter(request_id=request_id)
    item = found.first()
    if item is None or not can_view_records(user, item.service):
        raise Http404("no such request")
    return item


def _contact_or_404(user: User, contact_id: str) -> Contact:
    found = Contact.objects.select_related("request__service", "request__person")
    contact = found.filter(contact_id=contact_id).first()
    if contact is None or not can_view_records(user, contact.request.service):
        raise Http404("no such appointment")
    return contact


@role_required(works_clinics)
def clinic_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    start = _parse_date(request.GET.get("from", "")) or _today()
    clinics = list(
        Clinic.objects.filter(service_id=user.service_id, date__gte=start)
        .select_related("clinician")
        .order_by("date", "id")[:100]
    )
    counts = services.slots_of(clinics)
    rows = [(clinic, *counts.get(clinic.pk, (0, 0))) for clinic in clinics]
    context = {"rows": rows, "start": start, "can_manage": manages_clinics(user)}
    return render(request, "clinics/list.html", context)


def _parse_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


@role_required(manages_clinics)
@require_http_methods(["GET", "POST"])
def clinic_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    assert user.service is not None
    form = ClinicForm(request.POST if request.method == "POST" else None, service=user.service)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        new = services.NewClinic(
            service=user.service,
            date=data["date"],
            start=data["start"],
            slots=data["slots"],
            minutes=data["minutes"],
            band=data["band"],
            mode=ContactMode(data["mode"]),
            location=data["location"],
            clinician=data["clinician"],
            capacity=data["capacity"],
            confirm_non_working_day=data["confirm_non_working_day"],
        )
        try:
            clinic = services.create_clinic(user, new, today=_today())
        except ClinicError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Clinic created"))
            return redirect("clinics:detail", pk=clinic.pk)
    return render(request, "clinics/new.html", {"form": form})


@role_required(works_clinics)
def clinic_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    clinic = _clinic_or_404(user, pk)
    slots = services.view_clinic(user, clinic)
    now = timezone.now()
    context = {
        "clinic": clinic,
        "slots": slots,
        "now": now,
        "can_manage": manages_clinics(user) and not clinic.is_cancelled,
        "status_labels": STATUS_LABELS,
    }
    return render(request, "clinics/detail.html", context)


@role_required(manages_clinics)
@require_http_methods(["GET", "POST"])
def clinic_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    clinic = _clinic_or_404(user, pk)
    error = ""
    if request.method == "POST":
        try:
            cancelled = services.cancel_clinic(user, clinic, today=_today())
        except ClinicError as problem:
            error = problem.message
        else:
            messages.success(
                request,
                _("Clinic cancelled. %(count)s people are back on their waiting lists.")
                % {"count": len(cancelled)},
            )
            return redirect("clinics:detail", pk=clinic.pk)
    booked = clinic.slots.filter(contact__status=ContactStatus.BOOKED).count()
    context = {"clinic": clinic, "booked": booked, "error": error}
    return render(request, "clinics/cancel.html", context)


@role_required(works_clinics)
def waiting_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = PathwayForm(request.GET or None)
    pathway = form.chosen()
    listed = services.list_waiting(user, pathway, today=_today(), shown=WAITING_ROWS_SHOWN)
    context = {
        "form": form,
        "pathway": pathway,
        "pathway_label": PATHWAY_LABELS[pathway],
        "listed": listed,
        "entries": listed.entries[:WAITING_ROWS_SHOWN],
        "total": len(listed.entries),
        "shown": WAITING_ROWS_SHOWN,
    }
    return render(request, "clinics/waiting_list.html", context)


@role_required(works_clinics)
@require_http_methods(["GET", "POST"])
def book(request: HttpRequest, request_id: str) -> HttpResponse:
    user = _user(request)
    item = _request_or_404(user, request_id)
    mode_form = ModeFilterForm(request.GET or None)
    error = ""
    if request.method == "POST":
        form = BookForm(request.POST)
        slot = _offered_slot(item, form)
        try:
            if slot is None:
                raise SlotUnavailableError("slot", _("Choose a time from the list"))
            contact = services.book(user, item, slot)
        except ClinicError as problem:
            error = problem.message
        else:
            messages.success(request, _("Appointment booked"))
            return redirect("clinics:appointment", contact_id=contact.contact_id)
    view_request(actor=user, request=item, details={"page": "book"})
    is_waiting = services.waiting_requests(item.service).filter(pk=item.pk).exists()
    times = services.free_times(item, now=timezone.now(), mode=mode_form.chosen())
    context = {
        "item": item,
        "is_waiting": is_waiting,
        "times": times,
        "mode_form": mode_form,
        "error": error,
        "kind": services.next_kind(item),
        "dna_count": services.dna_count(item),
        "needs_review": services.needs_review(item),
    }
    return render(request, "clinics/book.html", context)


def _offered_slot(item: Request, form: BookForm) -> Slot | None:
    if not form.is_valid():
        return None
    return (
        Slot.objects.filter(pk=form.cleaned_data["slot"], clinic__service_id=item.service_id)
        .select_related("clinic")
        .first()
    )


@role_required(works_clinics)
@require_http_methods(["GET", "POST"])
def appointment(request: HttpRequest, contact_id: str) -> HttpResponse:
    user = _user(request)
    contact = _contact_or_404(user, contact_id)
    error = ""
    if request.method == "POST":
        form = OutcomeForm(request.POST)
        try:
            if not form.is_valid():
                raise OutcomeError("status", _("Choose an outcome"))
            services.record_outcome(user, contact, ContactStatus(form.cleaned_data["status"]))
        except ClinicError as problem:
            error = problem.message
        else:
            messages.success(request, _("Outcome recorded"))
            return redirect("clinics:appointment", contact_id=contact.contact_id)
    services.view_contact(user, contact)
    slot = Slot.objects.filter(contact=contact).select_related("clinic").first()
    is_waiting = services.waiting_requests(contact.request.service).filter(pk=contact.request_id)
    context = {
        "contact": contact,
        "slot": slot,
        "error": error,
        "status_label": STATUS_LABELS[ContactStatus(contact.status)],
        "has_started": contact.scheduled_at <= timezone.now(),
        "is_booked": contact.status == ContactStatus.BOOKED,
        "can_rebook": is_waiting.exists(),
        "dna_count": services.dna_count(contact.request),
        "needs_review": services.needs_review(contact.request),
    }
    return render(request, "clinics/appointment.html", context)
