"""Staff pages of the outcomes app."""

from __future__ import annotations

from django.urls import path

from imsk.web.outcomes import views

app_name = "outcomes"
urlpatterns = [
    path("feedback/", views.feedback_list, name="feedback"),
    path("feedback/new/", views.feedback_new, name="feedback_new"),
    path("resources/", views.resource_list, name="resources"),
    path("resources/new/", views.resource_edit, name="resource_new"),
    path("resources/<int:pk>/edit/", views.resource_edit, name="resource_edit"),
    path("<str:request_id>/invite/", views.invite, name="invite"),
    path("<str:request_id>/invite/<int:pk>/resend/", views.resend, name="resend"),
    path("<str:request_id>/enter/", views.enter_choose, name="enter_choose"),
    path("<str:request_id>/enter/<str:instrument>/", views.enter, name="enter"),
]
