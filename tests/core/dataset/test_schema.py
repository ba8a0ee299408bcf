"""The data set schema restates dataset.md version 1 consistently."""

from __future__ import annotations

from pathlib import Path

from imsk.core.dataset import REQUIRED_TABLES, SCHEMA, ColumnType, tables


def test_the_required_tables_are_services_and_requests() -> None:
    assert REQUIRED_TABLES == ("services", "requests")


def test_every_foreign_key_points_at_the_key_of_an_earlier_table() -> None:
    seen: set[str] = set()
    for table in tables():
        for column in table.columns:
            if column.references is not None:
                parent = SCHEMA[column.references.table]
                assert parent.name in seen, (table.name, column.name)
                assert parent.key == (column.references.column,)
        seen.add(table.name)


def test_every_key_column_is_required() -> None:
    for table in tables():
        for name in table.key:
            assert table.column(name).required, (table.name, name)


def test_every_table_and_column_of_the_spec_is_in_the_schema(shared_dir: Path) -> None:
    """Parses the column tables of ../shared/spec/dataset.md and compares names in order."""
    spec = (shared_dir / "spec" / "dataset.md").read_text(encoding="utf-8")
    columns: dict[str, list[str]] = {}
    current = None
    for line in spec.splitlines():
        if line.startswith("### "):
            current = line[4:].split(":")[0].strip()
            columns[current] = []
        elif current and line.startswith("| ") and not line.startswith(("| column", "|---")):
            columns[current].append(line.split("|")[1].strip())
    assert {name: list(t.column_names) for name, t in SCHEMA.items()} == columns


def test_enum_columns_list_values_and_others_do_not() -> None:
    for table in tables():
        for column in table.columns:
            assert bool(column.values) == (column.type is ColumnType.ENUM), column.name
