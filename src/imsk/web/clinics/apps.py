"""The clinics app: clinics, slots, booking from the waiting lists, appointment outcomes."""

from __future__ import annotations

from django.apps import AppConfig


class ClinicsConfig(AppConfig):
    name = "imsk.web.clinics"
    label = "clinics"
    verbose_name = "Clinics"
    default_auto_field = "django.db.models.BigAutoField"
