"""Builders for triage tests: a plain adult GP request, changed field by field, and the rule sets."""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from datetime import date
from importlib import resources
from typing import Any

from imsk.core.triage import Category, RuleSet, Source, TriageFacts, parse_ruleset

BUNDLED_FILE = "wales-2026-v1.json"

A_WEDNESDAY = date(2026, 6, 10)

PLAIN_REQUEST = TriageFacts(
    received_on=A_WEDNESDAY,
    source=Source.GP,
    category=Category.MANAGEMENT_OPINION,
    age=45,
)
"""An adult GP request with nothing ticked and no stratification recorded."""


def a_request(**changes: Any) -> TriageFacts:
    """The plain request with ``changes`` applied (validated again by the dataclass)."""
    return replace(PLAIN_REQUEST, **changes)


def bundled_document() -> dict[str, Any]:
    """A fresh, mutable copy of the bundled rule set's JSON document."""
    text = (resources.files("imsk.core.triage") / "rulesets" / BUNDLED_FILE).read_text("utf-8")
    document: dict[str, Any] = json.loads(text)
    return copy.deepcopy(document)


def bundled_ruleset() -> RuleSet:
    return parse_ruleset(bundled_document())


def rule_in(document: dict[str, Any], rule_id: str) -> dict[str, Any]:
    """The JSON object of one rule in ``document`` (to edit it in a test)."""
    for rule in document["rules"]:
        if rule["id"] == rule_id:
            found: dict[str, Any] = rule
            return found
    raise KeyError(rule_id)
