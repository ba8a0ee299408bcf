"""Sign-in, the language switch and the audit log in a real Chromium, with axe on every page."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from imsk.web.accounts import totp
from imsk.web.accounts.models import Role
from tests.browser.conftest import VisitedPage, assert_accessible
from tests.web.personas import PASSWORD, Personas, build_personas, secret_for, staff_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def personas(live_server: Any) -> Personas:
    return build_personas()


def _sign_in_with_password(visit: VisitedPage, url: str, email: str) -> None:
    page = visit.page
    page.goto(url)
    assert page.locator("h1").inner_text() == "Sign in"
    assert_accessible(page)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()


def test_a_clinician_signs_in_with_password_and_authenticator_code(
    visit: VisitedPage, live_server: Any, personas: Personas
) -> None:
    page = visit.page
    _sign_in_with_password(visit, f"{live_server.url}/", personas.clinician.email)
    assert page.locator("h1").inner_text() == "Enter your security code"
    assert_accessible(page)
    page.get_by_label("Security code").fill(totp.code_at(secret_for("clinician"), timezone.now()))
    page.get_by_role("button", name="Sign in").click()
    assert page.locator("h1").inner_text() == "Cardiff and Vale MSK"
    assert personas.clinician.full_name in page.locator("header").inner_text()
    assert_accessible(page)


def test_a_wrong_code_shows_an_error_summary_that_passes_axe(
    visit: VisitedPage, live_server: Any, personas: Personas
) -> None:
    page = visit.page
    _sign_in_with_password(visit, f"{live_server.url}/accounts/sign-in/", personas.triage.email)
    page.get_by_label("Security code").fill("12345")
    page.get_by_role("button", name="Sign in").click()
    assert (
        "Enter the security code as 6 digits" in page.locator(".nhsuk-error-summary").inner_text()
    )
    assert page.title().startswith("Error:")
    assert_accessible(page)


def test_a_first_sign_in_sets_up_the_authenticator_from_the_page(
    visit: VisitedPage, live_server: Any, personas: Personas
) -> None:
    page = visit.page
    newcomer = staff_member("newcomer@msk.example", Role.CLINICIAN, service=personas.our_service)
    _sign_in_with_password(visit, f"{live_server.url}/", newcomer.email)
    assert page.locator("h1").inner_text() == "Set up your authenticator app"
    assert page.locator("svg[role=img][aria-label]").count() == 2  # the NHS logo and the QR code
    assert_accessible(page)
    key = page.locator("code").inner_text().replace(" ", "")
    page.get_by_label("Security code").fill(totp.code_at(key, timezone.now()))
    page.get_by_role("button", name="Sign in").click()
    assert page.locator("h1").inner_text() == "Cardiff and Vale MSK"


def test_switching_to_welsh_shows_the_pages_in_welsh(visit: VisitedPage, live_server: Any) -> None:
    page = visit.page
    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.get_by_role("button", name="Cymraeg").click()
    assert page.locator("html").get_attribute("lang") == "cy"
    assert page.locator("h1").inner_text() == "Mewngofnodi"
    assert page.get_by_label("Cyfrinair").count() == 1
    assert_accessible(page)
    page.get_by_role("button", name="English").click()
    assert page.locator("h1").inner_text() == "Sign in"


def test_an_administrator_searches_the_audit_log(
    visit: VisitedPage, live_server: Any, personas: Personas
) -> None:
    page = visit.page
    _sign_in_with_password(visit, f"{live_server.url}/audit/", personas.admin.email)
    page.get_by_label("Security code").fill(totp.code_at(secret_for("admin"), timezone.now()))
    page.get_by_role("button", name="Sign in").click()
    assert page.locator("h1").inner_text() == "Audit log"
    page.get_by_label("Action").select_option("sign_in")
    page.get_by_role("button", name="Search").click()
    assert "alun.admin@msk.example" in page.locator("table").inner_text()
    assert_accessible(page)


def test_the_not_found_page_passes_axe(visit: VisitedPage, live_server: Any) -> None:
    visit.page.goto(f"{live_server.url}/no-such-page/")
    assert visit.page.locator("h1").inner_text() == "Page not found"
    assert_accessible(visit.page)
