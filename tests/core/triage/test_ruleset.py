"""Rule sets are data: strict parsing, errors naming the rule and field, and a safety check."""

from __future__ import annotations

from typing import Any

import pytest

from imsk.core.calendar import calendar_for
from imsk.core.errors import RuleSetError
from imsk.core.triage import (
    RED_FLAG_GROUPS,
    Disposition,
    Pathway,
    RedFlag,
    parse_ruleset,
    triage,
)
from tests.core.triage.builders import a_request, bundled_document, rule_in

WALES = calendar_for("wales")


def rejected(document: Any) -> str:
    with pytest.raises(RuleSetError) as raised:
        parse_ruleset(document)
    return str(raised.value)


def test_the_bundled_rule_set_loads_with_its_version_and_unique_rule_ids() -> None:
    ruleset = parse_ruleset(bundled_document())
    assert ruleset.version == "wales-2026-v1"
    assert len({rule.id for rule in ruleset.rules}) == len(ruleset.rules)
    assert all(rule.source.strip() and rule.explanation.strip() for rule in ruleset.rules)


def test_every_red_flag_belongs_to_exactly_one_group() -> None:
    memberships = [flag for flags in RED_FLAG_GROUPS.values() for flag in flags]
    assert sorted(memberships) == sorted(RedFlag)


def test_a_custom_rule_set_changes_a_decision_without_a_code_change() -> None:
    document = bundled_document()
    document["version"] = "local-2027-v1"
    rule_in(document, "under_18")["when"] = {"age_below": 16}
    seventeen = a_request(age=17)
    before = triage(seventeen, parse_ruleset(bundled_document()), WALES)
    after = triage(seventeen, parse_ruleset(document), WALES)
    assert before.disposition is Disposition.REDIRECT_PAEDIATRICS
    assert after.disposition is Disposition.ACCEPT
    assert after.ruleset_version == "local-2027-v1"


def test_an_added_rule_can_raise_a_pathway() -> None:
    document = bundled_document()
    document["rules"].append(
        {
            "id": "crps_to_pain_service",
            "title": "CRPS: persistent pain subspecialty",
            "explanation": "Complex regional pain syndrome goes to the persistent pain service.",
            "source": "local pathway",
            "when": {"condition_code_in": ["WIDESPREAD.CRPS"]},
            "then": {"pathway": "subspecialty", "band": "7+"},
        }
    )
    decision = triage(a_request(condition_code="WIDESPREAD.CRPS"), parse_ruleset(document), WALES)
    assert decision.pathway is Pathway.SUBSPECIALTY
    assert "crps_to_pain_service" in {rule.id for rule in decision.fired_rules}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d.pop("version"), "rule set field version"),
        (lambda d: d.update(format=2), "rule set field format"),
        (lambda d: d.update(colour="blue"), "unknown field(s): colour"),
        (lambda d: d.update(rules=[]), "rule set field rules"),
        (lambda d: d.update(defaults={"pathway": "redirected", "band": "5-6"}), "defaults.pathway"),
        (lambda d: d.update(band_numbers={"5-6": 7, "7+": 7}), "band_numbers.5-6"),
    ],
    ids=[
        "no version",
        "unknown format",
        "unknown top field",
        "no rules",
        "redirect default",
        "band",
    ],
)
def test_a_malformed_rule_set_header_is_refused_naming_the_field(
    change: Any, expected: str
) -> None:
    document = bundled_document()
    change(document)
    assert expected in rejected(document)


RULE_ERRORS: list[tuple[str, dict[str, Any], str]] = [
    (
        "under_18",
        {"when": {"age_under": 18}},
        "rule 'under_18', field when: unknown operator 'age_under'",
    ),
    ("under_18", {"when": {"age_below": "18"}}, "rule 'under_18', field when.age_below"),
    ("under_18", {"when": {"age_below": 18, "age_at_least": 2}}, "rule 'under_18', field when:"),
    (
        "high_risk_of_chronicity",
        {
            "when": {
                "any": [
                    {"is_true": "orebro_at_risk"},
                    {"equals": {"fact": "start_back", "value": "severe"}},
                ]
            }
        },
        "rule 'high_risk_of_chronicity', field when.any[1].equals.value: "
        "unknown value of start_back 'severe'",
    ),
    (
        "urgent_recent_surgery",
        {"when": {"is_true": "recent_surgery"}},
        "rule 'urgent_recent_surgery', field when.is_true: unknown yes/no fact 'recent_surgery'",
    ),
    (
        "red_flag_cauda_equina",
        {"when": {"any_red_flag_in_group": "ces"}},
        "field when.any_red_flag_in_group: unknown red flag group 'ces'",
    ),
    (
        "axial_spa_four_features",
        {"when": {"count_at_least": {"fact": "axial_spa_features", "value": -1}}},
        "field when.count_at_least.value",
    ),
    (
        "axial_spa_four_features",
        {"when": {"count_at_least": {"fact": "hobbies", "value": 4}}},
        "field when.count_at_least.fact: unknown list fact 'hobbies'",
    ),
    (
        "under_18",
        {"when": {"any": []}},
        "rule 'under_18', field when.any: expected a non-empty list",
    ),
    (
        "under_18",
        {"then": {"disposition": "send_home"}},
        "rule 'under_18', field then.disposition: 'send_home' is not one of",
    ),
    (
        "under_18",
        {"then": {"pathway": "redirected"}},
        "rule 'under_18', field then.pathway: redirected follows",
    ),
    (
        "under_18",
        {"then": {"urgency": "high"}},
        "rule 'under_18', field then: unknown field(s) urgency",
    ),
    ("under_18", {"explanation": ""}, "rule 'under_18', field explanation"),
    ("under_18", {"id": "Under 18"}, "field id: expected lower_snake_case"),
    (
        "under_18",
        {"id": "urgent_recent_surgery"},
        "rule 'urgent_recent_surgery', field id: the id appears twice",
    ),
    ("under_18", {"colour": "blue"}, "rule 'under_18': field(s) unknown colour"),
]


@pytest.mark.parametrize(
    ("rule_id", "change", "expected"), RULE_ERRORS, ids=[e[2][:60] for e in RULE_ERRORS]
)
def test_a_malformed_rule_is_refused_naming_the_rule_and_field(
    rule_id: str, change: dict[str, Any], expected: str
) -> None:
    document = bundled_document()
    rule_in(document, rule_id).update(change)
    assert expected in rejected(document)


def test_a_rule_without_its_when_is_refused_naming_the_missing_field() -> None:
    document = bundled_document()
    del rule_in(document, "under_18")["when"]
    assert "rule 'under_18': field(s) missing when" in rejected(document)


def test_a_rule_set_without_the_cauda_equina_rule_is_refused_as_unsafe() -> None:
    document = bundled_document()
    document["rules"] = [r for r in document["rules"] if r["id"] != "red_flag_cauda_equina"]
    message = rejected(document)
    assert "unsafe" in message
    assert "cauda_equina" in message


def test_a_rule_set_that_softens_a_red_flag_below_its_floor_is_refused() -> None:
    document = bundled_document()
    rule_in(document, "red_flag_cauda_equina")["then"]["disposition"] = "urgent_medical_review"
    assert "emergency_redirect" in rejected(document)


def test_a_rule_set_that_makes_a_red_flag_routine_is_refused() -> None:
    document = bundled_document()
    del rule_in(document, "red_flag_suspected_fracture")["then"]["priority"]
    assert "priority urgent" in rejected(document)


def test_a_red_flag_rule_that_also_needs_another_answer_does_not_count_as_cover() -> None:
    document = bundled_document()
    rule = rule_in(document, "red_flag_suspected_infection")
    rule["when"] = {"all": [rule["when"], {"age_at_least": 18}]}
    assert "suspected_infection" in rejected(document)


def test_red_flags_may_be_covered_one_by_one_instead_of_by_group() -> None:
    document = bundled_document()
    flags = sorted(RED_FLAG_GROUPS[next(iter(RED_FLAG_GROUPS))])
    rule_in(document, "red_flag_cauda_equina")["when"] = {
        "any": [{"red_flag": flag.value} for flag in flags]
    }
    assert parse_ruleset(document).version == "wales-2026-v1"
