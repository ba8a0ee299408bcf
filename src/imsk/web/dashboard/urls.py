"""The dashboard: data sets, their validation reports, KPI pages by level and group, exports."""

from __future__ import annotations

from django.urls import path

from imsk.web.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.index, name="index"),
    path("upload/", views.upload, name="upload"),
    path("<int:pk>/", views.dataset, name="dataset"),
    path("<int:pk>/kpis/", views.overview, name="overview"),
    path("<int:pk>/kpis/<str:level>/<str:key>/", views.group, name="group"),
    path("<int:pk>/export.<str:form>", views.export, name="export"),
    path("<int:pk>/figures/retry/", views.retry, name="retry"),
]
