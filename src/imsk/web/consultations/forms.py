"""Forms of the consultation record: validation at the edge, NHS.UK error messages.

Vocabularies come from their owners: activity and condition codes from the code lists in use,
subspecialties and exit outcomes from the data set enums, red flags from the triage engine, and
signposting and onward criteria from :mod:`imsk.web.consultations.registries`.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from django import forms
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from imsk.core.codes import ActivityKind, ExitCode
from imsk.core.dataset.enums import ExitOutcome, Subspecialty
from imsk.web.accounts.models import User
from imsk.web.consultations.models import WorkStatus
from imsk.web.consultations.registries import INTERFACE_OUTCOMES, ONWARD_CRITERIA, SIGNPOSTING
from imsk.web.consultations.services import activity_codes
from imsk.web.referrals.forms import RED_FLAG_LABELS
from imsk.web.referrals.models import Contact, Request
from imsk.web.referrals.services import LONDON, condition_codes

SUBSPECIALTY_LABELS: dict[str, Promise] = {
    Subspecialty.ORTHOPAEDICS: _("Orthopaedics"),
    Subspecialty.SPINAL: _("Spinal"),
    Subspecialty.RHEUMATOLOGY: _("Rheumatology"),
    Subspecialty.PERSISTENT_PAIN: _("Persistent pain"),
    Subspecialty.OTHER: _("Other subspecialty"),
}
EXIT_LABELS: dict[str, Promise] = {
    ExitCode.DISCHARGED: _("Discharged"),
    ExitCode.SEE_ON_SYMPTOM: _("See On Symptom (SOS): may return within the window"),
    ExitCode.PATIENT_INITIATED_FOLLOW_UP: _("Patient Initiated Follow-Up (PIFU)"),
    ExitCode.TRANSFERRED: _("Transferred to another service"),
    ExitCode.OTHER: _("Other"),
}
OUTCOME_LABELS: dict[str, Promise] = {
    ExitOutcome.RESOLVED: _("Resolved (recovered from a short-term condition)"),
    ExitOutcome.LIVING_WELL: _("Living well with a long-term condition"),
    ExitOutcome.OTHER: _("Other"),
}
KIND_LABELS: dict[ActivityKind, Promise] = {
    ActivityKind.INVESTIGATION: _("Investigation"),
    ActivityKind.INTERVENTION: _("Intervention"),
    ActivityKind.SUPPORTIVE: _("Supportive treatment"),
}


def _required(message: Promise) -> dict[str, Any]:
    return {"required": message, "invalid_choice": message}


def _set_choices(form: forms.Form, name: str, choices: list[tuple[str, str]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


if TYPE_CHECKING:
    _UserChoiceField = forms.ModelChoiceField[User]
else:
    _UserChoiceField = forms.ModelChoiceField  # not subscriptable at run time


class ClinicianChoiceField(_UserChoiceField):
    """A choice of clinician, shown by name."""

    def label_from_instance(self, obj: User) -> str:
        return obj.full_name


def _contact_choices(request: Request) -> list[tuple[str, str]]:
    contacts = Contact.objects.filter(request=request).order_by("scheduled_at")
    return [("", str(_("Not at a booked appointment")))] + [
        (c.contact_id, f"{timezone.localtime(c.scheduled_at, LONDON):%d %b %Y %H:%M} ({c.kind})")
        for c in contacts
    ]


class ContactMixin(forms.Form):
    """An optional booked appointment of this request."""

    contact = forms.ChoiceField(label=_("Appointment"), required=False)

    def __init__(self, *args: Any, request: Request, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        _set_choices(self, "contact", _contact_choices(request))

    def chosen_contact(self) -> Contact | None:
        contact_id = self.cleaned_data.get("contact") or ""
        return Contact.objects.filter(request=self.request, contact_id=contact_id).first()


class ConsultationForm(ContactMixin):
    """One consultation: notes, what matters, shared decision, work and signposting."""

    notes = forms.CharField(label=_("Clinical notes"), required=False, widget=forms.Textarea)
    what_matters = forms.CharField(
        label=_("What matters to the person"), required=False, widget=forms.Textarea
    )
    options_discussed = forms.CharField(
        label=_("Options discussed (shared decision making)"), required=False, widget=forms.Textarea
    )
    decision = forms.CharField(
        label=_("Decision reached together"), required=False, widget=forms.Textarea
    )
    work_status = forms.ChoiceField(
        label=_("Work status"),
        choices=WorkStatus.choices,
        initial=WorkStatus.NOT_APPLICABLE,
        error_messages=_required(_("Select the person's work status")),
    )
    fit_note_advice = forms.CharField(
        label=_("Fit note and work advice"), required=False, widget=forms.Textarea
    )
    signposting = forms.MultipleChoiceField(
        label=_("Signposted to"),
        choices=SIGNPOSTING,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    signposting_other = forms.CharField(
        label=_("Other support signposted (name the organisation)"),
        required=False,
        max_length=300,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        fields = ("notes", "what_matters", "options_discussed", "decision", "fit_note_advice")
        if not any(data.get(name) for name in fields):
            self.add_error("notes", _("Enter the clinical notes or what was discussed"))
        return data


class ActivityForm(ContactMixin):
    """An investigation, intervention or supportive treatment from the activity code list."""

    code = forms.ChoiceField(
        label=_("Activity"), error_messages=_required(_("Select the activity"))
    )

    def __init__(self, *args: Any, request: Request, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        choices: list[tuple[str, str]] = [("", str(_("Select")))]
        for entry in activity_codes():
            choices.append((entry.code, f"{KIND_LABELS[entry.kind]}: {entry.label}"))
        _set_choices(self, "code", choices)


class ConditionCodeForm(forms.Form):
    """A new condition code for the request's history."""

    code = forms.ChoiceField(
        label=_("Condition code"), error_messages=_required(_("Select the condition code"))
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", str(_("Select")))]
        choices += [(entry.code, f"{entry.code}: {entry.label}") for entry in condition_codes()]
        _set_choices(self, "code", choices)


class EscalationForm(forms.Form):
    """Escalate to a senior clinician of the service."""

    to_clinician = ClinicianChoiceField(
        label=_("Senior clinician"),
        queryset=User.objects.none(),
        empty_label=str(_("Select")),
        error_messages=_required(_("Select the senior clinician")),
    )
    reason = forms.CharField(
        label=_("What advice do you need?"),
        error_messages={"required": _("Enter what advice you need")},
        widget=forms.Textarea,
    )

    def __init__(self, *args: Any, seniors: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to_clinician"]
        assert isinstance(field, ClinicianChoiceField)
        field.queryset = seniors


class EscalationResponseForm(forms.Form):
    response = forms.CharField(
        label=_("Your advice"),
        error_messages={"required": _("Enter your advice")},
        widget=forms.Textarea,
    )


class OnwardReferralForm(forms.Form):
    """A direct onward referral: subspecialty, its criteria, the summary sent."""

    subspecialty = forms.ChoiceField(
        label=_("Subspecialty"),
        choices=list(SUBSPECIALTY_LABELS.items()),
        widget=forms.RadioSelect,
        error_messages=_required(_("Select the subspecialty")),
    )
    criteria_met = forms.MultipleChoiceField(
        label=_("Criteria met"),
        required=False,
        choices=[
            (f"{sub.value}:{key}", f"{SUBSPECIALTY_LABELS[sub]}: {label}")
            for sub, options in ONWARD_CRITERIA.items()
            for key, label in options
        ],
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Tick every criterion of the chosen subspecialty. These are the service's local "
            "criteria, pending clinical sign-off."
        ),
    )
    summary = forms.CharField(
        label=_("Referral summary sent (the referral data set)"),
        error_messages={"required": _("Enter the referral summary")},
        widget=forms.Textarea,
    )

    def criteria_for_subspecialty(self) -> list[str]:
        """The ticked criteria of the chosen subspecialty (others' ticks are ignored)."""
        chosen = self.cleaned_data["subspecialty"]
        return [
            value.split(":", 1)[1]
            for value in self.cleaned_data.get("criteria_met", [])
            if value.split(":", 1)[0] == chosen
        ]


class DateParts(forms.Form):
    """An NHS.UK date input of three fields (``<prefix>_day``, ``_month``, ``_year``)."""

    def date_from(self, prefix: str, *, required: bool, label: Promise) -> date | None:
        parts = [self.cleaned_data.get(f"{prefix}_{p}") for p in ("day", "month", "year")]
        if all(p is None for p in parts):
            if required:
                self.add_error(f"{prefix}_day", _("Enter the %(label)s") % {"label": label})
            return None
        day, month, year = parts
        try:
            return date(int(year or 0), int(month or 0), int(day or 0))
        except ValueError:
            self.add_error(
                f"{prefix}_day", _("The %(label)s must be a real date") % {"label": label}
            )
            return None


class InterfaceCaseForm(DateParts):
    """The documented MDT discussion of a subspecialty interface clinic."""

    subspecialty = forms.ChoiceField(
        label=_("Subspecialty"),
        choices=list(SUBSPECIALTY_LABELS.items()),
        widget=forms.RadioSelect,
        error_messages=_required(_("Select the subspecialty")),
    )
    mdt_day = forms.IntegerField(label=_("Day"), required=False)
    mdt_month = forms.IntegerField(label=_("Month"), required=False)
    mdt_year = forms.IntegerField(label=_("Year"), required=False)
    attendees = forms.CharField(
        label=_("Attendees (names and roles)"),
        error_messages={"required": _("Enter who attended")},
        widget=forms.Textarea,
    )
    discussion = forms.CharField(
        label=_("Discussion"),
        error_messages={"required": _("Enter the discussion")},
        widget=forms.Textarea,
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=INTERFACE_OUTCOMES,
        widget=forms.RadioSelect,
        error_messages=_required(_("Select the outcome")),
    )

    date_legends: ClassVar[dict[str, Promise]] = {"mdt": _("MDT date")}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["mdt_date"] = self.date_from("mdt", required=True, label=_("MDT date"))
        return data


class ExitForm(DateParts):
    """How the person leaves the service, the outcome, and (SOS, PIFU) the window end."""

    code = forms.ChoiceField(
        label=_("Exit"),
        choices=list(EXIT_LABELS.items()),
        widget=forms.RadioSelect,
        error_messages=_required(_("Select how the person leaves the service")),
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=list(OUTCOME_LABELS.items()),
        widget=forms.RadioSelect,
        error_messages=_required(_("Select the outcome")),
    )
    window_day = forms.IntegerField(label=_("Day"), required=False)
    window_month = forms.IntegerField(label=_("Month"), required=False)
    window_year = forms.IntegerField(label=_("Year"), required=False)

    date_legends: ClassVar[dict[str, Promise]] = {"window": _("Window end (optional)")}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["window_ends"] = self.date_from("window", required=False, label=_("window end"))
        return data


class ReturnForm(forms.Form):
    """A return under SOS or PIFU: any red flag now sends it through triage."""

    red_flags = forms.MultipleChoiceField(
        label=_("Red flags now present"),
        required=False,
        choices=[(flag.value, label) for flag, label in RED_FLAG_LABELS.items()],
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Ask about each. With none, the return goes straight to the previous pathway; with "
            "any, it goes to the triage worklist."
        ),
    )
    notes = forms.CharField(
        label=_("Why the person is returning"), required=False, widget=forms.Textarea
    )
