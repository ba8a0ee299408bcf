"""Pages a patient opens without signing in: questionnaires by one-time link, resources."""

from __future__ import annotations

from django.urls import URLPattern

app_name = "outcomes_public"
urlpatterns: list[URLPattern] = []
