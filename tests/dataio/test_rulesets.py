"""Rule-set files: the bundled versions load, a user's file loads, and bad files say what is wrong."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from imsk.core.calendar import calendar_for
from imsk.core.errors import RuleSetError
from imsk.core.triage import Disposition, facts_from_mapping, triage
from imsk.dataio.rulesets import BUNDLED_RULESETS, load_bundled_ruleset, load_ruleset
from tests.conftest import REPO_ROOT
from tests.core.triage.builders import bundled_document, rule_in


@pytest.mark.parametrize("version", sorted(BUNDLED_RULESETS))
def test_every_bundled_rule_set_loads_under_its_own_version(version: str) -> None:
    assert load_bundled_ruleset(version).version == version


def test_an_unknown_bundled_version_is_refused_listing_the_known_ones() -> None:
    with pytest.raises(
        RuleSetError, match=r"no bundled rule set version 'wales-1999'.*wales-2026-v1"
    ):
        load_bundled_ruleset("wales-1999")


def test_a_rule_set_file_changes_a_decision_without_a_code_change(tmp_path: Path) -> None:
    document = bundled_document()
    document["version"] = "local-2027-v1"
    rule_in(document, "urgent_high_pain_and_impact")["when"] = {"is_true": "high_pain"}
    path = tmp_path / "local-2027-v1.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    facts = facts_from_mapping(
        {"received_at": "2026-06-10", "source": "self", "age": 40, "high_pain": True}
    )
    wales = calendar_for("wales")
    assert triage(facts, load_bundled_ruleset(), wales).priority.value == "routine"
    decision = triage(facts, load_ruleset(path), wales)
    assert decision.priority.value == "urgent"
    assert decision.disposition is Disposition.ACCEPT
    assert decision.ruleset_version == "local-2027-v1"


def test_a_rule_set_file_that_is_not_json_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"format": 1,', encoding="utf-8")
    with pytest.raises(RuleSetError, match=r"broken\.json is not valid JSON: .* line 1"):
        load_ruleset(path)


def test_a_malformed_rule_in_a_file_is_refused_naming_file_rule_and_field(tmp_path: Path) -> None:
    document = bundled_document()
    rule_in(document, "under_18")["when"] = {"age_below": -3}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(RuleSetError, match=r"bad\.json: rule 'under_18', field when\.age_below"):
        load_ruleset(path)


def test_the_triage_rules_document_lists_every_bundled_rule() -> None:
    """docs/triage-rules.md must stay true: every rule id of every bundled version appears in it."""
    text = (REPO_ROOT / "docs" / "triage-rules.md").read_text(encoding="utf-8")
    for version in BUNDLED_RULESETS:
        for rule in load_bundled_ruleset(version).rules:
            assert f"`{rule.id}`" in text, rule.id
