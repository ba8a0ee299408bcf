"""Errors the web application raises on purpose.

They subclass :class:`imsk.core.errors.ImskError`, like every deliberate imsk error, so an edge can
translate them in one place. Messages name the field or record at fault.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from imsk.core.errors import ImskError


class SettingsError(ImskError, ImproperlyConfigured):
    """An environment variable holds a value the settings cannot use (names the variable)."""


class AccountError(ImskError):
    """A user or service cannot be created or changed as asked (names the field)."""


class AuditError(ImskError):
    """The audit trail was used against its contract."""


class AuditImmutableError(AuditError):
    """An audit event was about to be changed or deleted: the trail is append-only."""


class AuditOutsideTransactionError(AuditError):
    """An audit event was recorded outside a transaction, so it could outlive a failed change."""
