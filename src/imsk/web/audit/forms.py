"""The audit search form (GET): every field optional."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from imsk.web.audit.models import Action
from imsk.web.audit.search import SearchCriteria


class AuditSearchForm(forms.Form):
    actor = forms.CharField(
        label=_("Actor"),
        required=False,
        max_length=254,
        help_text=_("All or part of an email address"),
    )
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("Any action")), *Action.choices]
    )
    object_type = forms.CharField(
        label=_("Record type"),
        required=False,
        max_length=64,
        help_text=_("For example, accounts.user"),
    )
    object_id = forms.CharField(label=_("Record ID"), required=False, max_length=128)
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter the start date as a real date, like 2026-03-27")},
    )
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter the end date as a real date, like 2026-03-27")},
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date must be the same as or after the start date"))
        return cleaned

    def criteria(self) -> SearchCriteria:
        data = self.cleaned_data
        return SearchCriteria(
            actor=data["actor"].strip(),
            action=data["action"],
            object_type=data["object_type"].strip(),
            object_id=data["object_id"].strip(),
            date_from=data["date_from"],
            date_to=data["date_to"],
        )
