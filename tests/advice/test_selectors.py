"""Snapshots (what the resident and the advisor see, retention at read time), the
queue (first in, first out per city and language) and the wait estimate."""

from datetime import timedelta

import pytest
from django.utils import timezone

from advice import selectors
from advice.models import AdviceCitySettings, Chat, ChatNote, ChatStatus
from advice.rules import Queue
from tests.advice.conftest import start
from tests.advice.factories import advisor

pytestmark = pytest.mark.django_db


def test_resident_snapshot_has_the_chat_and_its_messages(open_desk, aino, topic):
    chat, _ = start(open_desk, topic=topic, text="Hei <b>", origin_path="/feedback/")
    ChatNote.objects.create(chat=chat, advisor=aino, text="sisäinen")
    snap = selectors.chat_snapshot(chat=chat, viewer=selectors.RESIDENT)
    assert snap["type"] == "snapshot" and snap["seq"] == 1
    assert snap["chat"]["status"] == "queued" and snap["chat"]["queue_position"] == 1
    assert snap["chat"]["estimated_wait_s"] == selectors.DEFAULT_HANDLING_S
    assert snap["chat"]["topic"] == topic.name
    assert [m["text"] for m in snap["messages"]] == ["Hei <b>"]
    assert snap["messages"][0]["author"] == "resident"
    # Internal notes and the page it came from are the desk's only.
    assert "notes" not in snap and "origin_path" not in snap["chat"]
    desk = selectors.chat_snapshot(chat=chat, viewer=selectors.ADVISOR)
    assert [n["text"] for n in desk["notes"]] == ["sisäinen"]
    assert desk["chat"]["origin_path"] == "/feedback/"


def test_an_expired_transcript_is_not_shown_even_before_the_job_runs(open_desk, aino):
    AdviceCitySettings.objects.create(city=open_desk, transcript_retention_days=7)
    chat, _ = start(open_desk)
    ChatNote.objects.create(chat=chat, advisor=aino, text="sisäinen")
    Chat.objects.filter(pk=chat.pk).update(
        status=ChatStatus.CLOSED, closed_at=timezone.now() - timedelta(days=8)
    )
    for viewer in (selectors.RESIDENT, selectors.ADVISOR):
        snap = selectors.chat_snapshot(chat=chat, viewer=viewer)
        assert snap["messages"] == [] and snap["chat"]["transcript_expired"]
    assert selectors.chat_snapshot(chat=chat, viewer=selectors.ADVISOR)["notes"] == []
    Chat.objects.filter(pk=chat.pk).update(closed_at=timezone.now() - timedelta(days=6))
    snap = selectors.chat_snapshot(chat=chat, viewer=selectors.RESIDENT)
    assert len(snap["messages"]) == 1 and not snap["chat"]["transcript_expired"]


def test_queue_is_first_in_first_out_per_city_and_language(open_desk, other_city, aino):
    first, _ = start(open_desk)
    second, _ = start(open_desk)
    english, _ = start(open_desk, language="en")
    assert selectors.queue_position(first) == 1
    assert selectors.queue_position(second) == 2
    assert selectors.queue_position(english) == 1
    assert [row["id"] for row in selectors.queue_for(aino)] == [
        first.pk,
        second.pk,
        english.pk,
    ]


def test_an_advisor_sees_only_the_queues_of_their_cities_and_languages(
    open_desk, other_city, aino
):
    from tests.advice.factories import open_all_week

    open_all_week(other_city)
    turku = advisor(other_city, ("sv",))
    helsinki_fi, _ = start(open_desk)
    turku_sv, _ = start(other_city, language="sv")
    anywhere_sv, _ = start(None, language="sv")
    assert [r["id"] for r in selectors.queue_for(aino)] == [helsinki_fi.pk]
    assert [r["id"] for r in selectors.queue_for(turku)] == [
        turku_sv.pk,
        anywhere_sv.pk,
    ]


def test_estimate_follows_the_formula(open_desk, aino, django_assert_max_num_queries):
    queue = Queue(city_id=open_desk.pk, language="fi")
    now = timezone.now()
    # Handling times 60, 120, 600 s: the median is 120.
    for seconds in (60, 120, 600):
        chat, _ = start(open_desk)
        Chat.objects.filter(pk=chat.pk).update(
            status=ChatStatus.CLOSED,
            queued_at=None,
            advisor=aino,
            first_accepted_at=now - timedelta(seconds=seconds + 5),
            closed_at=now - timedelta(seconds=5),
        )
    # An old one (outside 14 days) and another queue's do not count.
    old, _ = start(open_desk)
    Chat.objects.filter(pk=old.pk).update(
        status=ChatStatus.CLOSED,
        first_accepted_at=now - timedelta(days=20),
        closed_at=now - timedelta(days=19),
    )
    assert selectors.median_handling_s(queue) == 120
    waiting = [start(open_desk)[0] for _ in range(3)]
    advisor(open_desk, ("fi",))  # two available advisors with free slots
    assert selectors.free_advisors(queue) == 2
    with django_assert_max_num_queries(4):
        place = selectors.estimate(waiting[2])
    assert place.position == 3
    assert place.estimated_wait_s == 2 * 120  # ceil(3 / 2) * m


def test_a_full_advisor_is_not_a_free_slot_but_the_floor_is_one(open_desk):
    from advice.models import AdvisorStatus

    busy = advisor(open_desk, ("fi",), max_chats=1)
    chat, _ = start(open_desk)
    Chat.objects.filter(pk=chat.pk).update(
        status=ChatStatus.ACTIVE, advisor=busy, queued_at=None
    )
    queue = Queue(city_id=open_desk.pk, language="fi")
    assert selectors.free_advisors(queue) == 0
    waiting, _ = start(open_desk)
    assert selectors.estimate(waiting).estimated_wait_s == selectors.DEFAULT_HANDLING_S
    busy.status = AdvisorStatus.AWAY
    busy.save()
    assert not selectors.someone_available(queue)


def test_queue_reads_a_fixed_number_of_queries(
    open_desk, aino, django_assert_max_num_queries
):
    for _ in range(5):
        start(open_desk)
    aino = type(aino).objects.get(pk=aino.pk)
    with django_assert_max_num_queries(4):  # user, cities, languages, queue
        assert len(selectors.queue_for(aino)) == 5
    chat = Chat.objects.first()
    with django_assert_max_num_queries(8):
        selectors.chat_snapshot(chat=chat, viewer=selectors.ADVISOR)
