"""The patient self-referral (no sign-in): safety questions first, then about you, then consent."""

from __future__ import annotations

from django.urls import path

from imsk.web.referrals import self_referral

app_name = "self_referral"
urlpatterns = [
    path("", self_referral.start, name="start"),
    path("<str:service_id>/safety/<int:number>/", self_referral.safety, name="safety"),
    path("<str:service_id>/urgent/<str:group>/", self_referral.urgent, name="urgent"),
    path("<str:service_id>/<slug:step>/", self_referral.step, name="step"),
    path("done/", self_referral.done, name="done"),
]
