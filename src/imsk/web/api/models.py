"""API clients: electronic referral systems that submit requests with an API key.

A client is scoped like a member of staff: to one **service** (its requests go there), or to a
**health board** (each request names one of that board's services). The key is shown once, when the
``imsk_create_api_key`` command creates it; only its SHA-256 digest is stored, with a short public
prefix to find the row. Keys are 256-bit random strings, so a fast digest is enough: there is
nothing for an attacker to guess from it (unlike a password, which needs a slow hash).
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from imsk.web.accounts.models import Service


class ApiClient(models.Model):
    """One electronic referral system allowed to call the intake API."""

    name = models.CharField(_("name"), max_length=200)
    key_prefix = models.CharField(max_length=16, unique=True)
    key_digest = models.CharField(max_length=64)
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.PROTECT, related_name="api_clients"
    )
    health_board = models.CharField(_("health board"), max_length=10)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ("name",)
        constraints: ClassVar = [
            models.CheckConstraint(condition=~Q(health_board=""), name="api_client_has_board"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix})"
