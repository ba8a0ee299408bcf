"""The referrals app: the clinical record and the single point of access."""

from __future__ import annotations

from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "imsk.web.referrals"
    label = "referrals"
    verbose_name = "Referrals"
    default_auto_field = "django.db.models.BigAutoField"
