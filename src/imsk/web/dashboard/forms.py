"""Dashboard forms: the data set upload, and the period and level of the figures."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Final

from django import forms
from django.utils.translation import gettext_lazy as _

from imsk.analytics.kpis.inputs import Level, Period

LONGEST_PERIOD: Final = timedelta(days=5 * 366)
LEVEL_LABELS: Final = {
    Level.NATIONAL: _("National"),
    Level.HEALTH_BOARD: _("Health board"),
    Level.SERVICE: _("Service"),
}


class UploadForm(forms.Form):
    label = forms.CharField(
        label=_("Name of the data set"),
        help_text=_("For example: Cardiff and Vale, April 2025 to March 2026"),
        max_length=200,
        error_messages={"required": _("Enter a name for the data set")},
    )
    archive = forms.FileField(
        label=_("Data set file (zip)"),
        help_text=_(
            "A zip of the data set folder: services.csv, requests.csv and any other tables, "
            "as CSV or Parquet files"
        ),
        error_messages={
            "required": _("Choose the zip file of the data set"),
            "empty": _("The chosen file is empty"),
        },
    )

    def clean_archive(self) -> Any:
        archive = self.cleaned_data["archive"]
        if not str(archive.name).lower().endswith(".zip"):
            raise forms.ValidationError(_("The file must be a zip file (ending .zip)"))
        return archive


class IsoDateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class PeriodForm(forms.Form):
    """The reporting period (both dates inclusive) and, on the overview, the level."""

    start = forms.DateField(
        label=_("From"),
        widget=IsoDateInput(),
        input_formats=["%Y-%m-%d"],
        error_messages={
            "required": _("Enter the first day of the period"),
            "invalid": _("Enter the first day of the period as a date, like 2025-04-01"),
        },
    )
    end = forms.DateField(
        label=_("To"),
        widget=IsoDateInput(),
        input_formats=["%Y-%m-%d"],
        error_messages={
            "required": _("Enter the last day of the period"),
            "invalid": _("Enter the last day of the period as a date, like 2026-03-31"),
        },
    )
    level = forms.ChoiceField(label=_("Level"), required=False)

    def __init__(self, *args: Any, levels: list[Level], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["level"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(level.value, LEVEL_LABELS[level]) for level in levels]
        self.levels = levels

    def clean_level(self) -> Level:
        value = self.cleaned_data.get("level") or self.levels[0].value
        return Level(value)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if isinstance(start, date) and isinstance(end, date):
            if end < start:
                self.add_error("end", _("The last day must be on or after the first day"))
            elif end - start > LONGEST_PERIOD:
                self.add_error("end", _("The period can be at most 5 years long"))
        return cleaned

    def period(self) -> Period:
        return Period(self.cleaned_data["start"], self.cleaned_data["end"])
