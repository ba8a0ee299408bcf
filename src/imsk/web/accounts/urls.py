"""Sign-in (password, then the authenticator code or enrolment) and sign-out."""

from __future__ import annotations

from django.urls import path

from imsk.web.accounts import views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-in/code/", views.verify, name="verify"),
    path("sign-in/set-up-authenticator/", views.enrol, name="enrol"),
    path("sign-out/", views.sign_out, name="sign_out"),
]
