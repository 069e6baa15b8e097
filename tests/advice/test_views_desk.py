"""The advisors' desk and the supervisors' view, by form posts (no JavaScript)."""

import pytest
from django.test import Client

from accounts.models import Role
from accounts.services import role_grant
from advice.models import CannedAnswer, Chat, ChatMessage, ChatNote, ChatStatus
from advice.services import chats as chat_services
from feedback.models import Kind
from tests.advice.factories import advisor, open_all_week
from tests.factories import UserFactory
from tests.feedback.factories import FeedbackItemFactory, FeedbackServiceFactory

pytestmark = pytest.mark.django_db

DESK = "/advice/desk/"


@pytest.fixture
def aino(city):
    open_all_week(city)
    return advisor(city, ("fi", "en"), name="Aino")


@pytest.fixture
def desk_client(aino):
    client = Client()
    client.force_login(aino.user)
    return client


def _chat(city, language="fi", text="Miten haen oleskelulupaa?", **kwargs):
    kwargs.setdefault("origin_path", "/dreams/new/")
    chat, _key = chat_services.chat_start(
        city=city, language=language, topic=None, text=text, **kwargs
    )
    return chat


def _accepted(desk_client, chat) -> Chat:
    response = desk_client.post(f"{DESK}accept/", {"chat": chat.pk})
    assert response.status_code == 302
    assert response.url == f"{DESK}chats/{chat.pk}/"
    chat.refresh_from_db()
    return chat


def test_only_advisors_and_supervisors_get_the_desk(client, city, aino):
    response = client.get(DESK)
    assert response.status_code == 302 and "/accounts/login/" in response.url
    client.force_login(UserFactory())
    assert client.get(DESK).status_code == 403
    assert client.get(f"{DESK}supervisor/").status_code == 403
    client.force_login(aino.user)
    assert client.get(DESK).status_code == 200
    assert client.get(f"{DESK}supervisor/").status_code == 403
    boss = UserFactory()
    role_grant(user=boss, city=city, role=Role.ADVICE_SUPERVISOR)
    client.force_login(boss)
    assert client.get(f"{DESK}supervisor/").status_code == 200
    assert client.post(f"{DESK}accept/", {"chat": 1}).status_code == 403


def test_the_queue_shows_the_advisors_languages_first_in_first_out(
    desk_client, city, aino, django_assert_max_num_queries
):
    first = _chat(city, text="eka")
    _chat(city, language="ru", email="a@example.fi", text="не моё")
    second = _chat(city, language="en", text="toka")
    with django_assert_max_num_queries(40) as few:
        page = desk_client.get(DESK).content.decode()
    assert page.index(f'value="{first.pk}"') < page.index(f'value="{second.pk}"')
    assert page.count('name="chat"') == 2
    assert "/dreams/new/" in page
    assert "Accept the next" in page or "Ota seuraava" in page
    for _ in range(4):
        _chat(city)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = desk_client.get(DESK).content.decode()
    assert page.count('name="chat"') == 6


def test_status_is_set_by_a_form_and_a_bad_value_changes_nothing(desk_client, aino):
    desk_client.post(f"{DESK}status/", {"status": "away"})
    aino.refresh_from_db()
    assert aino.status == "away"
    response = desk_client.post(f"{DESK}status/", {"status": "asleep"}, follow=True)
    aino.refresh_from_db()
    assert aino.status == "away"
    assert response.status_code == 200


def test_accept_answer_and_the_resident_sees_it(desk_client, city, aino):
    chat = _accepted(desk_client, _chat(city))
    assert chat.status == ChatStatus.ACTIVE and chat.advisor == aino
    page = desk_client.get(f"{DESK}chats/{chat.pk}/").content.decode()
    assert "Miten haen oleskelulupaa?" in page and "/dreams/new/" in page
    response = desk_client.post(
        f"{DESK}chats/{chat.pk}/send/", {"desk-message-text": "Hei! <i>Autan</i>"}
    )
    assert response.status_code == 302
    message = ChatMessage.objects.filter(chat=chat).last()
    assert (message.author, message.name, message.text) == (
        "advisor",
        "Aino",
        "Hei! <i>Autan</i>",
    )
    page = desk_client.get(f"{DESK}chats/{chat.pk}/").content.decode()
    assert "Hei! &lt;i&gt;Autan&lt;/i&gt;" in page


@pytest.mark.parametrize("chat_value", ["", "abc", "99999999", "-1"])
def test_accepting_nothing_or_junk_is_a_message_not_a_500(desk_client, chat_value):
    response = desk_client.post(f"{DESK}accept/", {"chat": chat_value}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == DESK


def test_a_taken_chat_and_another_language_are_refused(desk_client, city, aino):
    chat = _chat(city)
    other = advisor(city, ("fi",), name="Olli")
    from advice.services import desk as desk_services

    desk_services.chat_accept(advisor=other, chat_id=chat.pk)
    response = desk_client.post(f"{DESK}accept/", {"chat": chat.pk}, follow=True)
    assert response.redirect_chain[-1][0] == DESK
    russian = _chat(city, language="ru", email="a@example.fi")
    desk_client.post(f"{DESK}accept/", {"chat": russian.pk})
    chat.refresh_from_db()
    russian.refresh_from_db()
    assert chat.advisor == other and russian.advisor is None
    # Another advisor's chat is not found at this desk.
    assert desk_client.get(f"{DESK}chats/{chat.pk}/").status_code == 404
    assert (
        desk_client.post(f"{DESK}chats/{chat.pk}/send/", {"desk-message-text": "x"})
    ).status_code == 404


def test_canned_answers_of_the_chats_language_insert_or_send(desk_client, city, aino):
    chat = _accepted(desk_client, _chat(city))
    mine = CannedAnswer.objects.create(
        language="fi", title="Migri", text="Katso https://migri.fi"
    )
    swedish = CannedAnswer.objects.create(
        language="sv", title="Svar på svenska", text="Hej"
    )
    page = desk_client.get(f"{DESK}chats/{chat.pk}/").content.decode()
    assert "Migri" in page and "Svar på svenska" not in page
    desk_client.post(f"{DESK}chats/{chat.pk}/send/", {"canned": mine.pk})
    assert ChatMessage.objects.filter(chat=chat).last().text == "Katso https://migri.fi"
    response = desk_client.post(f"{DESK}chats/{chat.pk}/send/", {"canned": swedish.pk})
    assert response.status_code == 404


@pytest.mark.parametrize("text", ["", "z" * 2001])
def test_a_bad_message_or_note_is_a_form_error(desk_client, city, text):
    chat = _accepted(desk_client, _chat(city))
    sent = desk_client.post(f"{DESK}chats/{chat.pk}/send/", {"desk-message-text": text})
    assert sent.status_code == 400
    noted = desk_client.post(f"{DESK}chats/{chat.pk}/note/", {"note-text": text})
    assert noted.status_code == 400
    assert ChatMessage.objects.filter(chat=chat).count() == 1
    assert ChatNote.objects.count() == 0


def test_notes_stay_internal(client, desk_client, city):
    response = client.post(
        "/advice/",
        {
            "advice-city": city.slug,
            "advice-language": "fi",
            "advice-text": "Kysymys",
        },
    )
    chat = _accepted(desk_client, Chat.objects.get(pk=response.url.split("/")[-2]))
    desk_client.post(f"{DESK}chats/{chat.pk}/note/", {"note-text": "Salainen huomio"})
    assert ChatNote.objects.get().text == "Salainen huomio"
    assert (
        "Salainen huomio" in desk_client.get(f"{DESK}chats/{chat.pk}/").content.decode()
    )
    assert "Salainen huomio" not in client.get(response.url).content.decode()


def test_transfer_back_to_the_queue_with_a_note(desk_client, city, aino):
    chat = _accepted(desk_client, _chat(city))
    response = desk_client.post(
        f"{DESK}chats/{chat.pk}/transfer/",
        {"transfer-to": "queue", "transfer-language": "en", "transfer-note": "EN"},
    )
    assert response.status_code == 302
    chat.refresh_from_db()
    assert (chat.status, chat.language, chat.advisor) == (ChatStatus.QUEUED, "en", None)
    assert ChatNote.objects.get(chat=chat).text == "EN"


def test_a_bad_transfer_is_a_form_error(desk_client, city):
    chat = _accepted(desk_client, _chat(city))
    response = desk_client.post(
        f"{DESK}chats/{chat.pk}/transfer/", {"transfer-to": "999999"}
    )
    assert response.status_code == 400
    chat.refresh_from_db()
    assert chat.status == ChatStatus.ACTIVE


def test_close_and_block(desk_client, city):
    chat = _accepted(desk_client, _chat(city))
    desk_client.post(f"{DESK}chats/{chat.pk}/close/")
    chat.refresh_from_db()
    assert chat.status == ChatStatus.CLOSED and not chat.blocked
    abusive = _accepted(desk_client, _chat(city))
    desk_client.post(f"{DESK}chats/{abusive.pk}/block/")
    abusive.refresh_from_db()
    assert abusive.status == ChatStatus.ACTIVE  # not without the confirmation
    desk_client.post(f"{DESK}chats/{abusive.pk}/block/", {"confirm": "yes"})
    abusive.refresh_from_db()
    assert abusive.status == ChatStatus.CLOSED and abusive.blocked


def test_the_desk_chat_reads_a_fixed_number_of_queries(
    desk_client, city, django_assert_max_num_queries
):
    chat = _accepted(desk_client, _chat(city))
    url = f"{DESK}chats/{chat.pk}/"
    with django_assert_max_num_queries(60) as few:
        desk_client.get(url)
    for n in range(5):
        chat_services.message_send(chat=chat, text=f"viesti {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "viesti 4" in desk_client.get(url).content.decode()


def test_knowledge_base_search_from_the_desk(desk_client, city):
    chat = _accepted(desk_client, _chat(city))
    service = FeedbackServiceFactory(city=city)
    item = FeedbackItemFactory(
        service=service,
        kind=Kind.QUESTION,
        public_title="Kirjasto auki",
        public_description="Milloin kirjasto aukeaa?",
    )
    found = desk_client.get(f"{DESK}kb/", {"q": "kirjasto"}).json()["results"]
    assert found == [
        {"title": "Kirjasto auki", "url": f"http://testserver/feedback/{item.pk}/"}
    ]
    assert desk_client.get(f"{DESK}kb/", {"q": ""}).status_code == 400
    page = desk_client.get(f"{DESK}chats/{chat.pk}/", {"q": "kirjasto"})
    assert f'href="/feedback/{item.pk}/"' in page.content.decode()


def test_the_supervisor_sees_waiting_per_city_and_language(client, city, other_city):
    open_all_week(city)
    open_all_week(other_city)
    advisor(city, ("fi", "ru"))
    advisor(other_city, ("fi",))
    _chat(city)
    _chat(city)
    _chat(city, language="ru")
    _chat(other_city)
    boss = UserFactory()
    role_grant(user=boss, city=city, role=Role.ADVICE_SUPERVISOR)
    client.force_login(boss)
    page = client.get(f"{DESK}supervisor/").content.decode()
    assert "<td>Helsinki</td><td>suomi</td><td>2</td>" in page
    assert "<td>Helsinki</td><td>русский</td><td>1</td>" in page
    assert "Turku" not in page.split("<tbody")[1].split("</tbody>")[0]
