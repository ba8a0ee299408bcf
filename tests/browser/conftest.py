"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Never ``playwright install``: the browser is ``/usr/bin/chromium`` (``scripts/setup-web.sh`` installs
it). Each page visited is checked with axe-core (``node_modules/axe-core``) for serious and critical
accessibility violations, and every request the page makes must go to the live server itself.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import django
import pytest
from django.apps import apps

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "imsk.web.settings")
os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
# Playwright's sync API runs an event loop in this thread; the Django calls the tests make here
# (building personas) are ordinary synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
if not apps.ready:
    django.setup()

from django.utils import timezone
from playwright.sync_api import Browser, Page, Request, sync_playwright
from pytest_django import Settings

from imsk.web.accounts import totp
from tests.web.personas import PASSWORD, secret_for

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("IMSK_CHROMIUM", "/usr/bin/chromium"))
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
NHSUK_CSS = REPO / "src" / "imsk" / "web" / "static" / "vendor" / "nhsuk" / "nhsuk.min.css"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BLOCKING_IMPACTS = {"serious", "critical"}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives a real Chromium through Playwright")


def _missing() -> str:
    needs = {
        CHROMIUM: "Chromium (apt-get install chromium)",
        AXE: "axe-core (npm ci)",
        NHSUK_CSS: "the NHS.UK frontend build (scripts/setup-web.sh)",
    }
    return ", ".join(what for path, what in needs.items() if not path.exists())


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    missing = _missing()
    if missing:
        message = f"browser tests need {missing}: run scripts/setup-web.sh"
        if os.environ.get("IMSK_REQUIRE_BROWSER") == "1":
            pytest.fail(message)  # CI (scripts/check.sh) must never pass by skipping them
        pytest.skip(message)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class VisitedPage:
    """A page plus the requests it made to other hosts (there must be none)."""

    def __init__(self, page: Page, origin: str) -> None:
        self.page = page
        self.external: list[str] = []
        page.on("request", lambda request: self._note(request, origin))

    def _note(self, request: Request, origin: str) -> None:
        if not request.url.startswith((origin, "data:", "about:")):
            self.external.append(request.url)


@pytest.fixture
def visit(browser: Browser, live_server: Any, settings: Settings) -> Iterator[VisitedPage]:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    context = browser.new_context(locale="en-GB")
    # Pages that compute KPIs on first view can take many seconds on a loaded two-core CI machine;
    # a generous timeout keeps the tests about behaviour, not speed (speed lives in benchmarks/).
    context.set_default_timeout(180_000)
    context.set_default_navigation_timeout(180_000)
    visited = VisitedPage(context.new_page(), live_server.url)
    yield visited
    context.close()
    assert visited.external == [], f"pages requested other sites: {visited.external}"


def assert_accessible(page: Page) -> None:
    """axe-core finds no serious or critical violation on the page as it is now."""
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate("axe.run()")
    blocking = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}"
        for v in result["violations"]
        if v["impact"] in BLOCKING_IMPACTS
    ]
    assert blocking == [], f"{page.url}: " + "; ".join(blocking)


#: The last TOTP time step each persona signed in with (see :func:`sign_in`).
_LAST_STEP: dict[str, int] = {}


def _unused_code(persona: str) -> str:
    """A code for a time step the persona has not signed in with yet.

    The service accepts each step once (replay protection) and one step of drift either way, so a
    second sign-in within the same 30 seconds uses the next step's code, and waits for the clock only
    if even that one is spent.
    """
    step = int(timezone.now().timestamp()) // totp.STEP_SECONDS
    use = max(step, _LAST_STEP.get(persona, step - 1) + 1)
    while use > step + totp.DRIFT_STEPS:
        time.sleep(1)
        step = int(timezone.now().timestamp()) // totp.STEP_SECONDS
    _LAST_STEP[persona] = use
    return totp.code_at(secret_for(persona), datetime.fromtimestamp(use * totp.STEP_SECONDS, UTC))


def sign_in(visit: VisitedPage, base_url: str, email: str, persona: str, next_url: str) -> None:
    """Sign in as a persona of ``tests.web.personas`` (password, then a TOTP code of its secret)
    and land on ``next_url``."""
    page = visit.page
    page.goto(f"{base_url}/accounts/sign-in/?next={next_url}")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Security code").fill(_unused_code(persona))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert "/accounts/sign-in/" not in page.url, f"{persona} was not signed in: {page.url}"
