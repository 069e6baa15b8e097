"""The reset between transactional tests (`tests/db_reset.py`) brings back
exactly what the migrations made, whatever a test added, changed or removed."""

import json

import pytest
from django.core.management import call_command
from django.db import connection
from wagtail.models import Locale, Site

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _rows(serialized: str) -> list[tuple]:
    return sorted(
        (row["model"], str(row["pk"]), json.dumps(row["fields"], sort_keys=True))
        for row in json.loads(serialized)
    )


def _load_what_the_migrations_made() -> None:
    connection.creation.deserialize_db_from_string(connection._test_serialized_contents)


def test_a_flush_and_load_bring_back_every_row_as_migrated():
    migrated = _rows(connection._test_serialized_contents)
    UserFactory()
    Locale.objects.filter(language_code="sv").delete()
    Site.objects.update(hostname="changed.example")

    # As a transactional test's teardown calls it with serialized rollback
    # (TransactionTestCase._fixture_teardown).
    call_command(
        "flush",
        verbosity=0,
        interactive=False,
        reset_sequences=False,
        inhibit_post_migrate=True,
    )
    assert not Locale.objects.exists()  # the flush empties every table
    _load_what_the_migrations_made()

    assert _rows(connection.creation.serialize_db_to_string()) == migrated
    assert not UserFactory._meta.model.objects.exists()


def test_a_load_over_rows_still_there_takes_the_migrated_values():
    """Before the first flush the database still holds the migrations' rows: the
    load updates them instead of failing on their keys."""
    migrated = _rows(connection._test_serialized_contents)
    Site.objects.update(hostname="changed.example")

    _load_what_the_migrations_made()

    assert _rows(connection.creation.serialize_db_to_string()) == migrated
