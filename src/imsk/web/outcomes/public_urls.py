"""Pages a patient opens without signing in: questionnaires by one-time link, resources."""

from __future__ import annotations

from django.urls import path

from imsk.web.outcomes import public_views

app_name = "outcomes_public"
urlpatterns = [
    path("q/done/", public_views.done, name="done"),
    path("q/<str:token>/", public_views.start, name="start"),
    path("q/<str:token>/check/", public_views.check, name="check"),
    path("q/<str:token>/<str:instrument>/", public_views.page, name="page"),
    path("resources/", public_views.resources, name="resources"),
    path("resources/<str:service_id>/<slug:slug>/", public_views.resource, name="resource"),
]
