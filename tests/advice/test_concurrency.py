"""Accepting under concurrency: real threads on PostgreSQL. Exactly one of the
advisors racing for a chat gets it; the cap holds; the queue is served in order."""

import threading

import pytest
from django.db import connection

from advice.models import AdvisorProfile, Chat, ChatEvent, ChatMember, ChatStatus
from advice.services import desk
from core.errors import Conflict
from tests.advice.conftest import start
from tests.advice.factories import advisor

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


def test_exactly_one_of_many_advisors_accepting_at_once_gets_the_chat(open_desk):
    advisors = [advisor(open_desk, ("fi",)) for _ in range(6)]
    chat, _ = start(open_desk)
    results, errors = run_together(
        [
            lambda a=a: desk.chat_accept(advisor=a, chat_id=chat.pk, op="take")
            for a in advisors
        ]
    )
    winners = [r for r in results if r is not None]
    assert len(winners) == 1 and len(errors) == 5
    assert all(isinstance(e, Conflict) and e.code == "taken" for e in errors)
    chat = Chat.objects.get(pk=chat.pk)
    assert chat.status == ChatStatus.ACTIVE and chat.seq == 2
    assert ChatEvent.objects.filter(chat=chat, type="chat.accepted").count() == 1
    # The losers' rows rolled back with them.
    assert ChatMember.objects.filter(chat=chat, role="advisor").count() == 1


def test_the_cap_holds_when_one_advisor_accepts_many_at_once(open_desk):
    busy = advisor(open_desk, ("fi",), max_chats=2)
    waiting = [start(open_desk)[0] for _ in range(5)]
    results, errors = run_together(
        [
            lambda c=c: desk.chat_accept(advisor=busy, chat_id=c.pk, op=f"a{c.pk}")
            for c in waiting
        ]
    )
    assert len([r for r in results if r is not None]) == 2
    assert all(isinstance(e, Conflict) and e.code == "full" for e in errors)
    assert Chat.objects.filter(advisor=busy, status=ChatStatus.ACTIVE).count() == 2


def test_advisors_taking_the_head_at_once_serve_the_queue_in_order(open_desk):
    advisors = [advisor(open_desk, ("fi",), max_chats=1) for _ in range(3)]
    waiting = [start(open_desk)[0] for _ in range(6)]

    def take_head(profile):
        # Each takes the head of the queue, and the next one when it lost a race.
        profile = AdvisorProfile.objects.get(pk=profile.pk)
        for _attempt in range(6):
            head = desk.queue_head(profile)
            try:
                desk.chat_accept(advisor=profile, chat_id=head, op=f"h{head}")
                return head
            except Conflict:
                continue
        return None

    results, errors = run_together([lambda a=a: take_head(a) for a in advisors])
    assert errors == []
    # The three oldest were taken, one each; the rest wait in their order.
    assert sorted(results) == [c.pk for c in waiting[:3]]
    queued = Chat.objects.filter(status=ChatStatus.QUEUED).order_by("queued_at", "pk")
    assert [c.pk for c in queued] == [c.pk for c in waiting[3:]]
