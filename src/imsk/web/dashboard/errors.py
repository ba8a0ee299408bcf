"""Errors the dashboard raises on purpose (each names the file, entry or field at fault)."""

from __future__ import annotations

from imsk.core.errors import ImskError


class DashboardError(ImskError):
    """The dashboard cannot do what was asked."""


class UploadError(DashboardError):
    """An uploaded data set was refused before validation: not a zip, unsafe or too large."""


class FiguresNotKept(DashboardError):
    """Figures were read before their job kept them (views ask :mod:`.jobs` first)."""
