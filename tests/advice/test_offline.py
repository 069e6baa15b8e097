"""Offline questions: the advisor's list (its cities and languages, oldest first,
keyset pages, a fixed number of queries) and answering one by e-mail through
the outbox (status closed, `answered_by_email_at`), rules checked, bad input."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from advice.models import Chat, ChatEvent, ChatMessage, ChatStatus
from advice.selectors_offline import offline_question_list
from advice.services.offline import offline_answer
from core.errors import Conflict, Forbidden, Invalid
from core.mail import outbox_send
from tests.advice.ops_factories import advisor_make, chat_make
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ANSWER = "Hakemus tehdään Enter Finland -palvelussa, ja se <b>maksaa</b> 500 €."


def _offline(city, language="fi", days_ago=0.0, text="Miten haen lupaa?"):
    chat = chat_make(
        city=city,
        language=language,
        status=ChatStatus.OFFLINE,
        ended_days_ago=None,
        texts=(text,),
        email="asukas@example.org",
    )
    at = timezone.now() - timedelta(days=days_ago)
    Chat.objects.filter(pk=chat.pk).update(created_at=at, updated_at=at)
    chat.refresh_from_db()
    return chat


@pytest.fixture
def advisor(city):
    return advisor_make(city=city, languages=("fi", "ru"))


def test_the_list_holds_the_advisors_cities_and_languages_oldest_first(
    advisor, city, other_city
):
    newer = _offline(city, days_ago=1)
    older = _offline(city, language="ru", days_ago=3)
    anywhere = _offline(None, days_ago=2)
    _offline(other_city)  # another city
    _offline(city, language="sv")  # another language
    chat_make(city=city)  # not offline
    chats, following = offline_question_list(user=advisor.user)
    assert chats == [older, anywhere, newer] and following == ""


def test_keyset_pages_and_a_bad_cursor(advisor, city, django_assert_max_num_queries):
    made = [_offline(city, days_ago=10 - n) for n in range(5)]
    user = type(advisor.user).objects.get(pk=advisor.user_id)
    with django_assert_max_num_queries(4):
        first, after = offline_question_list(user=user, page_size=2)
    second, after2 = offline_question_list(user=user, page_size=2, cursor=after)
    third, end = offline_question_list(user=user, page_size=2, cursor=after2)
    assert first + second + third == made and end == ""
    assert offline_question_list(user=user, page_size=2, cursor="x!")[0] == made[:2]


def test_answering_sends_the_mail_and_closes(advisor, city):
    chat = _offline(city)
    answered = offline_answer(chat=chat, user=advisor.user, text=ANSWER)
    assert answered.status == ChatStatus.CLOSED
    assert answered.answered_by_email_at is not None
    outbox_send()
    sent = mail.outbox[-1]
    assert sent.to == ["asukas@example.org"]
    assert ANSWER in sent.body and "Miten haen lupaa?" in sent.body
    message = ChatMessage.objects.filter(chat=chat).last()
    assert (message.author, message.text) == ("advisor", ANSWER)
    assert list(
        ChatEvent.objects.filter(chat=chat, seq__gt=1).values_list("type", flat=True)
    ) == ["message.sent", "chat.closed"]
    with pytest.raises(Conflict):
        offline_answer(chat=chat, user=advisor.user, text=ANSWER)


@pytest.mark.parametrize("text", ["", "lyhyt", "x" * 2001])
def test_a_bad_answer_writes_nothing(advisor, city, text):
    chat = _offline(city)
    with pytest.raises(Invalid):
        offline_answer(chat=chat, user=advisor.user, text=text)
    chat.refresh_from_db()
    assert chat.status == ChatStatus.OFFLINE and not chat.answered_by_email_at
    outbox_send()
    assert not mail.outbox


def test_only_advisors_of_the_city_and_language(city, other_city):
    chat = _offline(city, language="ru")
    for user in (
        advisor_make(city=city, languages=("fi",)).user,
        advisor_make(city=other_city, languages=("ru",)).user,
        UserFactory(),
    ):
        with pytest.raises(Forbidden):
            offline_answer(chat=chat, user=user, text=ANSWER)
    assert Chat.objects.get(pk=chat.pk).status == ChatStatus.OFFLINE


def test_an_expired_question_is_not_answered(advisor, city):
    chat = _offline(city, days_ago=91)
    with pytest.raises(Invalid) as refused:
        offline_answer(chat=chat, user=advisor.user, text=ANSWER)
    assert refused.value.code == "expired"


def test_the_pages(client, advisor, city, django_assert_max_num_queries):
    chat = _offline(city, text="Kysymys <script>alert(1)</script>")
    client.force_login(advisor.user)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("advice:offline_list"))
    assert page.status_code == 200 and f"/advice/desk/offline/{chat.pk}/" in (
        page.content.decode()
    )
    url = reverse("advice:offline_answer", args=[chat.pk])
    shown = client.get(url).content.decode()
    assert "&lt;script&gt;" in shown and "<script>alert" not in shown
    assert client.post(url, {"text": "lyhyt"}).status_code == 400
    response = client.post(url, {"text": ANSWER})
    assert response.status_code == 302
    assert Chat.objects.get(pk=chat.pk).status == ChatStatus.CLOSED
    assert client.post(url, {"text": ANSWER}).status_code == 409


def test_the_pages_refuse_others(client, city, other_city):
    chat = _offline(city)
    client.force_login(UserFactory())
    assert client.get(reverse("advice:offline_list")).status_code == 403
    stranger = advisor_make(city=other_city)
    client.force_login(stranger.user)
    url = reverse("advice:offline_answer", args=[chat.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"text": ANSWER}).status_code == 404
    assert client.get("/advice/desk/offline/999999/").status_code == 404
    assert Chat.objects.get(pk=chat.pk).status == ChatStatus.OFFLINE
