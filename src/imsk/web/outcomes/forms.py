"""Forms of the outcomes app: a questionnaire built from the wording file, invitations, feedback,
resources. They check the shape of the input (an answer chosen, a date that exists); the core's
scorer is the judge of whether the answers score."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from imsk.core.dataset import enums
from imsk.web.outcomes import questionnaires
from imsk.web.outcomes.models import Resource

TIMEPOINTS = [
    ("baseline", _("Baseline (start of care)")),
    ("discharge", _("Discharge (end of care)")),
    ("follow_up", _("Follow-up")),
]
INSTRUMENT_TITLES = {
    "msk_hq": _("MSK-HQ (musculoskeletal health)"),
    "eq5d5l": _("EQ-5D-5L (health-related quality of life)"),
    "fft": _("Friends and Family Test"),
    "prem": _("Patient experience questionnaire (PREM)"),
}
FEEDBACK_KINDS = [
    (enums.FeedbackKind.COMPLAINT.value, _("Complaint")),
    (enums.FeedbackKind.COMPLIMENT.value, _("Compliment")),
    (enums.FeedbackKind.CONCERN.value, _("Concern")),
]
DATE_FORMATS = ["%d/%m/%Y", "%d %m %Y", "%Y-%m-%d"]


def item_field(item: questionnaires.Item) -> str:
    return f"item_{item.id}"


class QuestionnaireForm(forms.Form):
    """One instrument, one radio group per item, in the person's language."""

    def __init__(
        self, *args: Any, questionnaire: questionnaires.Questionnaire, language: str, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questionnaire = questionnaire
        optional = questionnaire.name in questionnaires.OPTIONAL_ITEMS
        for number, item in enumerate(questionnaire.items, start=1):
            message = _("Select an answer to question %(number)s") % {"number": number}
            self.fields[item_field(item)] = forms.ChoiceField(
                label=questionnaires.in_language(item.text, language),
                choices=[
                    (o.code, questionnaires.in_language(o.label, language)) for o in item.options
                ],
                widget=forms.RadioSelect,
                required=not optional,
                error_messages={"required": message, "invalid_choice": message},
            )
        if questionnaire.vas is not None:
            vas_message = _("Enter a whole number from 0 to 100")
            self.fields["vas"] = forms.IntegerField(
                label=questionnaires.in_language(questionnaire.vas, language),
                min_value=0,
                max_value=100,
                error_messages={
                    "required": vas_message,
                    "invalid": vas_message,
                    "min_value": vas_message,
                    "max_value": vas_message,
                },
            )
        if questionnaire.comment is not None:
            self.fields["comment"] = forms.CharField(
                label=questionnaires.in_language(questionnaire.comment, language),
                required=False,
                max_length=2000,
                widget=forms.Textarea,
            )

    def answers(self) -> questionnaires.Answers:
        data = self.cleaned_data
        codes = {item.id: data.get(item_field(item)) or None for item in self.questionnaire.items}
        return questionnaires.Answers(
            self.questionnaire.name, codes, data.get("vas"), data.get("comment", "")
        )


def answers_from_session(name: str, stored: dict[str, Any]) -> questionnaires.Answers:
    """The answers a patient gave on an earlier page (kept in their session until they submit)."""
    return questionnaires.Answers(
        name, dict(stored.get("codes", {})), stored.get("vas"), stored.get("comment", "")
    )


def answers_to_session(answers: questionnaires.Answers) -> dict[str, Any]:
    return {"codes": dict(answers.codes), "vas": answers.vas, "comment": answers.comment}


class StaffEntryForm(QuestionnaireForm):
    """A paper questionnaire transcribed by a clinician: the answers, when and at which time point."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["timepoint"] = forms.ChoiceField(
            label=_("Time point"),
            choices=TIMEPOINTS,
            widget=forms.RadioSelect,
            error_messages={"required": _("Select the time point")},
        )
        self.fields["completed_on"] = forms.DateField(
            label=_("Date the patient completed it"),
            help_text=_("For example, 27/03/2026"),
            input_formats=DATE_FORMATS,
            error_messages={
                "required": _("Enter the date the patient completed the questionnaire"),
                "invalid": _("Enter a real date, for example 27/03/2026"),
            },
        )

    def clean_completed_on(self) -> date:
        value: date = self.cleaned_data["completed_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future"))
        return value


class InviteForm(forms.Form):
    instruments = forms.MultipleChoiceField(
        label=_("Questionnaires"),
        choices=[(name, INSTRUMENT_TITLES[name]) for name in questionnaires.OFFERED],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Select at least one questionnaire")},
    )
    timepoint = forms.ChoiceField(
        label=_("Time point"),
        choices=TIMEPOINTS,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the time point")},
    )


class FeedbackForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=FEEDBACK_KINDS,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select complaint, compliment or concern")},
    )
    nature = forms.CharField(
        label=_("Nature"),
        help_text=_("A short category, for example waiting time, communication or treatment"),
        max_length=200,
        error_messages={"required": _("Enter the nature of the feedback")},
    )
    received_on = forms.DateField(
        label=_("Date received"),
        help_text=_("For example, 27/03/2026"),
        input_formats=DATE_FORMATS,
        error_messages={
            "required": _("Enter the date the feedback was received"),
            "invalid": _("Enter a real date, for example 27/03/2026"),
        },
    )
    details = forms.CharField(label=_("Details (optional)"), required=False, widget=forms.Textarea)
    response = forms.CharField(
        label=_("Response given (optional)"), required=False, widget=forms.Textarea
    )


class FeedbackFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Show"),
        choices=[("", _("All feedback")), *FEEDBACK_KINDS],
        required=False,
    )


class ResourceForm(forms.ModelForm):  # type: ignore[type-arg]
    url = forms.URLField(label=_("web address"), required=False, assume_scheme="https")

    class Meta:
        model = Resource
        fields = (
            "slug",
            "title",
            "title_cy",
            "summary",
            "summary_cy",
            "body",
            "body_cy",
            "url",
            "published",
        )
        widgets: ClassVar = {"body": forms.Textarea, "body_cy": forms.Textarea}

    def __init__(self, *args: Any, service_id: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.service_id = service_id
        self.fields["slug"].help_text = _("Letters, numbers and hyphens, used in the web address")

    def clean_slug(self) -> str:
        slug: str = self.cleaned_data["slug"]
        taken = Resource.objects.filter(service_id=self.service_id, slug=slug)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("Another resource of this service has that short name"))
        return slug

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("body") and not data.get("url"):
            self.add_error("body", _("Enter the text or a web address"))
        return data
