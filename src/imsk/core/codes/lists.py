"""Versioned code lists and their parsing.

A code list is plain CSV text with a header row. Parsing is strict: a missing column, an empty or
duplicated code, a condition code whose group does not match the part before its dot, an unknown
activity kind or an invalid SNOMED CT id is a :class:`CodeListError` naming the line. Looking up a
code that is not in the list raises :class:`UnknownCodeError` naming the code and the list version.

Reading the file is the caller's job (``imsk.dataio.reference``): core only parses text.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

from imsk.core.codes.snomed import is_valid_sctid
from imsk.core.errors import CodeListError, UnknownCodeError

_CODE_PATTERN = re.compile(r"^[A-Z][A-Z0-9_]*\.[A-Z0-9_]+$")


class ExitCode(StrEnum):
    """How a person leaves the service (data set ``exits.code``; Wales specification section 5)."""

    DISCHARGED = "discharged"
    SEE_ON_SYMPTOM = "see_on_symptom"
    PATIENT_INITIATED_FOLLOW_UP = "patient_initiated_follow_up"
    TRANSFERRED = "transferred"
    OTHER = "other"


class ActivityKind(StrEnum):
    """The three kinds of activity the specification asks services to code (section 5)."""

    INVESTIGATION = "investigation"
    INTERVENTION = "intervention"
    SUPPORTIVE = "supportive"


@dataclass(frozen=True)
class ConditionCode:
    """A condition code ``GROUP.SPECIFIC`` with its optional SNOMED CT concept."""

    code: str
    label: str
    group: str
    snomed_ct: str | None
    snomed_term: str | None


@dataclass(frozen=True)
class ActivityCode:
    """An activity code; ``kpi_group`` places investigations in the KPI's reporting groups."""

    code: str
    label: str
    kind: ActivityKind
    kpi_group: str | None


T = TypeVar("T", ConditionCode, ActivityCode)


@dataclass(frozen=True)
class CodeList(Generic[T]):
    """One version of one code list: ``name`` is ``condition`` or ``activity``."""

    name: str
    version: str
    entries: Mapping[str, T]

    def __contains__(self, code: object) -> bool:
        return code in self.entries

    def __iter__(self) -> Iterator[T]:
        return iter(self.entries.values())

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, code: str) -> T:
        """The entry for ``code``; :class:`UnknownCodeError` names the code and the version."""
        try:
            return self.entries[code]
        except KeyError:
            raise UnknownCodeError(
                f"{self.name} code {code!r} is not in {self.name} codes version {self.version}"
            ) from None

    def groups(self) -> list[str]:
        """Distinct groups (condition) or KPI groups (activity), sorted."""
        found: set[str] = set()
        for entry in self.entries.values():
            group = entry.group if isinstance(entry, ConditionCode) else entry.kpi_group
            if group:
                found.add(group)
        return sorted(found)


def _rows(text: str, required: tuple[str, ...], name: str) -> Iterator[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [column for column in required if column not in (reader.fieldnames or [])]
    if missing:
        raise CodeListError(f"{name} code list is missing column(s): {', '.join(missing)}")
    for line, row in enumerate(reader, start=2):
        yield line, {key: (value or "").strip() for key, value in row.items() if key is not None}


def _checked_code(row: dict[str, str], line: int, seen: set[str], name: str) -> str:
    code = row["code"]
    if not _CODE_PATTERN.match(code):
        raise CodeListError(f"{name} code list line {line}: code {code!r} is not GROUP.SPECIFIC")
    if code in seen:
        raise CodeListError(f"{name} code list line {line}: code {code!r} appears twice")
    if not row["label"]:
        raise CodeListError(f"{name} code list line {line}: code {code!r} has no label")
    seen.add(code)
    return code


def parse_condition_codes(text: str, version: str) -> CodeList[ConditionCode]:
    """Parse a condition code list (columns ``code,label,group,snomed_ct,snomed_term``)."""
    entries: dict[str, ConditionCode] = {}
    required = ("code", "label", "group", "snomed_ct", "snomed_term")
    for line, row in _rows(text, required, "condition"):
        code = _checked_code(row, line, set(entries), "condition")
        if code.split(".", 1)[0] != row["group"]:
            raise CodeListError(
                f"condition code list line {line}: group {row['group']!r} does not match "
                f"the part of {code!r} before the dot"
            )
        sctid = row["snomed_ct"] or None
        if sctid is not None and not is_valid_sctid(sctid):
            raise CodeListError(
                f"condition code list line {line}: snomed_ct {sctid!r} is not a valid SNOMED CT "
                "concept id (check digit or partition)"
            )
        entries[code] = ConditionCode(
            code, row["label"], row["group"], sctid, row["snomed_term"] or None
        )
    return CodeList("condition", version, entries)


def parse_activity_codes(text: str, version: str) -> CodeList[ActivityCode]:
    """Parse an activity code list (columns ``code,label,kind,kpi_group``)."""
    entries: dict[str, ActivityCode] = {}
    for line, row in _rows(text, ("code", "label", "kind", "kpi_group"), "activity"):
        code = _checked_code(row, line, set(entries), "activity")
        try:
            kind = ActivityKind(row["kind"])
        except ValueError:
            allowed = ", ".join(k.value for k in ActivityKind)
            raise CodeListError(
                f"activity code list line {line}: kind {row['kind']!r} is not one of {allowed}"
            ) from None
        entries[code] = ActivityCode(code, row["label"], kind, row["kpi_group"] or None)
    return CodeList("activity", version, entries)
