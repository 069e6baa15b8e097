"""The advisor's side: status, accepting up to the cap, transfers, internal
notes, closing and blocking, offline questions returning to the queue."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from advice import selectors
from advice.models import (
    AdvisorProfile,
    AdvisorStatus,
    Chat,
    ChatEvent,
    ChatNote,
    ChatPresence,
    ChatStatus,
)
from advice.services import chats, desk
from advice.services.events import CHATS
from core.errors import Conflict, Forbidden
from tests.advice.conftest import start
from tests.advice.factories import advisor, open_all_week
from tests.broadcasts import decoded

pytestmark = pytest.mark.django_db


def fresh(chat):
    return Chat.objects.get(pk=chat.pk)


def test_accept_makes_the_chat_active_with_the_advisors_name(open_desk, aino):
    chat, _ = start(open_desk)
    applied = desk.chat_accept(advisor=aino, chat_id=chat.pk, op="a1")
    chat = fresh(chat)
    assert chat.status == ChatStatus.ACTIVE and chat.advisor == aino
    assert chat.advisor_name == "Aino" and chat.first_accepted_at is not None
    event = ChatEvent.objects.get(chat=chat, seq=applied.seq)
    assert event.payload == {
        "type": "chat.accepted",
        "advisor_name": "Aino",
        "chat": chat.pk,
    }
    assert desk.chat_accept(advisor=aino, chat_id=chat.pk, op="a1").duplicate
    assert selectors.queue_for(aino) == []


def test_a_taken_chat_is_a_conflict_for_the_second_advisor(open_desk, aino):
    other = advisor(open_desk, ("fi",))
    chat, _ = start(open_desk)
    desk.chat_accept(advisor=aino, chat_id=chat.pk, op="a1")
    with pytest.raises(Conflict) as refused:
        desk.chat_accept(advisor=other, chat_id=chat.pk, op="b1")
    assert refused.value.code == "taken"
    assert fresh(chat).advisor == aino and fresh(chat).seq == 2


def test_several_chats_up_to_the_cap(open_desk):
    busy = advisor(open_desk, ("fi",), max_chats=2)
    waiting = [start(open_desk)[0] for _ in range(3)]
    desk.chat_accept(advisor=busy, chat_id=waiting[0].pk, op="1")
    desk.chat_accept(advisor=busy, chat_id=waiting[1].pk, op="2")
    with pytest.raises(Conflict) as refused:
        desk.chat_accept(advisor=busy, chat_id=waiting[2].pk, op="3")
    assert refused.value.code == "full"
    assert fresh(waiting[2]).status == ChatStatus.QUEUED
    chats.chat_close(chat=waiting[0], advisor=busy, op="c")
    desk.chat_accept(advisor=busy, chat_id=waiting[2].pk, op="3")


def test_an_advisor_without_the_language_or_city_is_forbidden(
    open_desk, other_city, aino
):
    swede = advisor(open_desk, ("sv",))
    chat, _ = start(open_desk)
    with pytest.raises(Forbidden):
        desk.chat_accept(advisor=swede, chat_id=chat.pk, op="s")
    open_all_week(other_city)
    turku = advisor(other_city, ("fi",))
    with pytest.raises(Forbidden):
        desk.chat_accept(advisor=turku, chat_id=chat.pk, op="t")
    with pytest.raises(ValidationError) as refused:
        desk.chat_accept(advisor=aino, chat_id=10**9, op="x")
    assert refused.value.code == "not_found"
    assert fresh(chat).status == ChatStatus.QUEUED and fresh(chat).seq == 1


def test_the_holder_talks_and_others_cannot(open_desk, aino):
    other = advisor(open_desk, ("fi",))
    chat, _ = start(open_desk)
    desk.chat_accept(advisor=aino, chat_id=chat.pk, op="a")
    sent = chats.message_send(
        chat=chat, text="Hei, miten voin auttaa?", advisor=aino, op="m"
    )
    event = ChatEvent.objects.get(chat=chat, seq=sent.seq)
    assert event.payload["message"]["author"] == "advisor"
    assert event.payload["message"]["name"] == "Aino"
    with pytest.raises(Forbidden):
        chats.message_send(chat=chat, text="Minäkin", advisor=other, op="o")


def test_transfer_to_another_advisor_with_an_internal_note(open_desk, aino):
    other = advisor(open_desk, ("fi",), name="Bertta")
    chat, _ = start(open_desk)
    desk.chat_accept(advisor=aino, chat_id=chat.pk, op="a")
    applied = desk.chat_transfer(
        advisor=aino, chat_id=chat.pk, to=other.pk, note="Kysyy Kelasta", op="t"
    )
    chat = fresh(chat)
    assert chat.advisor == other and chat.advisor_name == "Bertta"
    assert chat.status == ChatStatus.ACTIVE and chat.transfers == 1
    event = ChatEvent.objects.get(chat=chat, seq=applied.seq)
    assert event.payload["type"] == "chat.transferred"
    assert event.payload["advisor_name"] == "Bertta"
    # The note is internal: in no event and not in the resident's snapshot.
    assert ChatNote.objects.get(chat=chat).text == "Kysyy Kelasta"
    assert not any("Kysyy" in str(e.payload) for e in ChatEvent.objects.all())
    resident = selectors.chat_snapshot(chat=chat, viewer=selectors.RESIDENT)
    assert "Kysyy" not in str(resident)
    desk_view = selectors.chat_snapshot(chat=chat, viewer=selectors.ADVISOR)
    assert desk_view["notes"][0]["text"] == "Kysyy Kelasta"
    # The old holder no longer holds it.
    with pytest.raises(Forbidden):
        chats.message_send(chat=chat, text="Hei", advisor=aino, op="m")


def test_transfer_back_to_the_queue_keeps_the_place(open_desk, aino):
    first, _ = start(open_desk)
    second, _ = start(open_desk)
    desk.chat_accept(advisor=aino, chat_id=first.pk, op="a")
    desk.chat_transfer(advisor=aino, chat_id=first.pk, to=desk.QUEUE, op="t")
    first = fresh(first)
    assert first.status == ChatStatus.QUEUED and first.advisor is None
    assert selectors.queue_position(first) == 1
    assert selectors.queue_position(fresh(second)) == 2


def test_transfer_to_another_citys_or_languages_queue(open_desk, other_city, aino):
    open_all_week(other_city)
    turku = advisor(other_city, ("sv",))
    chat, _ = start(open_desk)
    desk.chat_accept(advisor=aino, chat_id=chat.pk, op="a")
    desk.chat_transfer(
        advisor=aino,
        chat_id=chat.pk,
        to=desk.QUEUE,
        city=other_city.pk,
        language="sv",
        note="Ruotsiksi Turkuun",
        op="t",
    )
    chat = fresh(chat)
    assert (chat.city, chat.language, chat.status) == (other_city, "sv", "queued")
    assert [r["id"] for r in selectors.queue_for(turku)] == [chat.pk]
    assert selectors.queue_for(AdvisorProfile.objects.get(pk=aino.pk)) == []


def test_transfer_refusals_write_nothing(open_desk, other_city, aino):
    swede = advisor(open_desk, ("sv",))
    full = advisor(open_desk, ("fi",), max_chats=1)
    chat, _ = start(open_desk)
    busy, _ = start(open_desk)
    desk.chat_accept(advisor=full, chat_id=busy.pk, op="f")
    with pytest.raises(Forbidden):  # not held yet
        desk.chat_transfer(advisor=aino, chat_id=chat.pk, to=desk.QUEUE, op="t0")
    desk.chat_accept(advisor=aino, chat_id=chat.pk, op="a")
    bad = [
        ({"to": swede.pk}, "cannot_advise"),
        ({"to": full.pk}, "full"),
        ({"to": aino.pk}, "invalid"),
        ({"to": 10**9}, "not_found"),
        ({"to": desk.QUEUE, "city": 10**9}, "not_found"),
        ({"to": desk.QUEUE, "language": "xx"}, "invalid"),
        ({"to": desk.QUEUE, "note": "x" * 2001}, "too_long"),
    ]
    for fields, code in bad:
        with pytest.raises(ValidationError) as refused:
            desk.chat_transfer(advisor=aino, chat_id=chat.pk, op="t1", **fields)
        assert refused.value.code == code, fields
    chat = fresh(chat)
    assert chat.advisor == aino and chat.transfers == 0 and chat.seq == 2
    assert not ChatNote.objects.exists()


def test_notes_are_the_holders_and_a_retried_op_writes_one(open_desk, aino):
    other = advisor(open_desk, ("fi",))
    chat, _ = start(open_desk)
    with pytest.raises(Forbidden):
        desk.note_add(advisor=aino, chat_id=chat.pk, text="ei vielä", op="n0")
    desk.chat_accept(advisor=aino, chat_id=chat.pk, op="a")
    first = desk.note_add(
        advisor=aino, chat_id=chat.pk, text="Tarvitsee tulkin", op="n1"
    )
    again = desk.note_add(
        advisor=aino, chat_id=chat.pk, text="Tarvitsee tulkin", op="n1"
    )
    assert first.pk == again.pk and ChatNote.objects.count() == 1
    with pytest.raises(Forbidden):
        desk.note_add(advisor=other, chat_id=chat.pk, text="x", op="n2")
    assert fresh(chat).seq == 2  # notes are not in the chat's log


def test_block_ends_the_chat_and_the_residents_sends_are_refused(open_desk, aino):
    chat, _ = start(open_desk)
    desk.chat_accept(advisor=aino, chat_id=chat.pk, op="a")
    applied = desk.chat_block(advisor=aino, chat_id=chat.pk, op="b")
    chat = fresh(chat)
    assert chat.status == ChatStatus.CLOSED and chat.blocked
    event = ChatEvent.objects.get(chat=chat, seq=applied.seq)
    assert event.payload["blocked"] and event.payload["by"] == "advisor"
    with pytest.raises(ValidationError) as refused:
        chats.message_send(chat=chat, text="!!!", op="m")
    assert refused.value.code == "closed"


def test_the_log_reads_a_chat_back_as_it_was_broadcast(
    open_desk, aino, monkeypatch, django_capture_on_commit_callbacks
):
    """A hub filling a gap from the log sends what the broadcast would have: the
    blocked close still closes the resident's sockets."""
    sent = []
    monkeypatch.setattr(
        "core.realtime.streams.group_send", lambda batch: sent.extend(batch)
    )
    with django_capture_on_commit_callbacks(execute=True):
        chat, _ = start(open_desk)
        desk.chat_accept(advisor=aino, chat_id=chat.pk, op="a")
        desk.chat_block(advisor=aino, chat_id=chat.pk, op="b")
    broadcasts = [message for _group, message in sent if "seq" in message]
    assert [message["seq"] for message in broadcasts] == [1, 2, 3]
    assert broadcasts[-1]["removed"] == chats.resident_member(chat).pk
    read_back = CHATS.logged_broadcasts(chat.pk, 1, 4)
    assert [decoded(m) for m in read_back] == [decoded(m) for m in broadcasts]
    assert [decoded(m) for m in CHATS.logged_broadcasts(chat.pk, 2, 3)] == [
        decoded(broadcasts[1])
    ]
    ChatEvent.objects.filter(chat=chat, seq=2).delete()
    assert CHATS.logged_broadcasts(chat.pk, 1, 4) is None  # no longer all there


def test_the_advisor_closes_a_held_chat_only(open_desk, aino):
    chat, _ = start(open_desk)
    with pytest.raises(Forbidden):
        desk.desk_close(advisor=aino, chat_id=chat.pk, op="c0")
    desk.chat_accept(advisor=aino, chat_id=chat.pk, op="a")
    desk.desk_close(advisor=aino, chat_id=chat.pk, op="c1")
    assert fresh(chat).status == ChatStatus.CLOSED


def test_status_and_offline_questions_return_only_when_the_resident_is_here(open_desk):
    aino = advisor(open_desk, ("fi",), status=AdvisorStatus.AWAY)
    here, _ = start(open_desk, email="here@example.org")
    gone, _ = start(open_desk, email="gone@example.org")
    assert here.status == gone.status == ChatStatus.OFFLINE
    ChatPresence.objects.create(chat=here, channel_name="resident-here")
    ChatPresence.objects.create(chat=gone, channel_name="resident-gone")
    ChatPresence.objects.filter(channel_name="resident-gone").update(
        last_seen=timezone.now() - timezone.timedelta(minutes=5)
    )
    with pytest.raises(ValidationError):
        desk.advisor_status_set(advisor=aino, status="asleep")
    desk.advisor_status_set(advisor=aino, status=AdvisorStatus.AVAILABLE)
    assert AdvisorProfile.objects.get(pk=aino.pk).status == AdvisorStatus.AVAILABLE
    assert fresh(here).status == ChatStatus.QUEUED
    assert fresh(here).queued_at == fresh(here).created_at
    assert fresh(gone).status == ChatStatus.OFFLINE  # stays for e-mail
    event = ChatEvent.objects.filter(chat=here).last()
    assert event.payload["type"] == "chat.queued"


def test_a_resident_opening_an_offline_chat_returns_it_when_someone_is_available(
    open_desk,
):
    from advice.services import presence

    aino = advisor(open_desk, ("fi",), status=AdvisorStatus.AWAY)
    chat, _ = start(open_desk, email="a@example.org")
    presence.presence_enter_chat(chat_id=chat.pk, channel_name="c1")
    assert fresh(chat).status == ChatStatus.OFFLINE
    AdvisorProfile.objects.filter(pk=aino.pk).update(status=AdvisorStatus.AVAILABLE)
    presence.presence_enter_chat(chat_id=chat.pk, channel_name="c2")
    assert fresh(chat).status == ChatStatus.QUEUED
    presence.presence_leave(channel_name="c1")
    assert ChatPresence.objects.count() == 1
