"""`core.locking`: lock inside a transaction, in key order, and re-read."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from core.locking import LockOutsideTransaction, lock_row, lock_rows
from core.models import City

pytestmark = pytest.mark.django_db


@pytest.mark.django_db(transaction=True)
def test_refuses_to_run_outside_a_transaction(city):
    with pytest.raises(LockOutsideTransaction):
        lock_rows(City, [city.pk])


def test_locks_in_key_order_and_returns_the_rows_as_they_are_now(city, other_city):
    City.objects.filter(pk=city.pk).update(name_fi="Renamed")
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        rows = lock_rows(City, [other_city.pk, city.pk, city.pk, 10**9])
    assert list(rows) == sorted([city.pk, other_city.pk])  # the gone key is absent
    assert rows[city.pk].name_fi == "Renamed"
    select = queries.captured_queries[-1]["sql"]
    assert "ORDER BY" in select
    if connection.vendor == "postgresql":
        assert "FOR UPDATE" in select
        assert queries.captured_queries[0]["sql"].startswith("SET LOCAL lock_timeout")
    else:
        assert len(queries.captured_queries) == 1  # no timeout to set on SQLite


def test_no_keys_locks_nothing(city):
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        assert lock_rows(City, []) == {}
    assert queries.captured_queries == []


def test_a_queryset_without_keys_locks_what_it_selects(city, other_city):
    with transaction.atomic():
        rows = lock_rows(City.objects.filter(pk=other_city.pk))
    assert list(rows) == [other_city.pk]


def test_lock_row(city):
    with transaction.atomic():
        assert lock_row(City, city.pk) == city
        assert lock_row(City, 10**9) is None
