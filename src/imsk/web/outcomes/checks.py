"""Start-up check: the configured questionnaire wording and PREM definition fit the core's scorers.

A licensed wording file is supplied by the service (``IMSK_QUESTIONNAIRE_WORDING``); a mistake in it
(a missing item, an option whose code the scorer refuses) would otherwise surface only when a patient
submits. ``manage.py check`` (run on every start) reports it as ``outcomes.E001``.
"""

from __future__ import annotations

from typing import Any

from django.core import checks

from imsk.web.outcomes.questionnaires import wording_problems


@checks.register()
def check_questionnaire_wording(
    app_configs: Any = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    return [
        checks.Error(
            f"questionnaire wording: {problem}",
            hint="Fix the file named by IMSK_QUESTIONNAIRE_WORDING (docs/outcomes-and-experience.md).",
            id="outcomes.E001",
        )
        for problem in wording_problems()
    ]
