"""The consultations app: consultation record, escalation, onward referral, exits (SOS/PIFU)."""

from __future__ import annotations

from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    name = "imsk.web.consultations"
    label = "consultations"
    verbose_name = "Consultations"
    default_auto_field = "django.db.models.BigAutoField"
