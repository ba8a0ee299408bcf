"""The consultation record: what was discussed, escalated and decided (Wales specification 2.3-2.4).

The data set tables (contacts, activities, onward referrals, exits) live in
:mod:`imsk.web.referrals.models`; this app keeps what the data set does not carry but the clinical
record must:

- :class:`Consultation`: the person-centred part of a consultation ("what matters to me", shared
  decision making with the options discussed and the decision, work status and fit-note advice,
  signposting to community and third-sector support);
- :class:`Escalation`: "escalation of care to senior staff within the service (without the need for
  a referral and associated delay)" (specification 2.3), to a clinician of band 7 or above
  ("complex presentations should be allocated to senior staff at band 7 and above");
- :class:`OnwardReferralDetail`: the criteria met and the data set sent with a direct onward referral;
- :class:`InterfaceClinicCase`: the MDT discussion of a subspecialty interface clinic, "formally
  documented in appropriate clinical records", while "the scheduling and clinical responsibility
  remains with the integrated MSK service";
- :class:`ClinicianBand`: a clinician's Agenda for Change band, which says who is senior;
- :class:`ReturnLink`: a single-use link with which the person returns under their SOS or PIFU
  window themselves (only the SHA-256 digest of its secret is stored).
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from imsk.web.referrals.models import Audited, Contact, Exit, OnwardReferral, Request


class WorkStatus(models.TextChoices):
    """The person's work status as discussed (work and health: specification 2.3)."""

    WORKING = "working", _("Working")
    WORKING_ADJUSTED = "working_adjusted", _("Working with adjustments or altered duties")
    OFF_SICK = "off_sick", _("Off work sick")
    FIT_NOTE_ISSUED = "fit_note_issued", _("Fit note issued or advised")
    NOT_WORKING = "not_working", _("Not in work (seeking work, caring, studying)")
    RETIRED = "retired", _("Retired")
    NOT_APPLICABLE = "not_applicable", _("Not applicable or not discussed")


class ClinicianBand(models.Model):
    """The Agenda for Change band of a clinician; band 7 and above may take escalations."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clinician_band"
    )
    band = models.PositiveSmallIntegerField(_("band"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(band__gte=2, band__lte=9), name="clinician_band_2_to_9"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: band {self.band}"


class Consultation(Audited):
    """One consultation with the person, optionally at a booked contact."""

    request = models.ForeignKey(Request, on_delete=models.PROTECT, related_name="consultations")
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.PROTECT, related_name="consultations"
    )
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="consultations"
    )
    held_at = models.DateTimeField(_("held"))
    notes = models.TextField(_("clinical notes"), blank=True)
    what_matters = models.TextField(_("what matters to the person"), blank=True)
    options_discussed = models.TextField(_("options discussed"), blank=True)
    decision = models.TextField(_("decision reached together"), blank=True)
    work_status = models.CharField(
        _("work status"),
        max_length=20,
        choices=WorkStatus.choices,
        default=WorkStatus.NOT_APPLICABLE,
    )
    fit_note_advice = models.TextField(_("fit note and work advice"), blank=True)
    signposting = models.JSONField(_("signposted to"), default=list, blank=True)
    signposting_other = models.CharField(_("other support signposted"), max_length=300, blank=True)

    class Meta:
        ordering = ("held_at", "id")

    def __str__(self) -> str:
        return f"{self.request_id}: consultation {self.held_at:%Y-%m-%d}"


class Escalation(Audited):
    """A request for a senior clinician's advice within the service, and their answer."""

    request = models.ForeignKey(Request, on_delete=models.PROTECT, related_name="escalations")
    from_clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="escalations_raised"
    )
    to_clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="escalations_received"
    )
    reason = models.TextField(_("reason"))
    raised_at = models.DateTimeField(_("raised"))
    responded_at = models.DateTimeField(_("responded"), null=True, blank=True)
    response = models.TextField(_("response"), blank=True)

    class Meta:
        ordering = ("raised_at", "id")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=~Q(from_clinician=models.F("to_clinician")),
                name="escalation_to_someone_else",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request_id}: escalation {self.pk}"


class OnwardReferralDetail(Audited):
    """The criteria met and the data set (summary) sent with a direct onward referral."""

    onward_referral = models.OneToOneField(
        OnwardReferral, on_delete=models.PROTECT, related_name="detail"
    )
    criteria_met = models.JSONField(_("criteria met"), default=list)
    summary = models.TextField(_("referral summary sent"))

    def __str__(self) -> str:
        return f"{self.onward_referral_id}: detail"


class InterfaceClinicCase(Audited):
    """A case discussed at a subspecialty interface clinic (MDT), documented in the record."""

    onward_referral = models.OneToOneField(
        OnwardReferral, on_delete=models.PROTECT, related_name="interface_case"
    )
    mdt_date = models.DateField(_("MDT date"))
    attendees = models.TextField(_("attendees"))
    discussion = models.TextField(_("discussion"))
    outcome = models.CharField(_("outcome"), max_length=24)

    def __str__(self) -> str:
        return f"{self.onward_referral_id}: interface clinic {self.mdt_date}"


class ReturnLink(models.Model):
    """A single-use link for the person to return under an SOS or PIFU window without a clinician.

    The secret is shown once to the clinician who creates it; only its SHA-256 ``digest`` is kept.
    The link is usable while the exit's window is open and the link unused; one return closes the
    window, so every other link of that exit stops working too.
    """

    exit = models.ForeignKey(Exit, on_delete=models.PROTECT, related_name="return_links")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.exit_id}: return link {self.pk}"
