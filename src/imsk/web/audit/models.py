"""The audit trail: one row per change to a record and per view of a patient record.

The National Data Guardian's data security standard 4 asks that "all access to personal confidential
data on IT systems can be attributed to individuals". Each row says **who** (actor,
with their role at the time), **what** (the action), **which record** (object type and id, and the
service and health board it belongs to) and **when** (UTC, shown in Europe/London). Failed and
locked-out sign-ins are recorded too, under the email address tried.

Rows are **append-only**: saving an existing row, deleting one, and queryset ``update``/``delete``
all raise :class:`~imsk.web.errors.AuditImmutableError` (on PostgreSQL a trigger refuses UPDATE and
DELETE as well). Rows are written only by :func:`imsk.web.audit.services.record`, inside the
transaction of the change they describe.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from imsk.web.errors import AuditImmutableError


class Action(models.TextChoices):
    """What happened. Names are past-tense-free verbs so filters read naturally."""

    CREATE = "create", _("Create")
    UPDATE = "update", _("Update")
    DELETE = "delete", _("Delete")
    VIEW = "view", _("View")
    EXPORT = "export", _("Export")
    SIGN_IN = "sign_in", _("Sign in")
    SIGN_IN_FAILED = "sign_in_failed", _("Sign-in failed")
    SIGN_IN_LOCKED = "sign_in_locked", _("Sign-in refused: locked out")
    SIGN_OUT = "sign_out", _("Sign out")
    SECOND_FACTOR_ENROLLED = "second_factor_enrolled", _("Second factor enrolled")


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    """Refuses bulk changes: the trail only grows."""

    def update(self, **kwargs: Any) -> int:
        raise AuditImmutableError("audit events cannot be updated")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditImmutableError("audit events cannot be deleted")


class AuditEvent(models.Model):
    """Who did what to which record, and when."""

    occurred_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,  # a user with a trail is deactivated, never deleted
        related_name="+",
    )
    actor_email = models.CharField(
        _("actor email"), max_length=254, blank=True, help_text=_("or the address tried")
    )
    actor_role = models.CharField(_("actor role"), max_length=32, blank=True)
    action = models.CharField(_("action"), max_length=32, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object ID"), max_length=128, blank=True)
    service_id = models.CharField(_("service ID"), max_length=64, blank=True, db_index=True)
    health_board = models.CharField(_("health board"), max_length=10, blank=True, db_index=True)
    details = models.JSONField(_("details"), default=dict, blank=True, encoder=DjangoJSONEncoder)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ("-occurred_at", "-id")
        indexes: ClassVar = [
            models.Index(
                fields=["actor_email", "action", "occurred_at"], name="audit_actor_action_at"
            ),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.actor_email or '-'} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditImmutableError(f"audit event {self.pk} cannot be changed")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditImmutableError(f"audit event {self.pk} cannot be deleted")

    @property
    def details_json(self) -> str:
        """The details as compact JSON, keys sorted (for the search page and the export)."""
        return json.dumps(self.details, cls=DjangoJSONEncoder, sort_keys=True, ensure_ascii=False)
