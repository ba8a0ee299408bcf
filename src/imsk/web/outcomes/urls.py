"""Staff pages of the outcomes app."""

from __future__ import annotations

from django.urls import URLPattern

app_name = "outcomes"
urlpatterns: list[URLPattern] = []
