"""Every URL of the site, found from the URL configuration, is either public by an explicit entry
below or refuses a visitor who has not signed in, a patient account and (for the API) a caller
without a key. A page added without an access check fails here, whichever app it belongs to; each
app's own access tests then check every staff role and the other health board.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from imsk.web.accounts.models import User
from tests.web.personas import Personas

pytestmark = pytest.mark.django_db

#: Pages anyone may open, and why.
PUBLIC = {
    "accounts:sign_in": "signing in",
    "accounts:verify": "the second step of signing in (refuses without the first)",
    "accounts:enrol": "setting up the authenticator during the first sign-in",
    "accounts:sign_out": "signing out",
    "set_language": "the language switch",
    "self_referral:start": "patient self-referral (no account)",
    "self_referral:safety": "patient self-referral",
    "self_referral:urgent": "patient self-referral: urgent advice",
    "self_referral:step": "patient self-referral",
    "self_referral:done": "patient self-referral",
    "care_return:done": "a person's return by their own link",
    "care_return:start": "a person's return by their own link (token)",
    "care_return:safety": "a person's return by their own link (token)",
    "care_return:confirm": "a person's return by their own link (token)",
    "outcomes_public:done": "a questionnaire by one-time link",
    "outcomes_public:start": "a questionnaire by one-time link (token)",
    "outcomes_public:check": "a questionnaire by one-time link (token)",
    "outcomes_public:page": "a questionnaire by one-time link (token)",
    "outcomes_public:resources": "self-management resources",
    "outcomes_public:resource": "a self-management resource",
    "api:openapi-json": "the API's documentation",
    "api:openapi-view": "the API's documentation",
}
#: API operations: a caller without a valid key gets 401.
API = {"api:submit_request", "api:submit_service_request", "api:get_request"}
#: Not a page: the API's root has no operation.
NOT_PAGES = {"api:api-root"}

_ARGUMENT = re.compile(r"<(?:(\w+):)?(\w+)>")
_SAMPLE = {"int": "1", "slug": "sample", "str": "MSK-7A4-000001", None: "MSK-7A4-000001"}


def _urls() -> Iterator[tuple[str, str]]:
    """(namespaced name, a concrete path) of every URL pattern."""

    def walk(
        patterns: list[URLPattern | URLResolver], prefix: str, space: str
    ) -> Iterator[tuple[str, str]]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{space}{pattern.namespace}:" if pattern.namespace else space
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            else:
                route = prefix + str(pattern.pattern)
                path = _ARGUMENT.sub(lambda m: _SAMPLE.get(m.group(1), "x"), route)
                yield f"{space}{pattern.name}", "/" + path

    yield from walk(get_resolver().url_patterns, "", "")


URLS = dict(_urls())
STAFF = sorted(set(URLS) - set(PUBLIC) - API - NOT_PAGES - {"home"})


def test_every_public_or_api_entry_names_a_real_url() -> None:
    assert set(PUBLIC) | API | NOT_PAGES <= set(URLS)


def test_the_staff_pages_found_cover_every_app() -> None:
    apps = {name.split(":")[0] for name in STAFF}
    assert {
        "audit",
        "dashboard",
        "referrals",
        "triage",
        "clinics",
        "consultations",
        "outcomes",
    } <= apps


@pytest.mark.parametrize("name", ["home", *STAFF])
def test_a_visitor_who_has_not_signed_in_is_sent_to_sign_in(client: Client, name: str) -> None:
    sent = 0
    for method in (client.get, client.post):
        response = method(URLS[name])
        if response.status_code == 405:  # the method is not offered: nothing is revealed
            continue
        assert response.status_code == 302, (name, method.__name__, response.status_code)
        assert response["Location"].startswith("/accounts/sign-in/"), name
        sent += 1
    assert sent > 0, name


@pytest.mark.parametrize("name", STAFF)
def test_a_patient_account_opens_no_staff_page(
    client_as: Callable[[User], Client], personas: Personas, name: str
) -> None:
    client = client_as(personas.patient)
    for method in (client.get, client.post):
        response = method(URLS[name])
        assert response.status_code in (403, 404, 405), (name, method.__name__)


@pytest.mark.parametrize("name", sorted(API))
def test_an_api_caller_without_a_key_is_refused(client: Client, name: str) -> None:
    path = URLS[name]
    response = client.get(path) if name == "api:get_request" else client.post(path, {})
    assert response.status_code == 401, name
