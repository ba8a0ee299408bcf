"""Pages of the care record (``/care/``): the record of a request and its clinical actions."""

from __future__ import annotations

from django.urls import path

from imsk.web.consultations import views

app_name = "consultations"
urlpatterns = [
    path("escalations/", views.escalations, name="escalations"),
    path("<str:request_id>/", views.record, name="record"),
    path("<str:request_id>/consultation/", views.consultation, name="consultation"),
    path("<str:request_id>/condition-code/", views.condition_code, name="condition_code"),
    path("<str:request_id>/activity/", views.activity, name="activity"),
    path("<str:request_id>/escalate/", views.escalate, name="escalate"),
    path(
        "<str:request_id>/escalations/<int:escalation_id>/respond/",
        views.respond,
        name="respond",
    ),
    path("<str:request_id>/onward-referral/", views.onward_referral, name="onward_referral"),
    path("<str:request_id>/interface-clinic/", views.interface_case, name="interface_case"),
    path("<str:request_id>/exit/", views.exit_view, name="exit"),
    path("<str:request_id>/return/", views.return_view, name="return"),
    path("<str:request_id>/return-link/", views.return_link, name="return_link"),
]
