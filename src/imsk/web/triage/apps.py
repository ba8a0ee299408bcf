"""The triage app: the triage worklist and triage decisions at the single point of access."""

from __future__ import annotations

from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "imsk.web.triage"
    label = "triage"
    verbose_name = "Triage"
    default_auto_field = "django.db.models.BigAutoField"
