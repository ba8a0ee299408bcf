"""The MSK service data set (version 1) as pure values: schema, findings and single-value checks.

Reading files and checking whole columns is ``imsk.dataio.dataset``'s job; this package holds what
every reader shares: :data:`SCHEMA` (tables, columns, types, closed lists, keys, foreign keys), the
:class:`Finding` value type with its :class:`FindingCode` registry, and the per-value parsers that
define the text form of each type. Contract: ``../shared/spec/dataset.md``; decisions where it is
silent: ``docs/dataset.md``.
"""

from __future__ import annotations

from imsk.core.dataset.findings import SEVERITY, Finding, FindingCode, Severity
from imsk.core.dataset.schema import (
    REQUIRED_TABLES,
    SCHEMA,
    VERSION,
    Column,
    ColumnType,
    Reference,
    Table,
    table_named,
    tables,
)
from imsk.core.dataset.values import value_problem

__all__ = [
    "REQUIRED_TABLES",
    "SCHEMA",
    "SEVERITY",
    "VERSION",
    "Column",
    "ColumnType",
    "Finding",
    "FindingCode",
    "Reference",
    "Severity",
    "Table",
    "table_named",
    "tables",
    "value_problem",
]
