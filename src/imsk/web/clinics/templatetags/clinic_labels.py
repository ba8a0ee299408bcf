"""Translated labels for the data set's codes on the clinics pages (``{{ value|mode_label }}``)."""

from __future__ import annotations

from django import template
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from imsk.core.dataset.enums import ContactKind, ContactMode, ContactStatus, Pathway
from imsk.web.clinics.forms import MODE_LABELS, PATHWAY_LABELS, STATUS_LABELS

register = template.Library()

KIND_LABELS = {ContactKind.FIRST: _("First"), ContactKind.FOLLOW_UP: _("Follow-up")}
PRIORITY_LABELS = {"urgent": _("Urgent"), "routine": _("Routine")}


@register.filter
def mode_label(value: str | None) -> str | Promise:
    return MODE_LABELS.get(ContactMode(value), value) if value else ""


@register.filter
def status_label(value: str) -> str | Promise:
    return STATUS_LABELS.get(ContactStatus(value), value)


@register.filter
def kind_label(value: str) -> str | Promise:
    return KIND_LABELS.get(ContactKind(value), value)


@register.filter
def pathway_label(value: str | None) -> str | Promise:
    return PATHWAY_LABELS.get(Pathway(value), value) if value else ""


@register.filter
def priority_label(value: str | None) -> str | Promise:
    return PRIORITY_LABELS.get(value, value) if value else ""
