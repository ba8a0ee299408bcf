"""Staff pages of the consultations app."""

from __future__ import annotations

from django.urls import URLPattern

app_name = "consultations"
urlpatterns: list[URLPattern] = []
