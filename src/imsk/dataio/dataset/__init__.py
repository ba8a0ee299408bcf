"""Reading and validating the MSK service data set (CSV or Parquet folders), streaming with Arrow.

:func:`validate_dataset` checks a data set folder against ``../shared/spec/dataset.md`` and returns
a :class:`~imsk.core.dataset.report.ValidationReport`; :func:`arrow_schema` and
:func:`read_normalised` give the KPI engine the same canonical column types the validator uses.
What is checked, and every finding code: ``docs/dataset.md``.
"""

from __future__ import annotations

from imsk.core.dataset.report import TableRead, ValidationReport
from imsk.dataio.dataset.normalise import ARROW_TYPES, arrow_schema, normalise
from imsk.dataio.dataset.validator import DEFAULT_MAX_FINDINGS, read_normalised, validate_dataset

__all__ = [
    "ARROW_TYPES",
    "DEFAULT_MAX_FINDINGS",
    "TableRead",
    "ValidationReport",
    "arrow_schema",
    "normalise",
    "read_normalised",
    "validate_dataset",
]
