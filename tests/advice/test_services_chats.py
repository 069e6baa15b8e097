"""The resident's side: starting a chat (queued or offline), the access check,
messages, closing and the rating — with their bad inputs."""

import pytest
from django.core.exceptions import ValidationError

from advice.models import AdvisorStatus, Chat, ChatEvent, ChatMessage, ChatStatus
from advice.services import chats
from core.errors import Conflict, Forbidden, RateLimited
from tests.advice.conftest import start
from tests.advice.factories import advisor

pytestmark = pytest.mark.django_db


def test_a_chat_starts_queued_when_the_desk_is_open_and_an_advisor_is_there(
    aino, topic
):
    chat, key = start(
        aino.user.groups.first().city_role.city,
        topic=topic,
        text="Miten haen <script>x</script> lupaa?\u202e",
        origin_path="/dreams/new/",
        ip="10.0.0.1",
    )
    assert chat.status == ChatStatus.QUEUED and chat.queued_at is not None
    assert chat.seq == 1 and chat.origin_path == "/dreams/new/"
    message = ChatMessage.objects.get(chat=chat)
    # Kept as typed, the bidi override removed.
    assert message.text == "Miten haen <script>x</script> lupaa?"
    assert message.author == "resident"
    event = ChatEvent.objects.get(chat=chat)
    assert event.seq == 1 and event.payload["type"] == "message.sent"
    assert event.payload["chat"] == chat.pk
    assert chats.resident_chat(chat_id=chat.pk, key=key) == chat


def test_nobody_available_makes_an_offline_question_that_needs_an_email(open_desk):
    advisor(open_desk, ("fi",), status=AdvisorStatus.AWAY)
    with pytest.raises(ValidationError) as refused:
        start(open_desk)
    assert "email" in refused.value.message_dict
    assert not Chat.objects.exists()
    chat, _key = start(open_desk, email="asukas@example.org")
    assert chat.status == ChatStatus.OFFLINE and chat.queued_at is None


def test_a_closed_desk_makes_an_offline_question(city):
    advisor(city, ("fi",))  # available, but no opening hours
    chat, _key = start(city, email="asukas@example.org")
    assert chat.status == ChatStatus.OFFLINE


def test_an_advisor_without_the_language_does_not_open_the_queue(aino):
    chat, _ = start(
        aino.user.groups.first().city_role.city, language="sv", email="a@example.org"
    )
    assert chat.status == ChatStatus.OFFLINE


def test_any_city_is_served_by_an_advisor_of_any_city(aino):
    chat, _ = start(None, language="ru")
    assert chat.status == ChatStatus.QUEUED and chat.city is None


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"language": "xx"}, "language"),
        ({"text": "   "}, "text"),
        ({"text": "x" * 2001}, "text"),
        ({"email": "not an address"}, "email"),
    ],
)
def test_bad_input_is_refused_with_its_field_and_nothing_written(
    open_desk, aino, fields, field
):
    with pytest.raises(ValidationError) as refused:
        start(open_desk, **fields)
    assert field in refused.value.message_dict
    assert not Chat.objects.exists() and not ChatMessage.objects.exists()


def test_an_inactive_topic_is_refused(open_desk, aino, topic):
    topic.active = False
    topic.save()
    with pytest.raises(ValidationError) as refused:
        start(open_desk, topic=topic)
    assert "topic" in refused.value.message_dict


def test_an_origin_path_off_the_site_is_dropped(open_desk, aino):
    chat, _ = start(open_desk, origin_path="https://evil.example/")
    assert chat.origin_path == ""
    chat, _ = start(open_desk, origin_path="//evil.example/")
    assert chat.origin_path == ""


def test_starting_chats_is_rate_limited_per_address(open_desk, aino):
    for _ in range(chats.CHATS_PER_ADDRESS_PER_HOUR):
        start(open_desk, ip="10.0.0.9")
    with pytest.raises(RateLimited):
        start(open_desk, ip="10.0.0.9")
    start(open_desk, ip="10.0.0.10")  # another address still may


def test_an_offline_question_is_a_notice_to_the_queues_advisors_only(city, other_city):
    """Each advisor of the question's city and language is told (no question
    text in the notice, a link to the answer page); an advisor of another
    language or city is not."""
    from notifications.models import Notification

    fi = advisor(city, ("fi",), name="Aino")  # available, but no opening hours
    sv = advisor(city, ("sv",), name="Sven")
    elsewhere = advisor(other_city, ("fi",), name="Tuuli")
    chat, _key = start(city, email="asukas@example.org", text="Salainen kysymys")
    told = Notification.objects.filter(kind="advice.offline_question")
    assert [n.recipient_id for n in told] == [fi.user_id]
    notice = told.get()
    assert notice.url.endswith(f"/desk/offline/{chat.pk}/")
    assert "Salainen" not in notice.text and notice.text
    assert not {sv.user_id, elsewhere.user_id} & {n.recipient_id for n in told}


def test_a_signed_in_resident_opens_their_chat_in_any_browser(open_desk, aino):
    """The activity page links the chats a person started signed in; the chat
    opens for them without the key, and for nobody else."""
    from django.utils import translation

    from accounts import activity
    from tests.factories import UserFactory

    resident, stranger = UserFactory(), UserFactory()
    chat, _key = start(open_desk, user=resident)
    assert chats.resident_chat(chat_id=chat.pk, key=None, user=resident) == chat
    assert chats.resident_chat(chat_id=chat.pk, key=None, user=stranger) is None
    with translation.override("en"):
        items = activity.providers()["advice"](resident, 20)
    assert [(i.url, i.state) for i in items] == [
        (f"/en/advice/chats/{chat.pk}/", "Waiting in the queue")
    ]
    assert activity.providers()["advice"](stranger, 20) == []


def test_the_key_is_the_only_access(open_desk, aino):
    chat, key = start(open_desk)
    other, other_key = start(open_desk)
    assert chats.resident_chat(chat_id=chat.pk, key=other_key) is None
    assert chats.resident_chat(chat_id=chat.pk, key=None) is None
    assert chats.resident_chat(chat_id=chat.pk, key="") is None
    assert chats.resident_chat(chat_id=10**9, key=key) is None
    assert chats.resident_chat(chat_id=other.pk, key=other_key) == other


def test_session_remembers_the_key(open_desk, aino):
    chat, key = start(open_desk)
    session = {}
    chats.chat_remember(session, chat, key)
    assert chats.session_chat_key(session, chat.pk) == key
    assert chats.session_chat_key(session, chat.pk + 1) is None


def test_messages_are_numbered_and_a_retried_op_is_applied_once(open_desk, aino):
    chat, _ = start(open_desk)
    first = chats.message_send(chat=chat, text="Hei?", op="m1")
    again = chats.message_send(chat=chat, text="Hei?", op="m1")
    assert first.seq == 2 and again.seq == 2 and again.duplicate
    assert ChatMessage.objects.filter(chat=chat).count() == 2
    assert chats.message_send(chat=chat, text="Onko ketään?", op="m2").seq == 3


def test_an_advisor_not_holding_the_chat_cannot_send(open_desk, aino):
    chat, _ = start(open_desk)
    with pytest.raises(Forbidden):
        chats.message_send(chat=chat, text="Hei", op="a1", advisor=aino)
    assert ChatMessage.objects.filter(chat=chat).count() == 1
    assert Chat.objects.get(pk=chat.pk).seq == 1  # the refused number rolled back


def test_closing_ends_sends_and_a_second_close_is_a_conflict(open_desk, aino):
    chat, _ = start(open_desk)
    closed = chats.chat_close(chat=chat, op="c1")
    chat.refresh_from_db()
    assert chat.status == ChatStatus.CLOSED and chat.closed_at is not None
    assert closed.seq == 2
    assert chats.chat_close(chat=chat, op="c1").duplicate
    with pytest.raises(Conflict):
        chats.chat_close(chat=chat, op="c2")
    with pytest.raises(ValidationError) as refused:
        chats.message_send(chat=chat, text="Vielä yksi", op="m9")
    assert refused.value.code == "closed"
    assert ChatEvent.objects.filter(chat=chat).count() == 2


def test_rating_after_the_end_once_with_a_comment(open_desk, aino):
    chat, _ = start(open_desk)
    with pytest.raises(ValidationError):
        chats.rating_give(chat=chat, score=5, op="r0")  # not ended yet
    chats.chat_close(chat=chat, op="c1")
    for bad in (0, 6, True, "5", None):
        with pytest.raises(ValidationError):
            chats.rating_give(chat=chat, score=bad, op="r1")
    with pytest.raises(ValidationError):
        chats.rating_give(chat=chat, score=4, comment="x" * 1001, op="r1")
    applied = chats.rating_give(chat=chat, score=4, comment="Kiitos <3", op="r1")
    chat.refresh_from_db()
    assert (chat.rating, chat.rating_comment) == (4, "Kiitos <3")
    event = ChatEvent.objects.get(chat=chat, seq=applied.seq)
    assert event.payload == {"type": "chat.rated", "score": 4, "chat": chat.pk}
    with pytest.raises(Conflict):
        chats.rating_give(chat=chat, score=1, op="r2")


def test_a_sender_kept_membership_sends_as_the_lookup_does(
    open_desk, aino, django_assert_num_queries
):
    """A socket passes the membership it looked up once; the message, its number,
    the duplicate op and the refusals are the same as when it is looked up."""
    chat, _ = start(open_desk)
    member = chats.resident_member(chat)
    # The op, the number, the message, the event (and the test's savepoint and its
    # release): no lookup of the sender.
    with django_assert_num_queries(6):
        first = chats.message_send(chat=chat.pk, text="Hei?", op="m1", member=member)
    again = chats.message_send(chat=chat, text="Hei?", op="m1")  # looked up
    assert first.seq == 2 and again.seq == 2 and again.duplicate
    stored = ChatMessage.objects.filter(chat=chat).order_by("pk").last()
    assert stored.member == member and stored.author == member.role
    chats.chat_close(chat=chat, op="c1")
    with pytest.raises(ValidationError) as refused:
        chats.message_send(chat=chat.pk, text="Vielä", op="m2", member=member)
    assert refused.value.code == "closed"
