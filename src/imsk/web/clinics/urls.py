"""Staff pages of the clinics app (``docs/clinics.md``)."""

from __future__ import annotations

from django.urls import path

from imsk.web.clinics import views

app_name = "clinics"
urlpatterns = [
    path("", views.clinic_list, name="list"),
    path("new/", views.clinic_new, name="new"),
    path("waiting-list/", views.waiting_list, name="waiting_list"),
    path("<int:pk>/", views.clinic_detail, name="detail"),
    path("<int:pk>/cancel/", views.clinic_cancel, name="cancel"),
    path("book/<str:request_id>/", views.book, name="book"),
    path("appointments/<str:contact_id>/", views.appointment, name="appointment"),
]
