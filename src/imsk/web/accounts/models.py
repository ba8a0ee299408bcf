"""Users, their roles and the MSK services they belong to.

A **service** is one integrated MSK service: the single point of access and the clinics behind it,
run by a health board (a Welsh local health board, ODS codes 7A1-7A7, or an English integrated care
board). It is the ``services`` table of the MSK data set (``../shared/spec/dataset.md``): the nation
selects the bank holidays used to count working days.

A **user** signs in with an email address. Their **role** decides what they may do (the role matrix,
``imsk.web.accounts.permissions.ROLE_POLICIES``); their **organisation scope** decides whose records
they may see: staff in a service see that service's records only; analysts and administrators are
scoped to a health board, or national when none is set. Patients sign in later through one-time
links and have no password here.

Writes go through ``imsk.web.accounts.services`` only, which audits each change.
"""

from __future__ import annotations

from typing import ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from imsk.core.calendar import Nation

NATION_CHOICES = [
    (Nation.WALES.value, _("Wales")),
    (Nation.ENGLAND.value, _("England")),
    (Nation.SCOTLAND.value, _("Scotland")),
    (Nation.NORTHERN_IRELAND.value, _("Northern Ireland")),
]


class Role(models.TextChoices):
    """The seven roles of the clinical application (permissions: ``ROLE_POLICIES``)."""

    PATIENT = "patient", _("Patient")
    REFERRER = "referrer", _("Referrer")
    TRIAGE_CLINICIAN = "triage_clinician", _("Triage clinician")
    CLINICIAN = "clinician", _("Clinician")
    SERVICE_MANAGER = "service_manager", _("Service manager")
    ANALYST = "analyst", _("Analyst")
    ADMINISTRATOR = "administrator", _("Administrator")


#: Roles that work inside one service and must name it.
SERVICE_ROLES = frozenset(
    {Role.REFERRER, Role.TRIAGE_CLINICIAN, Role.CLINICIAN, Role.SERVICE_MANAGER}
)
#: Roles scoped to a health board, or national when the health board is blank.
BOARD_ROLES = frozenset({Role.ANALYST, Role.ADMINISTRATOR})


class Service(models.Model):
    """An MSK service (data set table ``services``)."""

    service_id = models.CharField(_("service ID"), primary_key=True, max_length=64)
    name = models.CharField(_("name"), max_length=200)
    health_board = models.CharField(
        _("health board"), max_length=10, db_index=True, help_text=_("ODS code, e.g. 7A4")
    )
    nation = models.CharField(_("nation"), max_length=20, choices=NATION_CHOICES)

    class Meta:
        ordering = ("name",)
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(nation__in=[value for value, _label in NATION_CHOICES]),
                name="service_nation_known",
            ),
            models.CheckConstraint(condition=~Q(health_board=""), name="service_has_health_board"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.service_id})"


def normalise_email(email: str) -> str:
    """Email addresses are compared case-insensitively: stored stripped and lower-cased."""
    return email.strip().lower()


class UserManager(BaseUserManager["User"]):
    """Looks users up by normalised email; creation is ``accounts.services.create_user``."""

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email=normalise_email(username or ""))


class User(AbstractBaseUser):
    """A person who uses imsk: a patient or a member of staff."""

    email = models.EmailField(_("email address"), unique=True, max_length=254)
    full_name = models.CharField(_("full name"), max_length=200)
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    service = models.ForeignKey(
        Service,
        verbose_name=_("service"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    health_board = models.CharField(
        _("health board"), max_length=10, blank=True, help_text=_("blank means national")
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["full_name", "role"]

    class Meta:
        ordering = ("email",)
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(role__in=[value for value, _label in Role.choices]),
                name="user_role_known",
            ),
            models.CheckConstraint(
                condition=~Q(role__in=sorted(r.value for r in SERVICE_ROLES))
                | (Q(service__isnull=False) & ~Q(health_board="")),
                name="user_service_role_has_service",
            ),
            models.CheckConstraint(
                condition=Q(role__in=sorted(r.value for r in SERVICE_ROLES))
                | Q(service__isnull=True),
                name="user_only_service_roles_have_service",
            ),
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    @property
    def is_staff_member(self) -> bool:
        """Everyone but patients: signs in with a password and a second factor."""
        return self.role != Role.PATIENT

    @property
    def is_national(self) -> bool:
        """A board-scoped user (analyst, administrator) with no health board sees every board."""
        return self.role in BOARD_ROLES and not self.health_board


class TotpDevice(models.Model):
    """A user's authenticator app: the shared TOTP secret (RFC 6238) and the last time step used.

    ``last_used_step`` stops a code being replayed: a code is accepted only for a later step than
    the last one accepted. A device is unconfirmed until its first code is checked at enrolment.
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="totp_device")
    secret = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_used_step = models.BigIntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return f"TOTP device of {self.user_id}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None
