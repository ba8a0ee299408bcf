"""The API's URLs, under ``/api/`` (OpenAPI documentation at ``/api/docs``)."""

from __future__ import annotations

from imsk.web.api.api import api

app_name = "api"
urlpatterns = list(api.urls[0])
