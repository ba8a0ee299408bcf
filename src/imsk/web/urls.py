"""The site's URLs: one prefix per app, and the language switch."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, include, path
from django.views.i18n import set_language

from imsk.web import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("accounts/", include("imsk.web.accounts.urls")),
    path("audit/", include("imsk.web.audit.urls")),
    path("dashboard/", include("imsk.web.dashboard.urls")),
    path("referrals/", include("imsk.web.referrals.urls")),
    path("self-referral/", include("imsk.web.referrals.self_urls")),
    path("api/", include("imsk.web.api.urls")),
    path("triage/", include("imsk.web.triage.urls")),
    path("clinics/", include("imsk.web.clinics.urls")),
    path("care/", include("imsk.web.consultations.urls")),
    path("return/", include("imsk.web.consultations.public_urls")),
    path("outcomes/", include("imsk.web.outcomes.urls")),
    path("my/", include("imsk.web.outcomes.public_urls")),
    path("language/", set_language, name="set_language"),
]
