"""Triage decisions and requests for more information at the single point of access.

Wales specification 2.3: every request is triaged at the single point of access and allocated a
pathway "within 24 hours for urgent requests and 3 working days for routine requests". The triage
engine (``imsk.core.triage``) *suggests* a disposition, priority, pathway and band with the rules that
fired; the triage clinician *decides*. A :class:`TriageDecision` keeps both side by side, with the
rule-set version the suggestion was made under, so an auditor can always see what the engine said,
what the clinician chose, and why they differed (``override_reason``).

An :class:`InformationRequest` is a question the triage clinician asks the referrer or the person
before deciding. The triage clock does not stop while it is open (the data set measures triage time
from ``received_at``; ``docs/triage-worklist.md``).

The request's own columns (status, priority, pathway, band, triaged_at) and its condition code
history are written by :mod:`imsk.web.triage.services` in the same transaction as these rows.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from imsk.core.dataset import enums
from imsk.web.accounts.models import Service
from imsk.web.referrals.models import Request, choices


class Destination(models.TextChoices):
    """Where a redirected request goes instead of the integrated MSK service."""

    EMERGENCY_DEPARTMENT = "emergency_department", _("Emergency department")
    RHEUMATOLOGY = "rheumatology", _("Rheumatology early inflammatory arthritis clinic")
    PAEDIATRICS = "paediatrics", _("Paediatric services")
    GP = "gp", _("GP")
    OTHER = "other", _("Other service")


class Addressee(models.TextChoices):
    """Who a question or a letter is for."""

    REFERRER = "referrer", _("The referrer")
    PERSON = "person", _("The person")


class TriageDecision(models.Model):
    """One triage decision: the engine's suggestion, the clinician's choice, and the difference.

    ``accepted`` is true when the chosen priority and pathway equal the engine's and the chosen band
    meets the engine's band requirement; otherwise the decision is an override and
    ``override_reason`` is required (a database constraint holds this). ``downgrades_red_flag``
    marks an override that is less urgent than the engine's disposition for a request with a red
    flag: it needs the reason *and* an explicit confirmation (``docs/triage-worklist.md``).
    A redirect has pathway ``redirected``, no band, a ``destination`` and a letter.
    """

    request = models.ForeignKey(
        Request,
        on_delete=models.PROTECT,
        related_name="triage_decisions",
        verbose_name=_("request"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), default=timezone.now)
    ruleset_version = models.CharField(_("rule-set version"), max_length=64)
    suggested_disposition = models.CharField(_("suggested disposition"), max_length=32)
    suggested_priority = models.CharField(_("suggested priority"), max_length=10)
    suggested_pathway = models.CharField(_("suggested pathway"), max_length=32)
    suggested_band = models.PositiveSmallIntegerField(_("suggested band"), null=True, blank=True)
    suggested_band_requirement = models.CharField(max_length=8, blank=True)
    triage_deadline = models.DateField(_("triage deadline"))
    fired_rules = models.JSONField(_("rules fired"), default=list)
    red_flags = models.JSONField(_("red flags"), default=list)
    priority = models.CharField(_("priority"), max_length=10, choices=choices(enums.Priority))
    pathway = models.CharField(_("pathway"), max_length=32, choices=choices(enums.Pathway))
    band = models.PositiveSmallIntegerField(_("band"), null=True, blank=True)
    condition_code = models.CharField(_("condition code"), max_length=64, blank=True)
    accepted = models.BooleanField(_("suggestion accepted"))
    override_reason = models.TextField(_("reason for overriding"), blank=True)
    downgrades_red_flag = models.BooleanField(
        _("less urgent than a red flag's floor"), default=False
    )
    destination = models.CharField(
        _("redirected to"), max_length=24, choices=Destination.choices, blank=True
    )
    destination_detail = models.CharField(_("service redirected to"), max_length=200, blank=True)
    redirect_reason = models.TextField(_("reason for the redirect"), blank=True)
    letter_to = models.CharField(
        _("letter to"), max_length=10, choices=Addressee.choices, blank=True
    )

    class Meta:
        ordering = ("decided_at", "id")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(accepted=True) | ~Q(override_reason=""),
                name="triage_override_needs_reason",
            ),
            models.CheckConstraint(
                condition=Q(downgrades_red_flag=False) | Q(accepted=False),
                name="triage_downgrade_is_an_override",
            ),
            models.CheckConstraint(
                condition=Q(pathway="redirected", band__isnull=True)
                & ~Q(destination="")
                & ~Q(redirect_reason="")
                & ~Q(letter_to="")
                | (~Q(pathway="redirected") & Q(destination="")),
                name="triage_redirect_has_destination_and_letter",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.pathway}"

    @property
    def is_redirect(self) -> bool:
        return self.pathway == enums.Pathway.REDIRECTED.value


class InformationRequest(models.Model):
    """A question to the referrer or the person while a request waits to be triaged.

    While one is unanswered the request's status is ``awaiting_information``; the answer returns it
    to ``received``. The triage deadline does not move (``docs/triage-worklist.md``).
    """

    request = models.ForeignKey(
        Request,
        on_delete=models.PROTECT,
        related_name="information_requests",
        verbose_name=_("request"),
    )
    asked_of = models.CharField(_("asked of"), max_length=10, choices=Addressee.choices)
    question = models.TextField(_("question"))
    asked_at = models.DateTimeField(_("asked"), default=timezone.now)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ("asked_at", "id")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=(Q(answered_at__isnull=True) & Q(answer=""))
                | (Q(answered_at__isnull=False) & ~Q(answer="")),
                name="information_answer_iff_answered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.asked_of}"

    @property
    def is_open(self) -> bool:
        return self.answered_at is None


class TriageQueueEntry(models.Model):
    """One untriaged request's place in the worklist: a denormalised, indexed copy for ordering.

    Requests are created by the referrals service (and the data set loader), which know nothing of
    triage, so :func:`imsk.web.triage.services.sync_queue` adds the entries lazily when the worklist
    is shown (requests above the service's :class:`TriageQueueMark`), and a triage decision removes
    its entry in the same transaction. The order, red flags first and then by triage deadline, is
    one index scan (``triage_queue_order``) instead of reading every open request's JSON. The
    request's status is still read from the request itself, so a request closed elsewhere leaves the
    worklist even while its entry remains.
    """

    request = models.OneToOneField(
        Request, primary_key=True, on_delete=models.CASCADE, related_name="triage_queue_entry"
    )
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    red_flag_rank = models.PositiveSmallIntegerField(
        help_text="0: a red flag or a same-day disposition; 1: any other request."
    )
    triage_deadline = models.DateField()
    received_at = models.DateTimeField()

    class Meta:
        indexes: ClassVar = [
            models.Index(
                fields=["service", "red_flag_rank", "triage_deadline", "received_at", "request"],
                name="triage_queue_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.triage_deadline}"


class TriageQueueMark(models.Model):
    """The highest request key of a service already considered for the worklist queue."""

    service = models.OneToOneField(
        Service, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    last_request_pk = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.service_id}: {self.last_request_pk}"
