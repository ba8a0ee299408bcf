"""The one error hierarchy of imsk.

Core raises subclasses of :class:`ImskError`; the web application, the API and the CLI each translate
them in one place (a form error, an HTTP problem response, an exit code). Messages are written for the
person who has to fix the input: they name the field, item or code at fault.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from imsk.core.dataset.findings import Finding


class ImskError(Exception):
    """Base class of every error imsk raises on purpose."""


class UnknownCodeError(ImskError):
    """A code is not in the code list version in use."""


class CodeListError(ImskError):
    """A code list file is malformed (missing column, duplicate code, bad kind)."""


class CalendarError(ImskError):
    """A working-day calculation was asked something it cannot answer (e.g. n < 1)."""


class ScoringError(ImskError):
    """A questionnaire's responses cannot be scored."""


class IncompleteResponseError(ScoringError):
    """A required item has no answer."""


class ResponseOutOfRangeError(ScoringError):
    """An item's answer is outside the values the instrument allows."""


class UnknownInstrumentError(ScoringError):
    """No instrument (or value set) is registered under the name asked for."""


class TriageInputError(ImskError):
    """The facts given to the triage engine are incomplete or contradictory."""


class RuleSetError(ImskError):
    """A triage rule set is malformed or unknown."""


class DatasetError(ImskError):
    """An MSK service data set cannot be read (missing required table, unreadable file)."""


class KpiError(ImskError):
    """A KPI computation was asked something it cannot answer (bad period, level or engine)."""


class SynthError(ImskError):
    """The synthetic data generator was given options or a configuration it cannot honour."""


class InvalidDatasetError(DatasetError):
    """Strict validation met an error finding; ``finding`` is that first finding."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(f"data set is invalid (strict mode stops at the first error): {finding}")
        self.finding = finding


class ScenarioError(ImskError):
    """A simulation scenario file is malformed: the message names the field at fault."""


class PlanningError(ImskError):
    """A workforce-planning question cannot be answered as asked (bad target, no feasible FTE)."""
