"""The small declarative condition language of triage rule sets.

A condition is a JSON object with exactly one key (the operator):

===========================  =====================================================================
``{"all": [c, ...]}``         every condition holds (at least one condition)
``{"any": [c, ...]}``         at least one condition holds
``{"not": c}``                the condition does not hold
``{"red_flag": F}``           red flag ``F`` is ticked
``{"any_red_flag_in_group": G}``  any red flag of group ``G`` is ticked
``{"age_below": N}``          age < N (whole years at receipt)
``{"age_at_least": N}``       age >= N
``{"is_true": B}``            yes/no fact ``B`` is yes
``{"is_false": B}``           yes/no fact ``B`` is known to be no (an unknown answer is not "no")
``{"equals": {"fact": X, "value": v}}``   choice fact ``X`` has value ``v`` (``null`` = not recorded)
``{"in": {"fact": X, "values": [v, ...]}}``  choice fact ``X`` has one of the values
``{"count_at_least": {"fact": L, "value": N}}``  list fact ``L`` has at least N items
``{"count_equals": {"fact": L, "value": N}}``    list fact ``L`` has exactly N items
``{"condition_code_in": [code, ...]}``   the request's condition code is one of these
``{"condition_group_in": [group, ...]}``  its condition group (the part before the dot) is one of these
===========================  =====================================================================

The facts a condition may name are listed in the registries below (explicit, greppable). Parsing
checks every name and value, so a typo in a rule set is a :class:`RuleSetError` naming the rule and the
field when the rule set is loaded, never a rule that silently never fires.

Each condition can also say whether it *covers* a red flag: whether it is certain to hold whenever
that flag is ticked, whatever else is true. The rule-set loader uses this to prove that every red flag
reaches its safety floor.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from imsk.core.errors import RuleSetError
from imsk.core.triage.facts import MAX_AGE, TriageFacts
from imsk.core.triage.vocabulary import (
    RED_FLAG_GROUPS,
    Activation,
    Category,
    RedFlag,
    RedFlagGroup,
    RiskGroup,
    Source,
)

__all__ = [
    "BOOLEAN_FACTS",
    "CHOICE_FACTS",
    "LIST_FACTS",
    "Condition",
    "parse_condition",
]

BOOLEAN_FACTS: dict[str, Callable[[TriageFacts], bool | None]] = {
    "recent_surgery_requiring_rehab": lambda f: f.recent_surgery_requiring_rehab,
    "recent_injury_requiring_rehab": lambda f: f.recent_injury_requiring_rehab,
    "high_pain": lambda f: f.high_pain,
    "significant_loss_of_function": lambda f: f.significant_loss_of_function,
    "disturbed_sleep": lambda f: f.disturbed_sleep,
    "unable_to_work_or_care": lambda f: f.unable_to_work_or_care,
    "meets_subspecialty_criteria": lambda f: f.meets_subspecialty_criteria,
    "back_pain_onset_before_45_over_3_months": lambda f: f.back_pain_onset_before_45_over_3_months,
    "orebro_at_risk": lambda f: f.orebro_at_risk,
    "hla_b27_positive": lambda f: f.hla_b27_positive,
}
"""Yes/no facts; the last two may be unknown (``None``)."""

ChoiceReader = Callable[[TriageFacts], StrEnum | None]
CHOICE_FACTS: dict[str, tuple[type[StrEnum], ChoiceReader]] = {
    "source": (Source, lambda f: f.source),
    "category": (Category, lambda f: f.category),
    "start_back": (RiskGroup, lambda f: f.start_back),
    "start_msk": (RiskGroup, lambda f: f.start_msk),
    "activation": (Activation, lambda f: f.activation),
}
"""Facts with one value from a closed list (``None`` when not recorded)."""

LIST_FACTS: dict[str, Callable[[TriageFacts], frozenset[StrEnum]]] = {
    "red_flags": lambda f: frozenset(f.red_flags),
    "axial_spa_features": lambda f: frozenset(f.axial_spa_features),
}
"""Facts that are sets of coded items, for the ``count_*`` operators."""


class Condition(ABC):
    """A parsed condition: a predicate over :class:`TriageFacts`."""

    @abstractmethod
    def holds(self, facts: TriageFacts) -> bool:
        """Whether the condition is true of these facts."""

    def covers(self, flag: RedFlag) -> bool:
        """True only if the condition holds for *every* request with ``flag`` ticked."""
        return False


@dataclass(frozen=True)
class AllOf(Condition):
    parts: tuple[Condition, ...]

    def holds(self, facts: TriageFacts) -> bool:
        return all(part.holds(facts) for part in self.parts)

    def covers(self, flag: RedFlag) -> bool:
        return all(part.covers(flag) for part in self.parts)


@dataclass(frozen=True)
class AnyOf(Condition):
    parts: tuple[Condition, ...]

    def holds(self, facts: TriageFacts) -> bool:
        return any(part.holds(facts) for part in self.parts)

    def covers(self, flag: RedFlag) -> bool:
        return any(part.covers(flag) for part in self.parts)


@dataclass(frozen=True)
class Not(Condition):
    part: Condition

    def holds(self, facts: TriageFacts) -> bool:
        return not self.part.holds(facts)


@dataclass(frozen=True)
class HasRedFlags(Condition):
    """Any of ``flags`` is ticked (``red_flag`` and ``any_red_flag_in_group``)."""

    flags: frozenset[RedFlag]

    def holds(self, facts: TriageFacts) -> bool:
        return not self.flags.isdisjoint(facts.red_flags)

    def covers(self, flag: RedFlag) -> bool:
        return flag in self.flags


@dataclass(frozen=True)
class AgeBelow(Condition):
    limit: int

    def holds(self, facts: TriageFacts) -> bool:
        return facts.age < self.limit


@dataclass(frozen=True)
class AgeAtLeast(Condition):
    limit: int

    def holds(self, facts: TriageFacts) -> bool:
        return facts.age >= self.limit


@dataclass(frozen=True)
class BooleanIs(Condition):
    """A yes/no fact is known to have ``expected`` (unknown never matches)."""

    fact: str
    expected: bool

    def holds(self, facts: TriageFacts) -> bool:
        return BOOLEAN_FACTS[self.fact](facts) is self.expected


@dataclass(frozen=True)
class ChoiceIn(Condition):
    """A choice fact's value (``None`` when unrecorded) is one of ``values``."""

    fact: str
    values: frozenset[str | None]

    def holds(self, facts: TriageFacts) -> bool:
        value = CHOICE_FACTS[self.fact][1](facts)
        return (None if value is None else value.value) in self.values


@dataclass(frozen=True)
class CountIs(Condition):
    """A list fact has at least (``exact`` false) or exactly ``value`` items."""

    fact: str
    value: int
    exact: bool

    def holds(self, facts: TriageFacts) -> bool:
        count = len(LIST_FACTS[self.fact](facts))
        return count == self.value if self.exact else count >= self.value


@dataclass(frozen=True)
class ConditionCodeIn(Condition):
    """The condition code (``by_group`` false) or its group is one of ``values``."""

    values: frozenset[str]
    by_group: bool

    def holds(self, facts: TriageFacts) -> bool:
        code = facts.condition_code
        if code is None:
            return False
        return (code.split(".", 1)[0] if self.by_group else code) in self.values


class _Context:
    """Where in which rule a condition is being parsed, for error messages."""

    def __init__(self, rule_id: str, path: str) -> None:
        self.rule_id = rule_id
        self.path = path

    def at(self, step: str) -> _Context:
        return _Context(self.rule_id, f"{self.path}{step}")

    def error(self, problem: str) -> RuleSetError:
        return RuleSetError(f"rule {self.rule_id!r}, field {self.path}: {problem}")


def parse_condition(raw: object, rule_id: str, path: str = "when") -> Condition:
    """Parse one condition; a :class:`RuleSetError` names ``rule_id`` and the field path."""
    where = _Context(rule_id, path)
    if not isinstance(raw, Mapping) or len(raw) != 1:
        raise where.error("a condition must be an object with exactly one operator")
    ((operator, argument),) = raw.items()
    parser = _OPERATORS.get(str(operator))
    if parser is None:
        raise where.error(
            f"unknown operator {operator!r}; expected one of: {', '.join(_OPERATORS)}"
        )
    return parser(argument, where.at(f".{operator}"))


def _parts(argument: object, where: _Context) -> tuple[Condition, ...]:
    if not isinstance(argument, list) or not argument:
        raise where.error("expected a non-empty list of conditions")
    return tuple(
        parse_condition(item, where.rule_id, f"{where.path}[{index}]")
        for index, item in enumerate(argument)
    )


def _member(kind: type[StrEnum], value: object, where: _Context, what: str) -> StrEnum:
    if isinstance(value, str) and value in kind.__members__.values():
        return kind(value)
    allowed = ", ".join(member.value for member in kind)
    raise where.error(f"unknown {what} {value!r}; expected one of: {allowed}")


def _whole_number(value: object, where: _Context, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise where.error(f"expected a whole number from {low} to {high}; got {value!r}")
    return value


def _fact_name(name: object, registry: Mapping[str, object], where: _Context, kind: str) -> str:
    if not isinstance(name, str) or name not in registry:
        raise where.error(f"unknown {kind} fact {name!r}; expected one of: {', '.join(registry)}")
    return name


def _object(argument: object, keys: tuple[str, ...], where: _Context) -> Mapping[str, object]:
    if not isinstance(argument, Mapping) or set(argument) != set(keys):
        raise where.error(f"expected an object with exactly the keys {', '.join(keys)}")
    return argument


def _red_flag(argument: object, where: _Context) -> Condition:
    flag = _member(RedFlag, argument, where, "red flag")
    return HasRedFlags(frozenset({RedFlag(flag)}))


def _red_flag_group(argument: object, where: _Context) -> Condition:
    group = RedFlagGroup(_member(RedFlagGroup, argument, where, "red flag group"))
    return HasRedFlags(RED_FLAG_GROUPS[group])


def _boolean(expected: bool) -> Callable[[object, _Context], Condition]:
    def parse(argument: object, where: _Context) -> Condition:
        return BooleanIs(_fact_name(argument, BOOLEAN_FACTS, where, "yes/no"), expected)

    return parse


def _choice_value(fact: str, value: object, where: _Context) -> str | None:
    if value is None:
        return None
    return _member(CHOICE_FACTS[fact][0], value, where, f"value of {fact}").value


def _equals(argument: object, where: _Context) -> Condition:
    spec = _object(argument, ("fact", "value"), where)
    fact = _fact_name(spec["fact"], CHOICE_FACTS, where.at(".fact"), "choice")
    return ChoiceIn(fact, frozenset({_choice_value(fact, spec["value"], where.at(".value"))}))


def _in(argument: object, where: _Context) -> Condition:
    spec = _object(argument, ("fact", "values"), where)
    fact = _fact_name(spec["fact"], CHOICE_FACTS, where.at(".fact"), "choice")
    values = spec["values"]
    if not isinstance(values, list) or not values:
        raise where.at(".values").error("expected a non-empty list of values")
    return ChoiceIn(
        fact,
        frozenset(_choice_value(fact, v, where.at(f".values[{i}]")) for i, v in enumerate(values)),
    )


def _count(exact: bool) -> Callable[[object, _Context], Condition]:
    def parse(argument: object, where: _Context) -> Condition:
        spec = _object(argument, ("fact", "value"), where)
        fact = _fact_name(spec["fact"], LIST_FACTS, where.at(".fact"), "list")
        return CountIs(fact, _whole_number(spec["value"], where.at(".value"), 0, 100), exact)

    return parse


def _codes(by_group: bool) -> Callable[[object, _Context], Condition]:
    def parse(argument: object, where: _Context) -> Condition:
        if not isinstance(argument, list) or not argument:
            raise where.error("expected a non-empty list of codes")
        if not all(isinstance(code, str) and code.strip() for code in argument):
            raise where.error("every code must be non-empty text")
        return ConditionCodeIn(frozenset(str(code) for code in argument), by_group)

    return parse


_OPERATORS: dict[str, Callable[[object, _Context], Condition]] = {
    "all": lambda argument, where: AllOf(_parts(argument, where)),
    "any": lambda argument, where: AnyOf(_parts(argument, where)),
    "not": lambda argument, where: Not(parse_condition(argument, where.rule_id, where.path)),
    "red_flag": _red_flag,
    "any_red_flag_in_group": _red_flag_group,
    "age_below": lambda argument, where: AgeBelow(_whole_number(argument, where, 0, MAX_AGE + 1)),
    "age_at_least": lambda argument, where: AgeAtLeast(_whole_number(argument, where, 0, MAX_AGE)),
    "is_true": _boolean(True),
    "is_false": _boolean(False),
    "equals": _equals,
    "in": _in,
    "count_at_least": _count(exact=False),
    "count_equals": _count(exact=True),
    "condition_code_in": _codes(by_group=False),
    "condition_group_in": _codes(by_group=True),
}
