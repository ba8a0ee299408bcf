"""Forms of the clinics pages: they parse input; the rules live in :mod:`imsk.web.clinics.services`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from imsk.core.dataset.enums import ContactMode, ContactStatus, Pathway
from imsk.web.accounts.models import Service, User
from imsk.web.clinics.models import MAX_GROUP_CAPACITY, MAX_SLOTS_PER_CLINIC
from imsk.web.clinics.services import BOOKABLE_PATHWAYS, CLINIC_STAFF_ROLES

MODE_LABELS = {
    ContactMode.IN_PERSON: _("In person"),
    ContactMode.VIDEO: _("Video"),
    ContactMode.TELEPHONE: _("Telephone"),
    ContactMode.GROUP: _("Group"),
}
PATHWAY_LABELS = {
    Pathway.ASSESS_AND_SUPPORT: _("Assess and support"),
    Pathway.SUPPORTED_HIGH_RISK: _("Supported high risk"),
    Pathway.SUBSPECIALTY: _("Subspecialty"),
}
STATUS_LABELS = {
    ContactStatus.BOOKED: _("Booked"),
    ContactStatus.ATTENDED: _("Attended"),
    ContactStatus.DID_NOT_ATTEND: _("Did not attend"),
    ContactStatus.PATIENT_CANCELLED: _("Cancelled by the patient"),
    ContactStatus.SERVICE_CANCELLED: _("Cancelled by the service"),
}
SLOT_MINUTES = (10, 15, 20, 30, 40, 45, 60, 90, 120)


class DateInput(forms.DateInput):
    input_type = "date"


class TimeInput(forms.TimeInput):
    input_type = "time"


class ClinicForm(forms.Form):
    """A new clinic: when, how many slots of what length, at what band, in what mode, where."""

    date = forms.DateField(label=_("Date"), widget=DateInput(format="%Y-%m-%d"))
    start = forms.TimeField(
        label=_("Start time"), widget=TimeInput(format="%H:%M"), help_text=_("For example, 09:00")
    )
    slots = forms.IntegerField(
        label=_("Number of slots"), min_value=1, max_value=MAX_SLOTS_PER_CLINIC
    )
    minutes = forms.TypedChoiceField(
        label=_("Slot length"),
        coerce=int,
        choices=[(m, _("%(minutes)s minutes") % {"minutes": m}) for m in SLOT_MINUTES],
        initial=30,
    )
    band = forms.TypedChoiceField(
        label=_("Band of the clinician"),
        coerce=int,
        choices=[(b, _("Band %(band)s") % {"band": b}) for b in range(5, 9)],
        initial=6,
        help_text=_("People triaged to this band or a lower one can be booked into the clinic."),
    )
    mode = forms.ChoiceField(
        label=_("Mode"), choices=list(MODE_LABELS.items()), widget=forms.RadioSelect
    )
    capacity = forms.IntegerField(
        label=_("Places at each time"),
        min_value=1,
        max_value=MAX_GROUP_CAPACITY,
        initial=1,
        help_text=_("1, unless this is a group clinic."),
    )
    location = forms.CharField(label=_("Location"), max_length=200)
    clinician = forms.ModelChoiceField(
        label=_("Clinician (optional)"), queryset=User.objects.none(), required=False
    )
    confirm_non_working_day = forms.BooleanField(
        label=_("Hold the clinic even if the date is a weekend or bank holiday"), required=False
    )

    def __init__(self, *args: Any, service: Service, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["clinician"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = User.objects.filter(
            service=service, role__in=[role.value for role in CLINIC_STAFF_ROLES], is_active=True
        ).order_by("full_name")
        field.empty_label = _("Not named yet")


class PathwayForm(forms.Form):
    """Which pathway's waiting list to show."""

    pathway = forms.ChoiceField(
        label=_("Pathway"),
        choices=[(p.value, PATHWAY_LABELS[p]) for p in BOOKABLE_PATHWAYS],
        required=False,
    )

    def chosen(self) -> Pathway:
        if self.is_valid() and self.cleaned_data["pathway"]:
            return Pathway(self.cleaned_data["pathway"])
        return BOOKABLE_PATHWAYS[0]


class ModeFilterForm(forms.Form):
    """Narrow the free slots to one mode."""

    mode = forms.ChoiceField(
        label=_("Mode"),
        choices=[("", _("Any mode")), *MODE_LABELS.items()],
        required=False,
    )

    def chosen(self) -> ContactMode | None:
        if self.is_valid() and self.cleaned_data["mode"]:
            return ContactMode(self.cleaned_data["mode"])
        return None


class BookForm(forms.Form):
    """The slot chosen (its id; the view checks it is one offered)."""

    slot = forms.IntegerField(widget=forms.HiddenInput)


class OutcomeForm(forms.Form):
    """The outcome of a booked appointment."""

    status = forms.ChoiceField(
        choices=[(s.value, STATUS_LABELS[s]) for s in ContactStatus if s != ContactStatus.BOOKED]
    )
