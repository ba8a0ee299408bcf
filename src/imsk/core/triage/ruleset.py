"""Triage rule sets: versioned data, parsed strictly, checked for clinical safety when loaded.

A rule set is a JSON document (format 1)::

    {
      "format": 1,
      "version": "wales-2026-v1",
      "title": "...",
      "source": "...",
      "defaults": {"pathway": "assess_and_support", "band": "5-6"},
      "band_numbers": {"5-6": 6, "7+": 7},
      "rules": [
        {"id": "cauda_equina", "title": "...", "explanation": "...", "source": "...",
         "when": {"any_red_flag_in_group": "cauda_equina"},
         "then": {"disposition": "emergency_redirect", "priority": "urgent"}}
      ]
    }

``when`` is a condition (:mod:`imsk.core.triage.conditions`); ``then`` sets any of ``disposition``,
``priority``, ``pathway`` (not ``redirected``, which follows from a redirect) and ``band`` (``5-6`` or
``7+``). ``then`` may be empty: an advisory rule that only adds its explanation to the decision.
``defaults`` apply when no fired rule sets the pathway or band; ``band_numbers`` maps each band
requirement to the data set band recorded by default.

Loading refuses (with :class:`RuleSetError` naming the rule and field) a malformed rule set and one
that fails the safety check: every red flag of every group must be *covered* by rules (conditions that
hold whenever the flag is ticked, whatever else is true) that together set at least the group's
:data:`~imsk.core.triage.outcomes.RED_FLAG_FLOOR` disposition and urgent priority. With severity
combination in the engine, this makes "a red flag is never downgraded" true of every loadable rule set,
not only the bundled one.

Parsing takes the decoded JSON object; reading files is ``imsk.dataio.rulesets``' job.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from imsk.core.errors import RuleSetError
from imsk.core.triage.conditions import Condition, parse_condition
from imsk.core.triage.outcomes import (
    RED_FLAG_FLOOR,
    BandRequirement,
    Disposition,
    Outcome,
    Pathway,
    Priority,
    severity,
)
from imsk.core.triage.vocabulary import RED_FLAG_GROUPS

__all__ = ["FORMAT", "Rule", "RuleSet", "parse_ruleset"]

FORMAT = 1
_RULE_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_TOP_KEYS = frozenset({"format", "version", "title", "source", "defaults", "band_numbers", "rules"})
_RULE_KEYS = frozenset({"id", "title", "explanation", "source", "when", "then"})
_OUTCOME_FIELDS: dict[str, type[StrEnum]] = {
    "disposition": Disposition,
    "priority": Priority,
    "pathway": Pathway,
    "band": BandRequirement,
}
_ALLOWED_BANDS: dict[BandRequirement, tuple[int, ...]] = {
    BandRequirement.JUNIOR: (5, 6),
    BandRequirement.SENIOR: (7, 8),
}

E = TypeVar("E", bound=StrEnum)


@dataclass(frozen=True)
class Rule:
    """One named rule: when ``condition`` holds, ``outcome`` applies; the rest explains it."""

    id: str
    title: str
    explanation: str
    source: str
    condition: Condition
    outcome: Outcome


@dataclass(frozen=True)
class RuleSet:
    """One version of the triage rules, with its defaults and default band numbers."""

    version: str
    title: str
    source: str
    default_pathway: Pathway
    default_band: BandRequirement
    band_numbers: Mapping[BandRequirement, int]
    rules: tuple[Rule, ...]

    def rule(self, rule_id: str) -> Rule:
        """The rule with this id; :class:`RuleSetError` when there is none."""
        for candidate in self.rules:
            if candidate.id == rule_id:
                return candidate
        raise RuleSetError(f"rule set {self.version} has no rule {rule_id!r}")


def parse_ruleset(data: object) -> RuleSet:
    """Parse and safety-check a decoded rule-set JSON document."""
    if not isinstance(data, Mapping):
        raise RuleSetError("a rule set must be a JSON object")
    unknown = sorted(set(data) - _TOP_KEYS)
    if unknown:
        raise RuleSetError(f"rule set has unknown field(s): {', '.join(unknown)}")
    if data.get("format") != FORMAT:
        raise RuleSetError(f"rule set field format: expected {FORMAT}; got {data.get('format')!r}")
    version = _text(data, "version", "rule set field version")
    default_pathway, default_band = _defaults(data.get("defaults"))
    ruleset = RuleSet(
        version=version,
        title=_text(data, "title", "rule set field title"),
        source=_text(data, "source", "rule set field source"),
        default_pathway=default_pathway,
        default_band=default_band,
        band_numbers=_band_numbers(data.get("band_numbers")),
        rules=_rules(data.get("rules")),
    )
    _check_red_flag_floors(ruleset)
    return ruleset


def _text(data: Mapping[str, object], key: str, where: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise RuleSetError(f"{where}: expected non-empty text; got {value!r}")
    return value


def _choice(kind: type[E], value: object, where: str) -> E:
    if isinstance(value, str) and value in kind.__members__.values():
        return kind(value)
    allowed = ", ".join(member.value for member in kind)
    raise RuleSetError(f"{where}: {value!r} is not one of: {allowed}")


def _defaults(raw: object) -> tuple[Pathway, BandRequirement]:
    if not isinstance(raw, Mapping) or set(raw) != {"pathway", "band"}:
        raise RuleSetError("rule set field defaults: expected an object with keys pathway and band")
    pathway = _choice(Pathway, raw["pathway"], "rule set field defaults.pathway")
    if pathway is Pathway.REDIRECTED:
        raise RuleSetError("rule set field defaults.pathway: redirected cannot be a default")
    return pathway, _choice(BandRequirement, raw["band"], "rule set field defaults.band")


def _band_numbers(raw: object) -> dict[BandRequirement, int]:
    if not isinstance(raw, Mapping) or set(raw) != {band.value for band in BandRequirement}:
        raise RuleSetError('rule set field band_numbers: expected keys "5-6" and "7+"')
    numbers: dict[BandRequirement, int] = {}
    for requirement, allowed in _ALLOWED_BANDS.items():
        number = raw[requirement.value]
        if isinstance(number, bool) or number not in allowed:
            raise RuleSetError(
                f"rule set field band_numbers.{requirement.value}: expected one of "
                f"{', '.join(map(str, allowed))}; got {number!r}"
            )
        numbers[requirement] = int(number)
    return numbers


def _rules(raw: object) -> tuple[Rule, ...]:
    if not isinstance(raw, list) or not raw:
        raise RuleSetError("rule set field rules: expected a non-empty list of rules")
    rules: list[Rule] = []
    for position, item in enumerate(raw, start=1):
        rule = _rule(item, position)
        if any(existing.id == rule.id for existing in rules):
            raise RuleSetError(f"rule {rule.id!r}, field id: the id appears twice")
        rules.append(rule)
    return tuple(rules)


def _rule(raw: object, position: int) -> Rule:
    if not isinstance(raw, Mapping):
        raise RuleSetError(f"rule #{position}: expected an object")
    rule_id = raw.get("id")
    if not isinstance(rule_id, str) or not _RULE_ID.match(rule_id):
        raise RuleSetError(
            f"rule #{position}, field id: expected lower_snake_case; got {rule_id!r}"
        )
    label = f"rule {rule_id!r}"
    missing = sorted(_RULE_KEYS - set(raw))
    unknown = sorted(set(raw) - _RULE_KEYS)
    if missing or unknown:
        problem = f"missing {', '.join(missing)}" if missing else f"unknown {', '.join(unknown)}"
        raise RuleSetError(f"{label}: field(s) {problem}")
    return Rule(
        id=rule_id,
        title=_text(raw, "title", f"{label}, field title"),
        explanation=_text(raw, "explanation", f"{label}, field explanation"),
        source=_text(raw, "source", f"{label}, field source"),
        condition=parse_condition(raw["when"], rule_id),
        outcome=_outcome(raw["then"], label),
    )


def _outcome(raw: object, label: str) -> Outcome:
    if not isinstance(raw, Mapping):
        raise RuleSetError(f"{label}, field then: expected an object")
    unknown = sorted(set(raw) - set(_OUTCOME_FIELDS))
    if unknown:
        raise RuleSetError(f"{label}, field then: unknown field(s) {', '.join(unknown)}")
    chosen = {
        name: _choice(kind, raw[name], f"{label}, field then.{name}")
        for name, kind in _OUTCOME_FIELDS.items()
        if name in raw
    }
    if chosen.get("pathway") is Pathway.REDIRECTED:
        raise RuleSetError(
            f"{label}, field then.pathway: redirected follows from a redirect disposition; "
            "set the disposition instead"
        )
    return Outcome(
        disposition=Disposition(chosen["disposition"]) if "disposition" in chosen else None,
        priority=Priority(chosen["priority"]) if "priority" in chosen else None,
        pathway=Pathway(chosen["pathway"]) if "pathway" in chosen else None,
        band=BandRequirement(chosen["band"]) if "band" in chosen else None,
    )


def _check_red_flag_floors(ruleset: RuleSet) -> None:
    """Refuse a rule set under which some red flag could end below its group's floor."""
    for group, flags in RED_FLAG_GROUPS.items():
        floor = RED_FLAG_FLOOR[group]
        for flag in sorted(flags):
            covering = [rule.outcome for rule in ruleset.rules if rule.condition.covers(flag)]
            worst = max((severity(o.disposition) for o in covering if o.disposition), default=-1)
            urgent = any(o.priority is Priority.URGENT for o in covering)
            if worst < severity(floor) or not urgent:
                raise RuleSetError(
                    f"rule set {ruleset.version} is unsafe: red flag {flag.value!r} "
                    f"({group.value}) is not covered by a rule setting disposition "
                    f"{floor.value} (or more severe) and priority urgent"
                )
