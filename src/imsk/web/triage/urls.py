"""Staff pages of the triage app: the worklist and the triage of one request."""

from __future__ import annotations

from django.urls import path

from imsk.web.triage import views

app_name = "triage"
urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("<str:request_id>/", views.screen, name="screen"),
    path("<str:request_id>/ask/", views.ask, name="ask"),
    path("<str:request_id>/questions/<int:question_id>/answer/", views.answer, name="answer"),
    path("<str:request_id>/redirect/", views.redirect_request, name="redirect"),
    path("<str:request_id>/letter/", views.letter, name="letter"),
]
