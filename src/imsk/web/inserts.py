"""One-row INSERTs without the ORM's query compiler, for the intake hot path.

``Model.save()`` compiles a new ``INSERT`` for every row: about 0.2-0.3 ms of CPU per row, most of
a new API request's time in Django once the database round trips are counted out
(docs/performance.md, "Intake API"). :func:`insert` writes the same row with the same values: the
statement is built once per model (and per whether the primary key is given) from the model's
metadata, and each value goes through the field's own ``pre_save`` and ``get_db_prep_save``, exactly
as the ORM prepares it (JSON as JSON, dates as dates, foreign keys as their ids).

What it leaves out, on purpose: ``pre_save``/``post_save`` signals (the project registers none) and
the model's own ``save()`` override (the audit trail and the condition code history refuse changes
to saved rows there; a row inserted here is new, so there is nothing to refuse). Use it only for new
rows inside a service's ``transaction.atomic()``, like ``save(force_insert=True)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.backends.base.base import BaseDatabaseWrapper

_Plan = tuple[str, tuple["models.Field[Any, Any]", ...]]
_plans: dict[tuple[type[models.Model], bool, str, str], _Plan] = {}


def _plan(
    model: type[models.Model], with_pk: bool, also_return: str, connection: BaseDatabaseWrapper
) -> _Plan:
    """The INSERT statement and the fields it writes, in order (cached per model and vendor)."""
    key = (model, with_pk, also_return, connection.vendor)
    plan = _plans.get(key)
    if plan is None:
        plan = _plans[key] = _build_plan(model, with_pk, also_return, connection)
    return plan


def _build_plan(
    model: type[models.Model], with_pk: bool, also_return: str, connection: BaseDatabaseWrapper
) -> _Plan:
    meta = model._meta
    pk = meta.pk
    assert pk is not None
    fields = tuple(f for f in meta.concrete_fields if with_pk or f is not pk)
    q = connection.ops.quote_name
    # Identifiers come from the model's metadata, quoted; values are parameters.
    sql = (
        f"INSERT INTO {q(meta.db_table)} ({', '.join(q(f.column) for f in fields)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    returning = [] if with_pk else [q(pk.column)]
    if also_return:
        returning.append(also_return)
    if returning and connection.features.can_return_columns_from_insert:
        sql += f" RETURNING {', '.join(returning)}"
    # Elsewhere :func:`insert` reads the new key and ``also_return`` with statements of their own.
    return sql, fields


def insert(obj: models.Model, *, also_return: str = "") -> Any:
    """INSERT ``obj`` as a new row (its primary key is set from the database unless given).

    ``also_return``: one SQL expression (written in code, never from input) that the INSERT's
    ``RETURNING`` clause computes too, and whose value is returned (None without it): a value the
    caller needs next, such as another table's next key, without a round trip of its own where the
    database returns values from an INSERT (PostgreSQL; SQLite from 3.35); elsewhere it is selected
    just after the INSERT, in the same transaction.
    """
    # The thread's connection itself, not the ``django.db.connection`` proxy: each field reads it.
    connection = connections[DEFAULT_DB_ALIAS]
    with_pk = obj.pk is not None
    sql, fields = _plan(type(obj), with_pk, also_return, connection)
    values = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
    also = None
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        if connection.features.can_return_columns_from_insert and (also_return or not with_pk):
            row = cursor.fetchone()
            if not with_pk:
                obj.pk = row[0]
            also = row[-1] if also_return else None
        else:
            if not with_pk:
                pk = obj._meta.pk
                assert pk is not None
                obj.pk = connection.ops.last_insert_id(cursor, obj._meta.db_table, pk.column)
            if also_return:  # a database without RETURNING: the same value, one round trip more
                cursor.execute(f"SELECT {also_return}")
                also = cursor.fetchone()[0]
    obj._state.adding = False
    obj._state.db = connection.alias
    return also


def insert_all(objs: Sequence[models.Model]) -> None:
    """INSERT new rows together: in one round trip on PostgreSQL, one by one elsewhere.

    PostgreSQL takes several statements in one call with Django's client-side parameter binding
    (psycopg's ``ClientCursor``): the statements still run one after the other, in the caller's
    transaction, and the first that fails raises as it would alone (an ``IntegrityError`` too).
    Each row's primary key is read back from its own statement's result.
    """
    connection = connections[DEFAULT_DB_ALIAS]
    if len(objs) < 2 or not _several_statements_per_call(connection):
        for obj in objs:
            insert(obj)
        return
    statements: list[str] = []
    values: list[Any] = []
    new_keys: list[bool] = []
    for obj in objs:
        with_pk = obj.pk is not None
        sql, fields = _plan(type(obj), with_pk, "", connection)
        statements.append(sql)
        values += [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
        new_keys.append(not with_pk)
    with connection.cursor() as cursor:
        cursor.execute("; ".join(statements), values)
        for index, (obj, new_key) in enumerate(zip(objs, new_keys, strict=True)):
            if index:
                cursor.nextset()
            if new_key:
                obj.pk = cursor.fetchone()[0]
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias


def _several_statements_per_call(connection: BaseDatabaseWrapper) -> bool:
    """PostgreSQL with client-side binding, Django's default (server-side binding prepares each
    call as one statement)."""
    return (
        connection.vendor == "postgresql"
        and connection.settings_dict["OPTIONS"].get("server_side_binding") is not True
    )
