"""The questionnaires a patient or clinician fills in, and their scoring by the core.

**Wording is configuration.** MSK-HQ (Oxford University Innovation) and EQ-5D-5L (EuroQol) are
licensed instruments: their item wording may not be committed to imsk. The questions and answer
labels are therefore read from a JSON *wording file* (setting ``IMSK_QUESTIONNAIRE_WORDING``) that
the licensed service provides. imsk ships ``wording/placeholder.json``: clearly marked placeholder
wording for MSK-HQ and EQ-5D-5L (every page says so), the NHS Friends and Family Test's standard
question, and example wording for the example local PREM. Each answer option in the file carries the
**response code** the core scores (for MSK-HQ the item's scored value 0-4, 4 = best; for EQ-5D the
level 1-5; for the FFT 1-6; for a PREM the codes of its definition), so the file, never the code,
maps printed options to scores: the reversed anchors of MSK-HQ items 12 and 13 live in the file.

**Scoring is the core's.** :func:`score` writes the answers in the data set's ``items`` form and
hands them to :mod:`imsk.core.instruments`; nothing here adds or weights numbers.

**The PREM is configurable.** ``IMSK_PREM_DEFINITION`` names a JSON PREM definition
(:func:`imsk.core.instruments.prem.parse_prem_definition`); by default the core's example local PREM.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings

from imsk.core.errors import ImskError
from imsk.core.instruments import InstrumentResult, eq5d, instrument_named, prem
from imsk.core.instruments.result import UNANSWERED_MARK
from imsk.web.outcomes.errors import WordingError

PLACEHOLDER_WORDING = Path(__file__).resolve().parent / "wording" / "placeholder.json"

#: The questionnaires this app offers, in the order a patient meets them.
OFFERED = ("msk_hq", "eq5d5l", "fft", "prem")
#: Instruments whose items may be left unanswered (the PREM's "does not apply" is an answer; an
#: item skipped is ``-``): the PREM definition's ``min_answered`` decides.
OPTIONAL_ITEMS = frozenset({"prem"})


@dataclass(frozen=True)
class Option:
    code: str
    label: Mapping[str, str]


@dataclass(frozen=True)
class Item:
    id: str
    text: Mapping[str, str]
    options: tuple[Option, ...]


@dataclass(frozen=True)
class Questionnaire:
    """One instrument's wording: title, introduction, items, and the extra EQ VAS / FFT comment."""

    name: str
    title: Mapping[str, str]
    intro: Mapping[str, str]
    items: tuple[Item, ...]
    vas: Mapping[str, str] | None = None
    comment: Mapping[str, str] | None = None


@dataclass(frozen=True)
class Wording:
    placeholder: bool
    notice: Mapping[str, str]
    questionnaires: Mapping[str, Questionnaire]


@dataclass(frozen=True)
class Answers:
    """One completed questionnaire: item codes by item id (``None``: unanswered), VAS, comment."""

    instrument: str
    codes: Mapping[str, str | None]
    vas: int | None = None
    comment: str = ""


@dataclass(frozen=True)
class Scored:
    """The data set ``items`` string and the core's result for one questionnaire."""

    items: str
    result: InstrumentResult
    vas: int | None
    comment: str


def in_language(text: Mapping[str, str], language: str) -> str:
    """``text`` in ``language`` (``cy``/``en``), falling back to English."""
    return text.get(language) or text.get("en", "")


def wording() -> Wording:
    """The configured wording file, parsed once per path."""
    return _load_wording(str(getattr(settings, "IMSK_QUESTIONNAIRE_WORDING", "")))


def prem_definition() -> prem.PremDefinition:
    """The configured PREM definition (default: the core's example local PREM)."""
    return _load_prem(str(getattr(settings, "IMSK_PREM_DEFINITION", "")))


def questionnaire(name: str) -> Questionnaire:
    found = wording().questionnaires.get(name)
    if found is None:
        raise WordingError(f"the questionnaire wording has no {name!r}")
    return found


@cache
def _load_prem(path: str) -> prem.PremDefinition:
    if not path:
        return prem.LOCAL_EXAMPLE_PREM
    return prem.parse_prem_definition(Path(path).read_text(encoding="utf-8"))


@cache
def _load_wording(path: str) -> Wording:
    source = Path(path) if path else PLACEHOLDER_WORDING
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise WordingError(f"questionnaire wording {source}: {error}") from None
    raw = data.get("instruments", {})
    questionnaires = {name: _questionnaire(name, raw.get(name), source) for name in OFFERED}
    return Wording(bool(data.get("placeholder")), data.get("notice", {}), questionnaires)


def _questionnaire(name: str, raw: object, source: Path) -> Questionnaire:
    if not isinstance(raw, dict) or not isinstance(raw.get("items"), list):
        raise WordingError(f"questionnaire wording {source}: {name!r} needs a list of items")
    try:
        return _parsed(name, raw)
    except (KeyError, TypeError, AttributeError) as error:
        raise WordingError(
            f"questionnaire wording {source}: {name!r} item or option lacks {error}"
        ) from None


def _parsed(name: str, raw: dict[str, Any]) -> Questionnaire:
    items = tuple(
        Item(
            str(item["id"]),
            item["text"],
            tuple(Option(str(o["code"]), o["label"]) for o in item["options"]),
        )
        for item in raw["items"]
    )
    return Questionnaire(
        name,
        raw.get("title", {"en": name}),
        raw.get("intro", {}),
        items,
        raw.get("vas"),
        raw.get("comment"),
    )


def items_string(answers: Answers, questionnaire: Questionnaire) -> str:
    """The answers in the data set's ``measures.items`` form.

    Item codes in questionnaire order separated by single spaces, ``-`` for an unanswered item;
    for EQ-5D-5L the five-digit profile without spaces (``21321``).
    """
    order = [item.id for item in questionnaire.items]
    if answers.instrument == "prem":  # the definition, not the wording, fixes the PREM's order
        order = [item.id for item in prem_definition().items]
    codes = [answers.codes.get(item_id) or UNANSWERED_MARK for item_id in order]
    if answers.instrument == "eq5d5l":
        return "".join(codes)
    return " ".join(codes)


def score(answers: Answers) -> Scored:
    """Score one questionnaire with the core; a :class:`ScoringError` names the item at fault."""
    items = items_string(answers, questionnaire(answers.instrument))
    if answers.instrument == "eq5d5l":
        result = eq5d.score_eq5d(items, vas=answers.vas)
    elif answers.instrument == "prem":
        codes = [None if token == UNANSWERED_MARK else token for token in items.split()]
        result = prem.score_prem(prem_definition(), codes)
    else:
        result = instrument_named(answers.instrument).score(items.split())
    return Scored(items, result, answers.vas, answers.comment)


def wording_problems() -> list[str]:
    """What is wrong with the configured wording for the core's scorers (empty when all is well).

    Every answer option offered must score: each item's options are tried in turn (the other items
    at their first option), and the EQ-5D dimensions and the PREM items must be those the core and
    the PREM definition expect. Used by the ``outcomes.E001`` system check at start-up.
    """
    try:
        found = wording()
        definition = prem_definition()
    except ImskError as error:
        return [str(error)]
    problems = []
    if [item.id for item in found.questionnaires["eq5d5l"].items] != list(eq5d.DIMENSIONS):
        problems.append(f"eq5d5l items must be {' '.join(eq5d.DIMENSIONS)} in that order")
    wording_ids = sorted(item.id for item in found.questionnaires["prem"].items)
    if wording_ids != sorted(item.id for item in definition.items):
        problems.append(f"prem items must be those of the PREM definition {definition.id!r}")
    for name in OFFERED:
        problems.extend(_unscorable_options(found.questionnaires[name]))
    return problems


def _unscorable_options(questionnaire: Questionnaire) -> list[str]:
    first = {
        item.id: item.options[0].code if item.options else None for item in questionnaire.items
    }
    vas = 50 if questionnaire.vas is not None else None
    problems = []
    for item in questionnaire.items:
        for option in item.options:
            codes = {**first, item.id: option.code}
            try:
                score(Answers(questionnaire.name, codes, vas))
            except ImskError as error:
                problems.append(
                    f"{questionnaire.name} item {item.id} option {option.code}: {error}"
                )
    return problems
