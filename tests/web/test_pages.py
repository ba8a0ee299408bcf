"""Pages: home routes by role, error pages, Welsh and English, nothing loaded from elsewhere."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from imsk.web.accounts.models import User
from tests.web.personas import Personas

pytestmark = pytest.mark.django_db

HOME_HEADINGS = {
    "referrer": "<h1>Cardiff and Vale MSK</h1>",
    "triage": "<h1>Cardiff and Vale MSK</h1>",
    "clinician": "<h1>Cardiff and Vale MSK</h1>",
    "manager": "<h1>Cardiff and Vale MSK</h1>",
    "other_board_clinician": "<h1>Betsi Cadwaladr MSK</h1>",
    "analyst": "<h1>Service figures</h1>",
    "national_analyst": "<h1>Service figures</h1>",
    "admin": "<h1>Administration</h1>",
    "board_admin": "<h1>Administration</h1>",
    "patient": "<h1>Hello Pat Patient</h1>",
}


@pytest.mark.parametrize(("persona", "heading"), HOME_HEADINGS.items())
def test_the_home_page_is_the_start_page_of_each_role(
    persona: str, heading: str, personas: Personas, client_as: Callable[[User], Client]
) -> None:
    page = client_as(personas.all()[persona]).get(reverse("home"))
    assert page.status_code == 200
    assert heading in page.content.decode()


def test_only_administrators_get_the_audit_link_in_the_header(
    personas: Personas, client_as: Callable[[User], Client]
) -> None:
    assert 'href="/audit/"' in client_as(personas.admin).get(reverse("home")).content.decode()
    assert (
        'href="/audit/"' not in client_as(personas.clinician).get(reverse("home")).content.decode()
    )


def test_an_unknown_address_gets_the_nhs_style_not_found_page(client: Client) -> None:
    page = client.get("/no-such-page/")
    assert page.status_code == 404
    assert "Page not found" in page.content.decode()
    assert 'class="nhsuk-header"' in page.content.decode()


def test_the_sign_in_page_is_in_welsh_when_the_language_cookie_says_cy(client: Client) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    page = client.get(reverse("accounts:sign_in")).content.decode()
    assert '<html lang="cy">' in page
    assert "<h1>Mewngofnodi</h1>" in page
    assert "Neidio i'r prif gynnwys" in page
    assert 'value="en" lang="en">English</button>' in page


def test_the_language_switch_sets_welsh_and_returns_to_the_same_page(client: Client) -> None:
    response = client.post(
        reverse("set_language"), {"language": "cy", "next": "/accounts/sign-in/"}
    )
    assert response.headers["Location"] == "/accounts/sign-in/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "cy"
    assert "<h1>Mewngofnodi</h1>" in client.get("/accounts/sign-in/").content.decode()


def test_english_is_the_default_and_offers_welsh(client: Client) -> None:
    page = client.get(reverse("accounts:sign_in")).content.decode()
    assert '<html lang="en">' in page
    assert "<h1>Sign in</h1>" in page
    assert 'value="cy" lang="cy">Cymraeg</button>' in page


EXTERNAL = re.compile(r"""(?:src|href|action)\s*=\s*["'](?:https?:)?//""", re.IGNORECASE)


@pytest.mark.parametrize("persona", ["admin", "clinician"])
def test_pages_load_nothing_from_another_site(
    persona: str, personas: Personas, client: Client, client_as: Callable[[User], Client]
) -> None:
    anonymous = [client.get(reverse("accounts:sign_in")), client.get("/nowhere/")]
    signed_in = client_as(personas.all()[persona])
    pages = [*anonymous, signed_in.get(reverse("home")), signed_in.get(reverse("audit:search"))]
    for page in pages:
        html = page.content.decode()
        assert not EXTERNAL.findall(html), page.request["PATH_INFO"]
        assert "/static/vendor/nhsuk/nhsuk.min.css" in html


WEB = Path(__file__).resolve().parents[2] / "src" / "imsk" / "web"
#: The project catalogue and each app's own (an app keeps its messages beside its code).
CATALOGUES = sorted(WEB.glob("**/locale/cy/LC_MESSAGES/django.po"))


def test_the_project_catalogue_is_among_those_checked() -> None:
    assert WEB / "locale" / "cy" / "LC_MESSAGES" / "django.po" in CATALOGUES


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.relative_to(WEB)))
def test_every_message_has_a_welsh_translation(po_path: Path) -> None:
    po = po_path.read_text(encoding="utf-8")
    entries = po.split("\n\n")[1:]  # the first entry is the header
    # An empty msgstr not continued on the next line (a wrapped one is ``msgstr ""`` + ``"..."``).
    untranslated = [e for e in entries if re.search(r'^msgstr(\[\d\])? ""(?!\n")$', e, re.M)]
    assert "#, fuzzy" not in po
    assert untranslated == []


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.relative_to(WEB)))
def test_the_compiled_welsh_catalogue_is_up_to_date(po_path: Path) -> None:
    mo = po_path.with_suffix(".mo")
    assert mo.exists(), "compile the Welsh catalogue: scripts/setup-web.sh"
    assert mo.stat().st_mtime >= po_path.stat().st_mtime, (
        "django.po changed: run scripts/setup-web.sh"
    )


def _msgids(po: str) -> set[str]:
    """The message ids of a catalogue (context, singular and plural joined), header excluded."""
    ids: set[str] = set()
    for entry in po.split("\n\n"):
        lines = [line for line in entry.splitlines() if not line.startswith("#")]
        parts: dict[str, str] = {}
        current = ""
        for line in lines:
            keyword = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?) "(.*)"$', line)
            if keyword:
                current = keyword.group(1)
                parts[current] = keyword.group(2)
            elif line.startswith('"') and current:
                parts[current] += line[1:-1]
        if parts.get("msgid"):
            ids.add("\x04".join(parts.get(k, "") for k in ("msgctxt", "msgid", "msgid_plural")))
    return ids


def test_every_catalogue_holds_every_message_of_its_code(tmp_path: Path) -> None:
    """``makemessages`` on a copy of the code finds no message missing from the catalogues."""
    copy = tmp_path / "web"
    shutil.copytree(
        WEB, copy, ignore=shutil.ignore_patterns("static", "__pycache__", "*.mo", "node_modules")
    )
    result = subprocess.run(
        [str(Path(sys.executable).parent / "django-admin"), "makemessages", "-l", "cy", "-v", "0"],
        cwd=copy,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    missing = {}
    for po_path in CATALOGUES:
        fresh = copy / po_path.relative_to(WEB)
        new = _msgids(fresh.read_text(encoding="utf-8")) - _msgids(
            po_path.read_text(encoding="utf-8")
        )
        if new:
            missing[str(po_path.relative_to(WEB))] = sorted(new)
    assert missing == {}, "run makemessages -l cy in src/imsk/web and translate the new entries"
