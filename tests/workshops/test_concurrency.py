"""Joining under concurrency: real threads on PostgreSQL."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from tests.factories import UserFactory
from workshops import services
from workshops.models import Participant

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises every write; concurrency needs PostgreSQL",
    ),
]


def run_together(functions) -> tuple[list, list]:
    """Run the functions at the same moment, each on its own connection."""
    barrier = threading.Barrier(len(functions))
    results: list = [None] * len(functions)
    errors: list = []

    def worker(index, function):
        from django.db import connections

        try:
            barrier.wait()
            results[index] = function()
        except Exception as error:  # noqa: BLE001 - returned to the test
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
    return results, errors


@pytest.fixture
def open_workshop(facilitator, city):
    return services.workshop_create(
        user=facilitator, city=city, title="Race", starts_at=timezone.now()
    )


def test_one_user_joining_from_many_tabs_at_once_gets_one_row(open_workshop):
    """Before the lock-then-check, the second INSERT raised an IntegrityError."""
    user = UserFactory()
    results, errors = run_together(
        [
            lambda n=n: services.participant_join(
                workshop=open_workshop, display_name=f"Tab {n}", user=user
            )
            for n in range(6)
        ]
    )
    assert errors == []
    assert len({participant.pk for participant in results}) == 1
    assert Participant.objects.filter(workshop=open_workshop, user=user).count() == 1


def test_the_last_place_is_taken_once(open_workshop):
    open_workshop.capacity = 1
    open_workshop.save()
    results, errors = run_together(
        [
            lambda n=n: services.participant_join(
                workshop=open_workshop, display_name=f"Person {n}"
            )
            for n in range(6)
        ]
    )
    assert len([r for r in results if r is not None]) == 1
    assert len(errors) == 5
    assert all(isinstance(error, ValidationError) for error in errors)
    assert open_workshop.participants.count() == 1


def test_two_admissions_for_the_last_place_admit_one(open_workshop, facilitator):
    from workshops.models import Joining

    services.workshop_update(
        user=facilitator, workshop=open_workshop, joining=Joining.APPROVAL, capacity=1
    )
    waiting = [
        services.participant_join(workshop=open_workshop, display_name=f"W{n}")
        for n in range(4)
    ]
    results, errors = run_together(
        [
            lambda p=p: services.participant_admit(
                user=facilitator, participant=p, admit=True
            )
            for p in waiting
        ]
    )
    assert len(errors) == 3
    assert all(getattr(error, "code", None) == "full" for error in errors)
    assert open_workshop.participants.filter(pending=False).count() == 1
