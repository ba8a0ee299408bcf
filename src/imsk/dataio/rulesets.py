"""Triage rule-set files: the bundled versions and files an administrator points imsk at.

Rule sets are versioned data (``docs/triage-rules.md``). The versions shipped with imsk are listed in
:data:`BUNDLED_RULESETS` (explicit registry, no discovery) and live in
``imsk/core/triage/rulesets/``. A service loads a new version without a code change by pointing imsk at
a JSON file (``imsk triage --ruleset PATH``); it is parsed and safety-checked exactly like a bundled
one (:func:`imsk.core.triage.parse_ruleset`).
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from imsk.core.errors import RuleSetError
from imsk.core.triage import RuleSet, parse_ruleset

__all__ = ["BUNDLED_RULESETS", "DEFAULT_RULESET_VERSION", "load_bundled_ruleset", "load_ruleset"]

BUNDLED_RULESETS: dict[str, str] = {
    "wales-2026-v1": "wales-2026-v1.json",
}
"""Rule-set version -> file name in ``imsk.core.triage/rulesets``."""

DEFAULT_RULESET_VERSION = "wales-2026-v1"


def load_bundled_ruleset(version: str = DEFAULT_RULESET_VERSION) -> RuleSet:
    """A rule set shipped with imsk, by version; :class:`RuleSetError` for an unknown version."""
    file_name = BUNDLED_RULESETS.get(version)
    if file_name is None:
        known = ", ".join(sorted(BUNDLED_RULESETS))
        raise RuleSetError(f"no bundled rule set version {version!r}; bundled: {known}")
    resource = resources.files("imsk.core.triage") / "rulesets" / file_name
    ruleset = _parse(resource.read_text(encoding="utf-8"), f"bundled rule set {file_name}")
    if ruleset.version != version:
        raise RuleSetError(f"bundled rule set {file_name} declares version {ruleset.version!r}")
    return ruleset


def load_ruleset(path: Path) -> RuleSet:
    """The rule set in the JSON file at ``path``."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise RuleSetError(f"rule set {path} is not UTF-8 text ({error.reason})") from None
    return _parse(text, f"rule set {path}")


def _parse(text: str, label: str) -> RuleSet:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise RuleSetError(
            f"{label} is not valid JSON: {error.msg} at line {error.lineno} column {error.colno}"
        ) from None
    try:
        return parse_ruleset(data)
    except RuleSetError as error:
        raise RuleSetError(f"{label}: {error}") from None
