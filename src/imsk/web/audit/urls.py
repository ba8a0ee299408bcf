"""The audit trail: search (administrators only) and CSV export."""

from __future__ import annotations

from django.urls import path

from imsk.web.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.search, name="search"),
    path("export.csv", views.export, name="export"),
]
