"""The person's own return by link (``/return/``): no sign-in, the link's secret is the key."""

from __future__ import annotations

from django.urls import path

from imsk.web.consultations import public_views

app_name = "care_return"
urlpatterns = [
    path("done/", public_views.done, name="done"),
    path("<str:token>/", public_views.start, name="start"),
    path("<str:token>/safety/<int:number>/", public_views.safety, name="safety"),
    path("<str:token>/confirm/", public_views.confirm, name="confirm"),
]
