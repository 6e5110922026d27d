"""Numbering counters (TS-20261127-003, SJ-2026-00042): one row per key
holding the last number given.

`counter_next` takes the next number in one statement, an upsert: the
row is created at 1 when missing, else its number goes up by one. The
upsert locks the row, so concurrent desks queue on it and each gets its
own number, and a rolled-back save gives its number back. (It was four
statements: create if missing, lock, add one, read back.) The row's
history is written by its audit triggers as for any other write."""

from __future__ import annotations

from typing import Any

from django.db import connection, models


def counter_next(model: type[models.Model], *, field: str = "last_number", **key: Any) -> int:
    """The next number of `model`'s row for `key` (field names, a model
    instance for a foreign key). The key must be one of the model's unique
    constraints."""
    meta = model._meta
    quote = connection.ops.quote_name
    columns, params = [], []
    for name, value in key.items():
        model_field = meta.get_field(name)
        if isinstance(value, models.Model):
            value = value.pk
        columns.append(quote(model_field.column))
        params.append(model_field.get_db_prep_save(value, connection))
    table, number = quote(meta.db_table), quote(meta.get_field(field).column)
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}, {number}) "
        f"VALUES ({', '.join(['%s'] * len(columns))}, 1) "
        f"ON CONFLICT ({', '.join(columns)}) DO UPDATE SET {number} = {table}.{number} + 1 "
        f"RETURNING {number}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]
