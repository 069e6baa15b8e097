"""Exact support counts under concurrency: real threads on PostgreSQL."""

import threading

import pytest
from django.db import connection

from core.actors import Actor
from ideas.models import Dream, DreamSupport
from ideas.services import dream_support, dream_support_withdraw
from tests.factories import CityFactory, UserFactory
from tests.ideas.factories import DreamFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises every write; concurrency needs PostgreSQL",
    ),
]


def _run_together(functions) -> list:
    barrier = threading.Barrier(len(functions))
    results: list = [None] * len(functions)
    errors: list = []

    def worker(index, function):
        from django.db import connections

        try:
            barrier.wait()
            results[index] = function()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=worker, args=(i, f)) for i, f in enumerate(functions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return results


def test_many_people_supporting_at_once_are_all_counted():
    dream = DreamFactory(city=CityFactory())
    people = [UserFactory() for _ in range(12)]
    _run_together(
        [
            (lambda p=p: dream_support(dream=dream, participant=Actor(user=p)))
            for p in people
        ]
    )
    dream.refresh_from_db()
    assert dream.support_count == 12
    assert DreamSupport.objects.filter(dream=dream).count() == 12


def test_one_person_clicking_many_times_at_once_counts_once():
    dream = DreamFactory(city=CityFactory())
    person = Actor(user=UserFactory())
    results = _run_together(
        [lambda: dream_support(dream=dream, participant=person) for _ in range(8)]
    )
    assert results.count(True) == 1
    dream.refresh_from_db()
    assert dream.support_count == 1


def test_supports_and_withdrawals_interleaved_stay_exact():
    dream = DreamFactory(city=CityFactory())
    people = [Actor(user=UserFactory()) for _ in range(10)]
    for p in people[:5]:
        dream_support(dream=dream, participant=p)
    calls = [
        (lambda p=p: dream_support_withdraw(dream=dream, participant=p))
        for p in people[:5]
    ] + [(lambda p=p: dream_support(dream=dream, participant=p)) for p in people[5:]]
    _run_together(calls)
    dream = Dream.objects.get(pk=dream.pk)
    assert dream.support_count == DreamSupport.objects.filter(dream=dream).count() == 5
