"""``{{ code|label }}``: the words for a triage or data set code (``imsk.web.triage.labels``)."""

from __future__ import annotations

from django import template
from django.utils.functional import Promise

from imsk.web.triage import labels

register = template.Library()


@register.filter
def label(code: object) -> str | Promise:
    return labels.label(code)
