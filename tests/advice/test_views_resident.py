"""Starting a chat at /advice/ and the resident's chat page, without JavaScript."""

import re

import pytest
from django.test import Client

from advice.models import (
    AdviceCitySettings,
    Chat,
    ChatMessage,
    ChatStatus,
)
from advice.services import chats as chat_services
from tests.advice.factories import AdviceTopicFactory, advisor, open_all_week

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(city):
    open_all_week(city)
    advisor(city, ("fi", "en", "ru"), name="Aino")
    return city


def _start(client, where, **fields):
    data = {
        "advice-city": where.slug,
        "advice-language": "fi",
        "advice-text": "Miten haen oleskelulupaa?",
        "advice-origin_path": "/dreams/new/",
    }
    data.update({f"advice-{k}": v for k, v in fields.items()})
    return client.post("/advice/", data)


def _started(client, where, **fields) -> Chat:
    response = _start(client, where, **fields)
    assert response.status_code == 302, response.content.decode()
    chat = Chat.objects.get()
    assert response.url == f"/advice/chats/{chat.pk}/"
    return chat


def test_the_form_offers_cities_languages_in_their_own_script_and_topics(
    client, desk, other_city, django_assert_max_num_queries
):
    AdviceTopicFactory(name_fi="Oleskelulupa")
    AdviceCitySettings.objects.create(city=other_city, transcript_retention_days=30)
    with django_assert_max_num_queries(16):
        response = client.get("/advice/")
    page = response.content.decode()
    assert response.status_code == 200
    assert '<option value="any"' in page and 'value="helsinki"' in page
    assert '<option value="ru" lang="ru" dir="ltr">русский</option>' in page
    assert '<option value="fi" selected lang="fi" dir="ltr">suomi</option>' in page
    assert "Oleskelulupa" in page
    # The privacy notice: what is kept, for how long, the city's own period.
    assert "90 päivää" in page or "90 days" in page
    assert "Turku 30" in page
    # The desk's state before submitting: Helsinki is open all day.
    assert re.search(r"Helsinki</strong>:\s*<span class=\"advice-open\">", page)


def test_the_start_page_asks_the_same_queries_however_many_desks_are_open(
    client, desk, django_assert_num_queries, django_assert_max_num_queries
):
    """The desks' "open now" is worked out for every city at once: a third and
    fourth open desk cost no more queries than one, and each shows as open."""
    from core.models import City

    client.get("/advice/")  # warm the per-process caches (translations, site)
    with django_assert_max_num_queries(16) as one:
        client.get("/advice/")
    for slug in ("espoo", "vantaa", "oulu"):
        open_all_week(City.objects.create(slug=slug, name_fi=slug.title()))
    with django_assert_num_queries(len(one.captured_queries)):
        page = client.get("/advice/").content.decode()
    assert page.count('<span class="advice-open">') == 4


def test_a_post_starts_the_chat_and_the_session_keeps_its_key(client, desk):
    chat = _started(client, desk)
    assert chat.status == ChatStatus.QUEUED
    assert chat.origin_path == "/dreams/new/"
    assert client.session[f"advice.chat.{chat.pk}"]
    page = client.get(f"/advice/chats/{chat.pk}/").content.decode()
    assert "Miten haen oleskelulupaa?" in page
    assert 'data-part="position">1<' in page


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": "x" * 2001}, "text"),
        ({"city": "atlantis"}, "city"),
        ({"language": "xx"}, "language"),
        ({"topic": "999"}, "topic"),
        ({"email": "not an address"}, "email"),
    ],
)
def test_bad_input_is_a_field_error_and_nothing_is_written(client, desk, fields, field):
    response = _start(client, desk, **fields)
    assert response.status_code == 400
    page = response.content.decode()
    assert f'id="id_advice-{field}_error"' in page
    assert Chat.objects.count() == 0


def test_a_closed_desk_needs_an_email_address_and_says_so_before(client, city):
    page = client.get("/advice/").content.decode()
    assert "the e-mail address is required" in page or "sähköpostiosoite" in page
    response = _start(client, city)
    assert response.status_code == 400
    assert 'id="id_advice-email_error"' in response.content.decode()
    assert Chat.objects.count() == 0
    chat = _started(client, city, email="asukas@example.fi")
    assert chat.status == ChatStatus.OFFLINE
    page = client.get(f"/advice/chats/{chat.pk}/").content.decode()
    assert "by e-mail" in page or "sähköpostitse" in page


def test_another_sessions_chat_and_an_unknown_one_are_not_found(client, desk, db):
    chat = _started(client, desk)
    stranger = Client()
    assert stranger.get(f"/advice/chats/{chat.pk}/").status_code == 404
    assert (
        stranger.post(f"/advice/chats/{chat.pk}/send/", {"advice-message-text": "x"})
    ).status_code == 404
    assert stranger.post(f"/advice/chats/{chat.pk}/close/").status_code == 404
    assert client.get("/advice/chats/999999/").status_code == 404
    assert ChatMessage.objects.count() == 1


def test_messages_are_sent_by_form_post_and_shown_escaped(client, desk):
    chat = _started(client, desk)
    response = client.post(
        f"/advice/chats/{chat.pk}/send/",
        {"advice-message-text": "<b>hei</b> katso https://migri.fi"},
    )
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "&lt;b&gt;hei&lt;/b&gt;" in page
    assert '<a href="https://migri.fi" rel="noopener noreferrer nofollow"' in page
    assert 'dir="auto"' in page


@pytest.mark.parametrize("text", ["", "   ", "y" * 2001])
def test_a_bad_message_is_a_form_error(client, desk, text):
    chat = _started(client, desk)
    response = client.post(
        f"/advice/chats/{chat.pk}/send/", {"advice-message-text": text}
    )
    assert response.status_code == 400
    assert 'id="id_advice-message-text_error"' in response.content.decode()
    assert ChatMessage.objects.count() == 1


def test_close_then_rate_once(client, desk):
    chat = _started(client, desk)
    assert client.post(f"/advice/chats/{chat.pk}/close/").status_code == 302
    chat.refresh_from_db()
    assert chat.status == ChatStatus.CLOSED
    page = client.get(f"/advice/chats/{chat.pk}/").content.decode()
    assert 'data-part="composer"' not in page
    assert 'name="advice-rating-score"' in page
    # After the end, a message is refused with the service's words.
    response = client.post(
        f"/advice/chats/{chat.pk}/send/", {"advice-message-text": "vielä"}
    )
    assert response.status_code == 400
    bad = client.post(f"/advice/chats/{chat.pk}/rate/", {"advice-rating-score": "9"})
    assert bad.status_code == 400
    assert 'id="id_advice-rating-score_error"' in bad.content.decode()
    good = client.post(
        f"/advice/chats/{chat.pk}/rate/",
        {"advice-rating-score": "5", "advice-rating-comment": "Kiitos!"},
    )
    assert good.status_code == 302
    chat.refresh_from_db()
    assert (chat.rating, chat.rating_comment) == (5, "Kiitos!")
    again = client.post(f"/advice/chats/{chat.pk}/rate/", {"advice-rating-score": "1"})
    assert again.status_code == 409
    chat.refresh_from_db()
    assert chat.rating == 5


def test_the_panel_gets_a_fragment_and_keeps_to_the_panel(client, desk):
    fragment = client.get("/advice/?panel=1").content.decode()
    assert "<html" not in fragment and "data-advice-fragment" in fragment
    response = _start(client, desk, **{})
    chat = Chat.objects.get()
    response = client.post(
        f"/advice/chats/{chat.pk}/send/",
        {"advice-message-text": "hei", "panel": "1"},
    )
    assert response.url == f"/advice/chats/{chat.pk}/?panel=1"
    fragment = client.get(response.url).content.decode()
    assert "<html" not in fragment and "data-advice-chat" in fragment


def test_the_chat_page_reads_a_fixed_number_of_queries(
    client, desk, django_assert_max_num_queries
):
    chat = _started(client, desk)
    url = f"/advice/chats/{chat.pk}/"
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for n in range(5):
        chat_services.message_send(chat=chat, text=f"viesti {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    assert "viesti 4" in page


def test_the_private_chat_page_is_not_cached_or_indexed(client, desk):
    chat = _started(client, desk)
    response = client.get(f"/advice/chats/{chat.pk}/")
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"


def test_every_page_has_the_chat_button_as_a_link(client, desk):
    page = client.get("/dreams/").content.decode()
    assert 'class="button advice-button" href="/advice/" data-advice-button' in page
    assert 'src="/static/js/advice/button.js"' in page


def test_the_transcript_goes_only_to_the_address_given_at_the_start(client, desk):
    from core.models import OutgoingMail

    chat = _started(client, desk, email="asukas@example.fi")
    page = client.get(f"/en/advice/chats/{chat.pk}/").content.decode()
    assert "Send me the transcript" not in page  # not before the end
    client.post(f"/advice/chats/{chat.pk}/close/")
    page = client.get(f"/en/advice/chats/{chat.pk}/").content.decode()
    assert "Send me the transcript" in page and "asukas@example.fi" in page
    response = client.post(
        f"/advice/chats/{chat.pk}/transcript/", {"email": "toinen@example.fi"}
    )
    assert response.status_code == 302
    assert list(OutgoingMail.objects.values_list("to_email", flat=True)) == [
        "asukas@example.fi"
    ]


def test_no_transcript_without_an_address_and_a_refusal_is_a_message(client, desk):
    from core.models import OutgoingMail

    chat = _started(client, desk)
    client.post(f"/advice/chats/{chat.pk}/close/")
    assert (
        "Send me the transcript"
        not in client.get(f"/en/advice/chats/{chat.pk}/").content.decode()
    )
    response = client.post(f"/en/advice/chats/{chat.pk}/transcript/", follow=True)
    assert response.status_code == 200
    assert "No e-mail address was given" in response.content.decode()
    assert not OutgoingMail.objects.exists()
    stranger = Client()
    assert stranger.post(f"/advice/chats/{chat.pk}/transcript/").status_code == 404
