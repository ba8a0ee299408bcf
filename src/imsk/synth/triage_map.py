"""Triage decisions for millions of requests from the one triage engine of imsk.

The generator draws each request's *facts* (source, category, age band, red flags, urgent-care
criteria, impact, subspecialty criteria, STarT Back or STarT MSK group, activation, condition code at
triage) as small integer codes. A request's facts are packed into one integer key; the core triage
engine (:func:`imsk.core.triage.triage` under the chosen rule set) is evaluated once per distinct key,
and its priority, pathway and band are mapped back to every request with that key. Decisions are
cached across chunks, so the engine runs once per distinct fact combination in the whole data set.

To keep that set small the mapper first reads the rule set: a fact no rule mentions cannot change a
decision, so it is left out of the key; ages are grouped by the age limits the rules use, and condition
codes by the codes and groups the rules name (every other code behaves alike). The engine then sees a
representative of each class, so the decisions are exactly those the engine would give each request.
The receipt date only moves the engine's deadlines, not its disposition, priority, pathway or band, so
one date serves for all.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from numpy.typing import NDArray

from imsk.core.calendar import WorkingDayCalendar
from imsk.core.triage import (
    Activation,
    Category,
    Pathway,
    Priority,
    RedFlag,
    RiskGroup,
    RuleSet,
    Source,
    TriageFacts,
    triage,
)
from imsk.core.triage.conditions import (
    AgeAtLeast,
    AgeBelow,
    Condition,
    ConditionCodeIn,
    HasRedFlags,
)
from imsk.synth.config import CATEGORIES, SOURCES

IntArray = NDArray[np.int64]

RED_FLAG_KINDS: tuple[RedFlag | None, ...] = (
    None,
    RedFlag.SADDLE_ANAESTHESIA,
    RedFlag.HISTORY_OF_CANCER,
    RedFlag.FEVER_OR_SYSTEMICALLY_UNWELL,
    RedFlag.SIGNIFICANT_TRAUMA,
    RedFlag.SUSPECTED_PERSISTENT_SYNOVITIS,
)
RED_FLAG_MIX = (0.15, 0.3, 0.1, 0.25, 0.2)  # of requests with a red flag, by kind 1..5
RISKS: tuple[RiskGroup | None, ...] = (None, RiskGroup.LOW, RiskGroup.MEDIUM, RiskGroup.HIGH)
ACTIVATIONS = (Activation.UNKNOWN, Activation.LOW, Activation.HIGH)
PRIORITIES = ("urgent", "routine")
PATHWAYS = tuple(p.value for p in Pathway)
IMPACTS = ("none", "high_pain_only", "high_pain_and_impact")

# Fact name -> number of values (the mixed radix of the key). "category" 0 = null, "code" 0 = none.
# Rule-set fact names behind each of the generator's fact codes.
_RULE_FACTS = {
    "source": {"source"},
    "category": {"category"},
    "red_flag": {"red_flags"},
    "surgery": {"recent_surgery_requiring_rehab"},
    "injury": {"recent_injury_requiring_rehab"},
    "impact": {
        "high_pain",
        "significant_loss_of_function",
        "disturbed_sleep",
        "unable_to_work_or_care",
    },
    "subspecialty": {"meets_subspecialty_criteria"},
    "start_back": {"start_back"},
    "start_msk": {"start_msk"},
    "activation": {"activation"},
}
_RADIX_FIXED = {
    "source": len(SOURCES),
    "category": len(CATEGORIES) + 1,
    "red_flag": len(RED_FLAG_KINDS),
    "surgery": 2,
    "injury": 2,
    "impact": len(IMPACTS),
    "subspecialty": 2,
    "start_back": len(RISKS),
    "start_msk": len(RISKS),
    "activation": len(ACTIVATIONS),
}


@dataclass(frozen=True)
class Decisions:
    """Per request: priority (index into PRIORITIES), pathway (into PATHWAYS), band (0 = none)."""

    priority: IntArray
    pathway: IntArray
    band: IntArray


def _nodes(condition: Condition) -> Iterator[Condition]:
    """Every condition inside ``condition`` (itself included)."""
    yield condition
    for item in dataclasses.fields(condition):  # type: ignore[arg-type]
        value = getattr(condition, item.name)
        parts = value if isinstance(value, tuple) else (value,)
        for part in parts:
            if isinstance(part, Condition):
                yield from _nodes(part)


@dataclass(frozen=True)
class Relevance:
    """What of the facts a rule set can see: the facts it names, age limits, codes and groups."""

    facts: frozenset[str]
    age_limits: tuple[int, ...]
    codes: frozenset[str]
    groups: frozenset[str]
    red_flags: bool

    @classmethod
    def of(cls, ruleset: RuleSet) -> Relevance:
        nodes = [node for rule in ruleset.rules for node in _nodes(rule.condition)]
        facts = {str(node.fact) for node in nodes if hasattr(node, "fact")}
        limits = {node.limit for node in nodes if isinstance(node, AgeBelow | AgeAtLeast)}
        coded = [node for node in nodes if isinstance(node, ConditionCodeIn)]
        return cls(
            facts=frozenset(facts),
            age_limits=tuple(sorted(limits)),
            codes=frozenset(v for node in coded if not node.by_group for v in node.values),
            groups=frozenset(v for node in coded if node.by_group for v in node.values),
            red_flags="red_flags" in facts or any(isinstance(n, HasRedFlags) for n in nodes),
        )


@dataclass
class TriageMapper:
    """Evaluates the engine once per distinct (relevant) fact combination; remembers decisions."""

    ruleset: RuleSet
    calendar: WorkingDayCalendar
    condition_codes: list[str]
    received_on: date
    cache: dict[int, tuple[int, int, int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        seen = Relevance.of(self.ruleset)
        self.relevance = seen
        self.used = {
            name: bool(rule_facts & seen.facts) or (name == "red_flag" and seen.red_flags)
            for name, rule_facts in _RULE_FACTS.items()
        }
        self.code_class, self.class_code = _code_classes(self.condition_codes, seen)
        self.age_edges = np.array(seen.age_limits, dtype=np.int64)

    @property
    def radix(self) -> dict[str, int]:
        return {
            **_RADIX_FIXED,
            "age_class": self.age_edges.shape[0] + 1,
            "code": len(self.class_code) + 1,
        }

    def key(self, facts: dict[str, IntArray]) -> IntArray:
        """Pack the (relevant) fact codes of every request into one integer."""
        size = next(iter(facts.values())).shape[0]
        key = np.zeros(size, dtype=np.int64)
        for name, radix in self.radix.items():
            key = key * radix + self._relevant(name, facts)
        return key

    def _relevant(self, name: str, facts: dict[str, IntArray]) -> IntArray:
        if name == "age_class":
            return np.searchsorted(self.age_edges, facts["age"], side="right").astype(np.int64)
        if name == "code":
            return np.where(
                facts["code"] > 0, self.code_class[np.maximum(facts["code"] - 1, 0)] + 1, 0
            )
        return facts[name] if self.used[name] else np.zeros_like(facts[name])

    def decide(self, facts: dict[str, IntArray]) -> Decisions:
        keys = self.key(facts)
        distinct, inverse = np.unique(keys, return_inverse=True)
        rows = np.array([self._decision(int(k)) for k in distinct], dtype=np.int64).reshape(-1, 3)
        chosen = rows[inverse.reshape(-1)]
        return Decisions(chosen[:, 0], chosen[:, 1], chosen[:, 2])

    def _decision(self, key: int) -> tuple[int, int, int]:
        found = self.cache.get(key)
        if found is None:
            decision = triage(self._facts(key), self.ruleset, self.calendar)
            found = (
                PRIORITIES.index(Priority(decision.priority).value),
                PATHWAYS.index(decision.pathway.value),
                decision.band or 0,
            )
            self.cache[key] = found
        return found

    def _facts(self, key: int) -> TriageFacts:
        values: dict[str, int] = {}
        for name, size in reversed(self.radix.items()):
            key, values[name] = divmod(key, size)
        flag = RED_FLAG_KINDS[values["red_flag"]]
        impact = values["impact"]
        code = values["code"]
        age_class = values["age_class"]
        return TriageFacts(
            received_on=self.received_on,
            source=Source(SOURCES[values["source"]]),
            age=int(self.age_edges[age_class - 1]) if age_class else 0,
            category=Category(CATEGORIES[values["category"] - 1]) if values["category"] else None,
            red_flags=frozenset() if flag is None else frozenset({flag}),
            recent_surgery_requiring_rehab=bool(values["surgery"]),
            recent_injury_requiring_rehab=bool(values["injury"]),
            high_pain=impact >= 1,
            significant_loss_of_function=impact == 2,
            disturbed_sleep=impact == 2,
            unable_to_work_or_care=impact == 2,
            meets_subspecialty_criteria=bool(values["subspecialty"]),
            start_back=RISKS[values["start_back"]],
            start_msk=RISKS[values["start_msk"]],
            activation=ACTIVATIONS[values["activation"]],
            condition_code=self.class_code[code - 1] if code else None,
        )


def _code_classes(codes: list[str], seen: Relevance) -> tuple[IntArray, list[str]]:
    """Class of each code (codes the rules name; groups they name; the rest) and a representative."""
    labels: list[str] = []
    representative: list[str] = []
    classes = np.zeros(len(codes), dtype=np.int64)
    for i, code in enumerate(codes):
        group = code.split(".", 1)[0]
        label = (
            code if code in seen.codes else (f"group:{group}" if group in seen.groups else "other")
        )
        if label not in labels:
            labels.append(label)
            representative.append(code)
        classes[i] = labels.index(label)
    return classes, representative
