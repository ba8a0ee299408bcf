"""Staff pages of the clinics app."""

from __future__ import annotations

from django.urls import URLPattern

app_name = "clinics"
urlpatterns: list[URLPattern] = []
