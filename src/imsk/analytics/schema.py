"""The column types of the MSK service data set, as the KPI engine casts them.

The data set (``shared/spec/dataset.md``, version 1) is defined once, in
:data:`imsk.core.dataset.SCHEMA`; the validator, the KPI engine and the web forms read that same
definition. Files arrive as CSV (every cell text) or Parquet (native types, or text written like the
CSV cells); the engine reads each column as it comes and casts it with :data:`CAST_TYPES`, so both
forms give identical tables. Identifiers stay strings (``0012`` and ``12`` are different people);
enums and months (``YYYY-MM``) stay text.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

from imsk.core.dataset import REQUIRED_TABLES, SCHEMA, ColumnType

#: The engine type (an ibis type name) each logical column type is cast to.
CAST_TYPES: Final = MappingProxyType(
    {
        ColumnType.STRING: "string",
        ColumnType.ENUM: "string",
        ColumnType.MONTH: "string",
        ColumnType.DATE: "date",
        ColumnType.TIMESTAMP: "timestamp",
        ColumnType.INTEGER: "int64",
        ColumnType.NUMBER: "float64",
        ColumnType.BOOLEAN: "boolean",
    }
)

#: Every table with the engine type of each column, in the order of ``dataset.md``.
TABLES: Final = MappingProxyType(
    {
        name: {column.name: CAST_TYPES[column.type] for column in table.columns}
        for name, table in SCHEMA.items()
    }
)

OPTIONAL_TABLES: Final = tuple(name for name in TABLES if name not in REQUIRED_TABLES)

#: Column every loaded table gains: the 0-based data row number in its file (file order breaks ties).
ROW_NUMBER: Final = "file_row"


def is_required_column(table: str, column: str) -> bool:
    """Whether every row must have a value (a file without the column cannot be read)."""
    return SCHEMA[table].column(column).required


def closed_list(table: str, column: str) -> tuple[str, ...]:
    """The values of an enum column, in the order of ``dataset.md``."""
    return SCHEMA[table].column(column).values


__all__ = [
    "REQUIRED_TABLES",
    "ROW_NUMBER",
    "TABLES",
    "closed_list",
    "is_required_column",
]
