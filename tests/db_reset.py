"""A faster reset between transactional tests (the tests' harness, not the platform).

Every transactional test ends with Django's flush and the next one starts by
loading what the migrations made (serialized rollback, see `conftest.py`). Done
Django's way that cost about 1.2 s a test on PostgreSQL, most of the PostgreSQL
pass: the flush is one TRUNCATE of all 137 tables (new files for every table and
index), and the load saves 650 rows one by one with two queries each. Here:

- on PostgreSQL the flush deletes the rows instead (`DELETE FROM` each table in
  the flush's one transaction): the foreign keys Django makes there are checked
  at commit, when every row is gone. Sequences are not reset either way.
- the load inserts (or, where a row is there, updates) each model's rows in
  one statement, as they were serialized: no `save()`, no signals (which the raw
  load's receivers ignore anyway). Models a bulk insert cannot take
  (multi-table children, rows with many-to-many values) are saved as Django does.

Written by hand because neither Django nor pytest-django has a switch for it.
"""

from __future__ import annotations

from io import StringIO
from itertools import groupby

from django.core import serializers
from django.db import transaction
from django.db.backends.base.creation import BaseDatabaseCreation
from django.db.backends.postgresql.operations import DatabaseOperations


def _sql_flush_by_delete(
    self, style, tables, *, reset_sequences=False, allow_cascade=False
):
    if reset_sequences or allow_cascade:
        return _truncating_sql_flush(
            self,
            style,
            tables,
            reset_sequences=reset_sequences,
            allow_cascade=allow_cascade,
        )
    return [
        f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))};"
        for table in tables
    ]


def _deserialize_in_bulk(self, data: str) -> None:
    alias = self.connection.alias
    rows = serializers.deserialize("json", StringIO(data), using=alias)
    table_names = set()
    with transaction.atomic(using=alias), self.connection.constraint_checks_disabled():
        for model, group in groupby(rows, key=lambda row: type(row.object)):
            group = list(group)
            table_names.add(model._meta.db_table)
            if model._meta.parents or any(row.m2m_data for row in group):
                for row in group:
                    row.save()
            else:
                _insert_or_update(model, [row.object for row in group], alias)
        self.connection.check_constraints(table_names=table_names)


def _insert_or_update(model, objects: list, alias: str) -> None:
    """Insert the rows; a row already there (before the first flush the database
    still holds what the migrations made) takes the serialized values, as
    `save()` would."""
    meta = model._meta
    fields = [f.name for f in meta.concrete_fields if not f.primary_key]
    model._base_manager.using(alias).bulk_create(
        objects,
        update_conflicts=bool(fields),
        ignore_conflicts=not fields,
        unique_fields=[meta.pk.name] if fields else None,
        update_fields=fields or None,
    )


_truncating_sql_flush = DatabaseOperations.sql_flush


def install() -> None:
    """Switch the test run to the faster flush and load (once, at session start)."""
    DatabaseOperations.sql_flush = _sql_flush_by_delete
    BaseDatabaseCreation.deserialize_db_from_string = _deserialize_in_bulk
