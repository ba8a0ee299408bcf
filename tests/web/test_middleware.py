"""The pages keep sessions, language, CSRF and messages; the key-authenticated API runs without them.

``imsk.web.middleware.PagesOnlyMiddleware`` runs ``PAGE_MIDDLEWARE`` for every path but ``/api/``.
These tests hold the pages' protections (a form posted without a CSRF token is refused, the language
cookie is honoured) and show the API does without (no cookie, no ``Vary`` on them).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

from imsk.web.middleware import PagesOnlyMiddleware
from tests.web.personas import Personas
from tests.web.test_referrals_builders import api_key, native_body, post_json

SIGN_IN = reverse("accounts:sign_in")


def test_a_page_form_posted_without_a_csrf_token_is_refused() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(SIGN_IN, {"email": "a@example.org", "password": "x" * 12})
    assert response.status_code == 403


@pytest.mark.django_db
def test_a_page_form_posted_with_its_csrf_token_is_accepted() -> None:
    client = Client(enforce_csrf_checks=True)
    client.get(SIGN_IN)
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(
        SIGN_IN, {"email": "a@example.org", "password": "x" * 12, "csrfmiddlewaretoken": token}
    )
    assert response.status_code != 403


def test_a_page_honours_the_language_cookie_and_varies_on_it(client: Client) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    response = client.get(SIGN_IN)
    assert response["Content-Language"] == "cy"
    assert "Cookie" in response["Vary"]


def test_the_api_sets_no_cookie_and_varies_on_neither_cookie_nor_language(
    client: Client, personas: Personas
) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    response = post_json(client, "/api/requests", native_body(), key=api_key(personas.our_service))
    assert response.status_code == 201, response.content
    assert not response.cookies
    assert "Vary" not in response
    assert "Content-Language" not in response
    assert int(response["Content-Length"]) == len(response.content)  # CommonMiddleware still runs
    assert response["X-Frame-Options"] == "DENY"  # and the site-wide headers


def test_an_api_call_runs_in_the_default_language_whatever_the_thread_served_before(
    client: Client, personas: Personas
) -> None:
    translation.activate("cy")
    try:
        seen: list[str] = []
        middleware = PagesOnlyMiddleware(lambda request: _language(request, seen))
        middleware(_request("/api/requests"))
        assert seen == [settings.LANGUAGE_CODE]
    finally:
        translation.deactivate()


def _language(request: HttpRequest, seen: list[str]) -> HttpResponse:
    seen.append(translation.get_language())
    return HttpResponse()


def _request(path: str) -> HttpRequest:
    request = HttpRequest()
    request.path = request.path_info = path
    request.method = "GET"
    request.META = {"SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80", "HTTP_HOST": "127.0.0.1"}
    return request


@pytest.mark.parametrize(
    "pages",
    [
        pytest.param(
            [p for p in settings.PAGE_MIDDLEWARE if "csrf" not in p], id="without CSRF protection"
        ),
        pytest.param(
            [*settings.PAGE_MIDDLEWARE, "tests.web.test_middleware.WithExceptionHook"],
            id="a middleware with an exception hook",
        ),
    ],
)
def test_a_page_middleware_list_that_would_lose_a_protection_or_hook_refuses_to_start(
    pages: list[str],
) -> None:
    with override_settings(PAGE_MIDDLEWARE=pages), pytest.raises(ImproperlyConfigured):
        PagesOnlyMiddleware(lambda request: HttpResponse())


class WithExceptionHook:
    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        return None
