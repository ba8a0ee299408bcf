"""Clinics and their slots: the capacity that appointments (data set ``contacts``) are booked into.

A **clinic** is one session a service runs on one day, at one location, in one **mode** (in person,
video, telephone or group: data set ``contacts.mode``), staffed at one Agenda for Change **band**
(data set ``contacts.band``: "band of the clinician who held it"). Its **slots** are the bookable
appointment times. An appointment itself is a :class:`imsk.web.referrals.models.Contact` row, so the
data set export needs no translation; a slot points at the contact booked into it.

A **group** clinic (an education or exercise class) seats several people at each time: it gets one
slot per seat (``seat`` 1..capacity) at the same ``starts_at``, so a seat is booked exactly like a
one-to-one slot and the same database rule (one contact per slot) prevents double booking.

Writes go through :mod:`imsk.web.clinics.services` only, which audits each change.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from imsk.core.dataset import enums
from imsk.web.accounts.models import Service
from imsk.web.referrals.models import Audited, Contact, choices

MAX_SLOTS_PER_CLINIC = 40
MAX_GROUP_CAPACITY = 30


class Clinic(Audited):
    """One clinic session of a service on one day (a cancelled clinic keeps its slots as history)."""

    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.PROTECT, related_name="clinics"
    )
    date = models.DateField(_("date"), db_index=True)
    location = models.CharField(_("location"), max_length=200)
    band = models.PositiveSmallIntegerField(_("band"))
    mode = models.CharField(_("mode"), max_length=16, choices=choices(enums.ContactMode))
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("clinician"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clinics",
    )
    capacity = models.PositiveSmallIntegerField(
        _("places at each time"),
        default=1,
        help_text=_("People seen together at each time: more than one for group clinics only."),
    )
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ("date", "id")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(band__gte=1, band__lte=9), name="clinic_band_1_to_9"
            ),
            models.CheckConstraint(
                condition=Q(mode__in=[mode.value for mode in enums.ContactMode]),
                name="clinic_mode_known",
            ),
            models.CheckConstraint(
                condition=Q(capacity=1)
                | Q(mode=enums.ContactMode.GROUP.value, capacity__gte=1, capacity__lte=30),
                name="clinic_capacity_one_unless_group",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service_id} {self.date} {self.location}"

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


class Slot(models.Model):
    """One bookable time (one seat of it, in a group clinic) in a clinic.

    ``contact`` is the appointment booked into the slot now. A patient or service cancellation of
    that one appointment frees the slot for someone else (the contact keeps its own time and status);
    attended and did-not-attend appointments keep their slot. The one-to-one key means two contacts
    can never hold one slot.
    """

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="slots")
    starts_at = models.DateTimeField(_("starts"))
    minutes = models.PositiveSmallIntegerField(_("length in minutes"))
    seat = models.PositiveSmallIntegerField(default=1)
    contact = models.OneToOneField(
        Contact, null=True, blank=True, on_delete=models.PROTECT, related_name="slot"
    )

    class Meta:
        ordering = ("starts_at", "seat", "id")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=("clinic", "starts_at", "seat"), name="slot_one_per_clinic_time_seat"
            ),
            models.CheckConstraint(
                condition=Q(minutes__gte=5, minutes__lte=240), name="slot_5_to_240_minutes"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.clinic_id} {self.starts_at:%Y-%m-%d %H:%M} seat {self.seat}"

    @property
    def is_free(self) -> bool:
        return self.contact_id is None
