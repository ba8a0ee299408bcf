"""Outcome and experience measures: invitations by one-time link, scoring provenance, feedback and
self-management resources.

A musculoskeletal (MSK) service shows its worth in what patients report: how their MSK health changed
between the first appointment (**baseline**) and **discharge** (MSK-HQ, EQ-5D-5L: patient-reported
outcome measures, PROMs) and how they found the care (the NHS Friends and Family Test and a local
patient-reported experience measure, PREM). The data set's ``measures`` table holds the answers and
the score (:class:`imsk.web.referrals.models.Measure`); this app adds what the table does not carry:

* :class:`Invitation`: a one-time link sent to the patient. Only the SHA-256 digest of its 256-bit
  token is stored, so a copy of the database cannot be used to open anyone's questionnaire.
* :class:`MeasureScoring`: which instrument version and EQ-5D value set produced the stored score,
  the EQ VAS, and how the answers arrived (by link or entered by staff from paper).
* :class:`FeedbackRecord`: the details and response of a complaint, compliment or concern, beside
  the data set's ``feedback`` row (kind, nature, received).
* :class:`Resource`: a self-management resource (exercise sheet, advice page) whose views are counted
  per day into the data set's ``resource_hits`` table.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from imsk.core.dataset import enums
from imsk.web.accounts.models import Service
from imsk.web.referrals.models import Feedback, Measure, Request, choices


class Invitation(models.Model):
    """An invitation to complete one or more questionnaires through a one-time link.

    ``token_digest`` is the hex SHA-256 of the token in the link; the token itself is shown once (in
    the message sent) and never stored. The link works until ``expires_at`` and only once:
    ``used_at`` is set in the transaction that stores the answers. ``send_error`` keeps the reason a
    sender failed, so staff can see it and send again; the invitation itself is never lost.
    """

    request = models.ForeignKey(Request, on_delete=models.PROTECT, related_name="invitations")
    instruments = models.JSONField(_("questionnaires"), default=list)
    timepoint = models.CharField(_("time point"), max_length=16, choices=choices(enums.Timepoint))
    token_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    expires_at = models.DateTimeField(_("expires"))
    sent_via = models.CharField(_("sent via"), max_length=32, blank=True)
    sent_to = models.CharField(_("sent to"), max_length=254, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    send_error = models.TextField(_("sending failed"), blank=True)
    used_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"{self.request_id}: {' '.join(self.instruments)} {self.timepoint}"


class Source(models.TextChoices):
    """How a questionnaire's answers reached the record."""

    LINK = "link", _("Completed by the patient online")
    STAFF = "staff", _("Entered by staff from a paper form")


class MeasureScoring(models.Model):
    """How a :class:`~imsk.web.referrals.models.Measure` was scored, and the answers the data set's
    ``items`` string cannot hold (the EQ VAS, the FFT free-text comment)."""

    measure = models.OneToOneField(Measure, on_delete=models.PROTECT, related_name="scoring")
    instrument_version = models.CharField(max_length=64)
    value_set = models.CharField(max_length=64, blank=True)
    band = models.CharField(max_length=32, blank=True)
    vas = models.PositiveSmallIntegerField(_("EQ VAS"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    source = models.CharField(max_length=8, choices=Source.choices)
    invitation = models.ForeignKey(
        Invitation, null=True, blank=True, on_delete=models.PROTECT, related_name="scorings"
    )

    def __str__(self) -> str:
        return f"{self.measure}: {self.instrument_version}"


class FeedbackRecord(models.Model):
    """The working detail of a complaint, compliment or concern (the data set row is ``feedback``)."""

    feedback = models.OneToOneField(Feedback, on_delete=models.PROTECT, related_name="record")
    details = models.TextField(_("details"), blank=True)
    response = models.TextField(_("response"), blank=True)

    def __str__(self) -> str:
        return str(self.feedback)


class Resource(models.Model):
    """A self-management resource a service offers its patients (advice, exercises, a video link).

    Either ``body`` (text shown on the page) or ``url`` (an external page the resource points to) or
    both. Welsh title and body are optional: without them the English is shown.
    """

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="resources")
    slug = models.SlugField(_("short name"), max_length=80)
    title = models.CharField(_("title"), max_length=200)
    title_cy = models.CharField(_("title in Welsh"), max_length=200, blank=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    summary_cy = models.CharField(_("summary in Welsh"), max_length=300, blank=True)
    body = models.TextField(_("text"), blank=True)
    body_cy = models.TextField(_("text in Welsh"), blank=True)
    url = models.URLField(_("web address"), blank=True)
    published = models.BooleanField(_("published"), default=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("service__name", "title")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=("service", "slug"), name="resource_slug_per_service")
        ]

    def __str__(self) -> str:
        return f"{self.service_id}/{self.slug}"

    def title_in(self, language: str) -> str:
        return self.title_cy if language == "cy" and self.title_cy else self.title

    def summary_in(self, language: str) -> str:
        return self.summary_cy if language == "cy" and self.summary_cy else self.summary

    def body_in(self, language: str) -> str:
        return self.body_cy if language == "cy" and self.body_cy else self.body
