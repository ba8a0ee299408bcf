"""The API app: JSON and FHIR intake for electronic referral systems, with API keys."""

from __future__ import annotations

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "imsk.web.api"
    label = "api"
    verbose_name = "API"
    default_auto_field = "django.db.models.BigAutoField"
