"""The clinical record of an integrated MSK service, table for table the MSK service data set.

Wales specification 2.3: every request for an integrated MSK service reaches one **single point of
access** (SPoA), from a professional (GP, primary care MDT, urgent care, subspecialty...), from the
person themselves (self-referral) or from an electronic referral system, and is triaged there. What
happens next is recorded as appointments (contacts), activity, onward referrals, an exit and outcome
measures. The data set (``../shared/spec/dataset.md``, version 1) names those facts; each model here
is one of its tables, with the same column names, so export (``imsk_export_dataset``) and the
database views (``msk_requests``...) are a projection, never a translation:

============================  ==========================
model                         data set table
============================  ==========================
``accounts.Service``          ``services``
:class:`Request`              ``requests``
:class:`ConditionCodeEntry`   ``condition_codes``
:class:`Contact`              ``contacts``
:class:`Activity`             ``activities``
:class:`OnwardReferral`       ``onward_referrals``
:class:`Exit`                 ``exits``
:class:`Measure`              ``measures``
:class:`Feedback`             ``feedback``
:class:`ResourceHit`          ``resource_hits``
:class:`Cost`                 ``costs``
:class:`Population`           ``population``
============================  ==========================

A :class:`Person` is the pseudonymous ``person_id`` of the data set, with the identifiers the service
needs to contact the person (NHS number, name, contact details); the data set carries only the key.

Every clinical model carries audit fields (created and updated, by whom and when), following
OPAL/elCID. Writes go through :mod:`imsk.web.referrals.services` only, which records the audit event
in the same transaction. Times are stored in UTC and exported as Europe/London local time.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from imsk.core.codes import ExitCode
from imsk.core.dataset import enums
from imsk.web.accounts.models import Service
from imsk.web.referrals.errors import RecordImmutableError


def choices(kind: type[StrEnum]) -> list[tuple[str, str]]:
    """Model choices from a data set enum: the stored value is the data set code."""
    return [(member.value, member.value.replace("_", " ")) for member in kind]


class Status(models.TextChoices):
    """Where a request is in its lifecycle (``docs/clinical-application.md``).

    ``received`` at the single point of access, ``awaiting_information`` while the triage clinician
    waits for the referrer or the person to answer a question (the triage clock does not stop:
    ``docs/clinical-application.md``), ``triaged`` once a pathway is allocated (priority, pathway and
    band set, ``triaged_at`` recorded), ``closed`` once the person has exited or been redirected.
    """

    RECEIVED = "received", _("Received")
    AWAITING_INFORMATION = "awaiting_information", _("Awaiting information")
    TRIAGED = "triaged", _("Triaged")
    CLOSED = "closed", _("Closed")


class Channel(models.TextChoices):
    """How the request reached the application."""

    WEB_FORM = "web_form", _("Professional request form")
    SELF_REFERRAL = "self_referral", _("Self-referral")
    API = "api", _("Electronic referral (API)")
    DATASET_LOAD = "dataset_load", _("Loaded from a data set")
    RETURN = "return", _("Returned under See On Symptom or PIFU")


class Audited(models.Model):
    """Who created and last changed a clinical row, and when (``None``: the system or the API)."""

    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        abstract = True


class Person(Audited):
    """A person the service holds requests for; ``person_id`` is the data set's pseudonymous key.

    The NHS number is optional (a self-referral may not know it) and, when given, has passed the
    modulus 11 check (``nhs-number``); it identifies the same person across requests.
    """

    person_id = models.CharField(_("person ID"), max_length=64, unique=True)
    nhs_number = models.CharField(
        _("NHS number"), max_length=10, null=True, blank=True, unique=True
    )
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("email"), max_length=254, blank=True)

    def __str__(self) -> str:
        return self.person_id


class Request(Audited):
    """One request received at the single point of access (data set table ``requests``).

    ``request_id`` is the data set key; for a request received by this application it is the human
    reference ``MSK-<health board>-<number>`` the person and the referrer quote. ``triage_facts`` are
    the structured facts the triage engine reads (``docs/triage-rules.md``), and ``triage_suggestion``
    the engine's decision on them at receipt: the triage clinician's decision sets ``priority``,
    ``pathway``, ``band`` and ``triaged_at``. ``idempotency_key`` is unique per API client, so a
    retried electronic submission never creates a second request.
    """

    request_id = models.CharField(_("reference"), max_length=64, unique=True)
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="requests"
    )
    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.PROTECT, related_name="requests"
    )
    received_at = models.DateTimeField(_("received"), db_index=True)
    source = models.CharField(_("source"), max_length=32, choices=choices(enums.Source))
    referrer_practice = models.CharField(_("referrer practice"), max_length=6, blank=True)
    category = models.CharField(  # noqa: DJ001 - null is the data set's null
        _("category"), max_length=40, choices=choices(enums.Category), null=True, blank=True
    )
    age = models.PositiveSmallIntegerField(_("age at receipt"), null=True, blank=True)
    sex = models.CharField(  # noqa: DJ001 - null is the data set's null
        _("sex"), max_length=10, choices=choices(enums.Sex), null=True, blank=True
    )
    lsoa = models.CharField(_("LSOA"), max_length=9, blank=True)
    deprivation_quintile = models.PositiveSmallIntegerField(
        _("deprivation quintile"), null=True, blank=True
    )
    priority = models.CharField(  # noqa: DJ001 - null is the data set's null
        _("priority"), max_length=10, choices=choices(enums.Priority), null=True, blank=True
    )
    triaged_at = models.DateTimeField(_("triaged"), null=True, blank=True)
    pathway = models.CharField(  # noqa: DJ001 - null is the data set's null
        _("pathway"), max_length=32, choices=choices(enums.Pathway), null=True, blank=True
    )
    band = models.PositiveSmallIntegerField(_("band"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=24, choices=Status.choices, default=Status.RECEIVED
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    referrer_priority = models.CharField(  # noqa: DJ001 - null is the data set's null
        _("priority asked by the referrer"),
        max_length=10,
        choices=choices(enums.Priority),
        null=True,
        blank=True,
    )
    body_area = models.CharField(_("body area"), max_length=32, blank=True)
    free_text = models.TextField(_("clinical details"), blank=True)
    triage_facts = models.JSONField(_("triage facts"), default=dict, blank=True)
    triage_suggestion = models.JSONField(_("triage suggestion"), null=True, blank=True)
    api_client = models.ForeignKey(
        "api.ApiClient",
        verbose_name=_("API client"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requests",
    )
    idempotency_key = models.CharField(max_length=255, null=True, blank=True)  # noqa: DJ001 - null is the data set's null
    request_hash = models.CharField(max_length=64, blank=True)
    api_response = models.JSONField(null=True, blank=True)
    returned_from = models.ForeignKey(
        "self",
        verbose_name=_("returned from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="returns",
        help_text=_("The earlier request whose See On Symptom or PIFU window this return used."),
    )

    class Meta:
        ordering = ("-received_at", "-id")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=("api_client", "idempotency_key"), name="request_idempotency_key_per_client"
            ),
            models.CheckConstraint(
                condition=Q(deprivation_quintile__isnull=True)
                | Q(deprivation_quintile__gte=1, deprivation_quintile__lte=5),
                name="request_quintile_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(age__isnull=True) | Q(age__lte=130), name="request_age_0_to_130"
            ),
            models.CheckConstraint(
                condition=Q(band__isnull=True) | Q(band__gte=1, band__lte=9),
                name="request_band_1_to_9",
            ),
            # Data set rules: priority and pathway only once triaged; triaged means a pathway.
            models.CheckConstraint(
                condition=Q(priority__isnull=True) | Q(triaged_at__isnull=False),
                name="request_priority_needs_triage",
            ),
            models.CheckConstraint(
                condition=(Q(pathway__isnull=True) & Q(triaged_at__isnull=True))
                | (Q(pathway__isnull=False) & Q(triaged_at__isnull=False)),
                name="request_pathway_iff_triaged",
            ),
        ]

    def __str__(self) -> str:
        return self.request_id


class AppendOnlyQuerySet(models.QuerySet[Any]):
    """Refuses bulk changes: the history only grows."""

    def update(self, **kwargs: Any) -> int:
        raise RecordImmutableError("condition code history rows cannot be updated")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise RecordImmutableError("condition code history rows cannot be deleted")


class ConditionCodeEntry(Audited):
    """One row of a request's condition code history (data set table ``condition_codes``).

    Wales specification 4.3: a request carries a condition code "from the earliest opportunity",
    updated as the diagnosis proceeds. The history is append-only: a new code is a new row, and the
    code *as of* a date is the latest row recorded on or before it. ``code_list_version`` records
    which version of the administrator-loaded code list the code was checked against.
    """

    request = models.ForeignKey(Request, on_delete=models.PROTECT, related_name="condition_codes")
    code = models.CharField(_("condition code"), max_length=64)
    recorded_at = models.DateTimeField(_("recorded"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    code_list_version = models.CharField(max_length=32, blank=True)
    import_key = models.CharField(max_length=64, null=True, blank=True, unique=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ("recorded_at", "id")

    def __str__(self) -> str:
        return f"{self.request_id}: {self.code}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise RecordImmutableError("condition code history rows cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise RecordImmutableError("condition code history rows cannot be deleted")


class Contact(Audited):
    """An appointment booked for a request (data set table ``contacts``)."""

    contact_id = models.CharField(max_length=64, unique=True)
    request = models.ForeignKey(Request, on_delete=models.PROTECT, related_name="contacts")
    kind = models.CharField(max_length=16, choices=choices(enums.ContactKind))
    scheduled_at = models.DateTimeField()
    status = models.CharField(max_length=20, choices=choices(enums.ContactStatus))
    mode = models.CharField(  # noqa: DJ001 - null is the data set's null
        max_length=16, choices=choices(enums.ContactMode), null=True, blank=True
    )
    band = models.PositiveSmallIntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return self.contact_id


class Activity(Audited):
    """An investigation, intervention or supportive treatment (data set table ``activities``)."""

    request = models.ForeignKey(Request, on_delete=models.PROTECT, related_name="activities")
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.PROTECT, related_name="activities"
    )
    code = models.CharField(max_length=64)
    recorded_at = models.DateTimeField()
    import_key = models.CharField(max_length=64, null=True, blank=True, unique=True)

    def __str__(self) -> str:
        return f"{self.request_id}: {self.code}"


class OnwardReferral(Audited):
    """A referral on to a subspecialty service (data set table ``onward_referrals``)."""

    referral_id = models.CharField(max_length=64, unique=True)
    request = models.ForeignKey(Request, on_delete=models.PROTECT, related_name="onward_referrals")
    referred_at = models.DateTimeField()
    subspecialty = models.CharField(max_length=20, choices=choices(enums.Subspecialty))
    route = models.CharField(  # noqa: DJ001 - null is the data set's null
        max_length=20, choices=choices(enums.ReferralRoute), null=True, blank=True
    )
    converted = models.BooleanField(null=True, blank=True)

    def __str__(self) -> str:
        return self.referral_id


class Exit(Audited):
    """How and when the person left the service: at most one per request (table ``exits``)."""

    request = models.OneToOneField(Request, on_delete=models.PROTECT, related_name="exit")
    exited_at = models.DateTimeField()
    code = models.CharField(max_length=32, choices=choices(ExitCode))
    window_ends = models.DateField(null=True, blank=True)
    outcome = models.CharField(  # noqa: DJ001 - null is the data set's null
        max_length=16, choices=choices(enums.ExitOutcome), null=True, blank=True
    )
    window_closed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the SOS or PIFU window was closed (expired, or used by a return).",
    )

    def __str__(self) -> str:
        return f"{self.request_id}: {self.code}"


class Measure(Audited):
    """A completed outcome or experience measure (data set table ``measures``)."""

    request = models.ForeignKey(Request, on_delete=models.PROTECT, related_name="measures")
    instrument = models.CharField(max_length=16, choices=choices(enums.MeasureInstrument))
    timepoint = models.CharField(max_length=16, choices=choices(enums.Timepoint))
    completed_at = models.DateTimeField()
    items = models.CharField(max_length=200, blank=True)
    score = models.FloatField(null=True, blank=True)
    import_key = models.CharField(max_length=64, null=True, blank=True, unique=True)

    def __str__(self) -> str:
        return f"{self.request_id}: {self.instrument} {self.timepoint}"


class Feedback(Audited):
    """A complaint, compliment or concern about a service (data set table ``feedback``)."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="feedback")
    received_at = models.DateTimeField()
    kind = models.CharField(max_length=16, choices=choices(enums.FeedbackKind))
    nature = models.CharField(max_length=200, blank=True)
    import_key = models.CharField(max_length=64, null=True, blank=True, unique=True)

    def __str__(self) -> str:
        return f"{self.service_id}: {self.kind}"


class ResourceHit(Audited):
    """Visits to a self-management resource on one day (data set table ``resource_hits``)."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="resource_hits")
    date = models.DateField()
    resource = models.CharField(max_length=200)
    hits = models.PositiveIntegerField()
    import_key = models.CharField(max_length=64, null=True, blank=True, unique=True)

    def __str__(self) -> str:
        return f"{self.service_id}: {self.resource} {self.date}"


class Cost(Audited):
    """Staffing and consumables of a service in one calendar month (data set table ``costs``)."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="costs")
    month = models.CharField(max_length=7, help_text="YYYY-MM")
    staffing = models.FloatField(null=True, blank=True)
    consumables = models.FloatField(null=True, blank=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=("service", "month"), name="cost_one_per_month"),
        ]

    def __str__(self) -> str:
        return f"{self.service_id}: {self.month}"


class Population(Audited):
    """Residents of a health board by deprivation quintile (data set table ``population``)."""

    health_board = models.CharField(max_length=10)
    deprivation_quintile = models.PositiveSmallIntegerField()
    population = models.PositiveIntegerField()

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=("health_board", "deprivation_quintile"), name="population_one_per_quintile"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.health_board}: {self.deprivation_quintile}"
