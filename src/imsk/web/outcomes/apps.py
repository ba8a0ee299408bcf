"""The outcomes app: PROMs and PREMs by one-time link, invitations, feedback, resources."""

from __future__ import annotations

from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "imsk.web.outcomes"
    label = "outcomes"
    verbose_name = "Outcomes"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from imsk.web.outcomes import checks  # noqa: F401 - registers the wording check
