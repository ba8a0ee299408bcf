"""Staff pages of the single point of access."""

from __future__ import annotations

from django.urls import path

from imsk.web.referrals import views

app_name = "referrals"
urlpatterns = [
    path("", views.request_list, name="list"),
    path("new/", views.new_request, name="new"),
    path("<str:request_id>/", views.detail, name="detail"),
]
