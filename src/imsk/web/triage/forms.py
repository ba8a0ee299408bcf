"""Forms of the triage screens: validation at the edge; the service checks the clinical rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from imsk.core.triage import Pathway, Priority
from imsk.web.referrals.services import condition_codes
from imsk.web.triage.labels import PATHWAY_LABELS, PRIORITY_LABELS
from imsk.web.triage.models import Addressee, Destination

PRIORITY_CHOICES = [(p.value, PRIORITY_LABELS[p]) for p in (Priority.URGENT, Priority.ROUTINE)]
PATHWAY_CHOICES = [(p.value, PATHWAY_LABELS[p]) for p in Pathway if p is not Pathway.REDIRECTED]
BAND_CHOICES = [(str(band), str(band)) for band in range(5, 10)]


def _code_choices() -> list[tuple[str, Any]]:
    return [("", _("Keep the current code"))] + [
        (entry.code, f"{entry.label} ({entry.code})") for entry in condition_codes()
    ]


class _OverrideFields(forms.Form):
    condition_code = forms.ChoiceField(label=_("Condition code"), required=False)
    override_reason = forms.CharField(
        label=_("Reason for departing from the suggestion"),
        help_text=_("Required when your decision differs from the triage suggestion."),
        widget=forms.Textarea,
        max_length=2000,
        required=False,
    )
    confirm_red_flag_downgrade = forms.BooleanField(
        label=_("I confirm this decision is less urgent than the red flag requires"),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["condition_code"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = _code_choices()


class AllocationForm(_OverrideFields):
    """Accept the request on a pathway; pre-filled with the engine's suggestion."""

    priority = forms.ChoiceField(
        label=_("Priority"), choices=PRIORITY_CHOICES, widget=forms.RadioSelect
    )
    pathway = forms.ChoiceField(
        label=_("Pathway"), choices=PATHWAY_CHOICES, widget=forms.RadioSelect
    )
    band = forms.TypedChoiceField(
        label=_("Band of the clinician"), choices=BAND_CHOICES, coerce=int
    )
    field_order = ("priority", "pathway", "band", "condition_code", "override_reason")


class RedirectForm(_OverrideFields):
    """Do not accept: redirect the request, with a letter."""

    destination = forms.ChoiceField(
        label=_("Redirect to"), choices=Destination.choices, widget=forms.RadioSelect
    )
    destination_detail = forms.CharField(
        label=_("Name of the service (required for another service)"),
        max_length=200,
        required=False,
    )
    reason = forms.CharField(
        label=_("Why the request is redirected"),
        help_text=_("This goes in the letter."),
        widget=forms.Textarea,
        max_length=4000,
    )
    letter_to = forms.ChoiceField(
        label=_("Address the letter to"), choices=Addressee.choices, widget=forms.RadioSelect
    )
    priority = forms.ChoiceField(
        label=_("Priority"), choices=PRIORITY_CHOICES, widget=forms.RadioSelect
    )
    field_order = (
        "destination",
        "destination_detail",
        "reason",
        "letter_to",
        "priority",
        "condition_code",
        "override_reason",
    )


class QuestionForm(forms.Form):
    asked_of = forms.ChoiceField(
        label=_("Ask"), choices=Addressee.choices, widget=forms.RadioSelect
    )
    question = forms.CharField(label=_("Question"), widget=forms.Textarea, max_length=4000)


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer received"), widget=forms.Textarea, max_length=8000)
