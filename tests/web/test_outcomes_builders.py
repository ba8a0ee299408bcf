"""Builders shared by the outcomes tests (no tests here): a request of our service with a person
who can be sent a link, and complete answers to each questionnaire."""

from __future__ import annotations

from django.utils import timezone

from imsk.web.outcomes import questionnaires
from imsk.web.referrals import services
from imsk.web.referrals.models import Channel, Request
from tests.web.personas import Personas

NHS_NUMBER = "9434765919"


def our_request(personas: Personas, *, email: str = "ann.jones@example.com") -> Request:
    new = services.NewRequest(
        service=personas.our_service,
        channel=Channel.WEB_FORM,
        source="gp",
        category="management_opinion",
        received_at=timezone.now(),
        age=54,
        person=services.PersonDetails(
            nhs_number=NHS_NUMBER, full_name="Ann Jones", email=email, phone="07700900123"
        ),
    )
    return services.create_request(new, actor=personas.referrer)


def first_options(instrument: str) -> questionnaires.Answers:
    """Every item answered with its first printed option (plus a VAS of 70 for EQ-5D)."""
    found = questionnaires.questionnaire(instrument)
    codes: dict[str, str | None] = {item.id: item.options[0].code for item in found.items}
    vas = 70 if found.vas is not None else None
    return questionnaires.Answers(instrument, codes, vas, "")


def form_data(answers: questionnaires.Answers) -> dict[str, str]:
    """The POST body of a questionnaire page for ``answers``."""
    data = {f"item_{item}": code for item, code in answers.codes.items() if code is not None}
    if answers.vas is not None:
        data["vas"] = str(answers.vas)
    if answers.comment:
        data["comment"] = answers.comment
    return data
