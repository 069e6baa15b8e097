"""Publishing a knowledge-base answer: the advisor's neutral rewrite becomes a
public, answered question (through feedback's services); the resident's words
never reach it, personal data is refused, the chat is untouched."""

import pytest
from django.core import mail

from accounts.models import Role
from accounts.services import role_grant
from advice.models import ChatMessage
from advice.services.publishing import answer_publish
from core.errors import Forbidden, Invalid
from core.mail import outbox_send
from feedback.models import Channel, FeedbackItem, Kind, Publication, Status
from tests.advice.ops_factories import advisor_make, chat_make, supervisor_make
from tests.factories import UserFactory
from tests.feedback.factories import FeedbackServiceFactory

pytestmark = pytest.mark.django_db

RESIDENT = (
    "Hei, olen Matti ja asun Kalliossa. Miten haen oleskelulupaa, kun "
    "työsopimukseni päättyy ensi kuussa?",
)
TITLE = "Oleskeluluvan jatkaminen työsuhteen päättyessä"
QUESTION = "Miten oleskelulupaa haetaan, kun työsuhde päättyy?"
ANSWER = "Uutta lupaa haetaan Enter Finland -palvelussa ennen nykyisen päättymistä."


@pytest.fixture
def advisor(city):
    return advisor_make(city=city, name="Aino")


@pytest.fixture
def chat(city, advisor):
    return chat_make(city=city, advisor=advisor, texts=RESIDENT)


@pytest.fixture
def service(city):
    return FeedbackServiceFactory(city=city, service_code="hel-immigration")


def _publish(chat, user, service, **change):
    data = {"language": "fi", "title": TITLE, "question": QUESTION, "answer": ANSWER}
    return answer_publish(chat=chat, user=user, service=service, **{**data, **change})


def test_the_rewrite_becomes_a_public_answered_question(chat, advisor, service):
    before = list(ChatMessage.objects.filter(chat=chat).values_list("text", flat=True))
    item = _publish(chat, advisor.user, service)
    item = FeedbackItem.objects.get(pk=item.pk)
    assert item.is_public and item in FeedbackItem.objects.public()
    assert (item.kind, item.status, item.channel) == (
        Kind.QUESTION,
        Status.DONE,
        Channel.ADVICE,
    )
    assert (item.public_title, item.public_description, item.answer) == (
        TITLE,
        QUESTION,
        ANSWER,
    )
    assert item.answered_by == advisor.user and item.closed_at is not None
    # Nobody behind it: no sender, no address, no e-mail.
    assert item.author_id is None and item.anonymous_key is None and not item.email
    outbox_send()
    assert not mail.outbox
    # The resident's words appear nowhere in the item; the chat is as it was.
    stored = " ".join(
        str(v) for v in FeedbackItem.objects.filter(pk=item.pk).values().get().values()
    )
    assert "Matti" not in stored and "Kalliossa" not in stored
    after = list(ChatMessage.objects.filter(chat=chat).values_list("text", flat=True))
    assert after == before


def test_a_service_that_checks_first_still_gets_a_public_answer(chat, advisor, city):
    checked = FeedbackServiceFactory(city=city, publication=Publication.AFTER_CHECK)
    item = _publish(chat, advisor.user, checked)
    assert FeedbackItem.objects.get(pk=item.pk).is_public


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"question": RESIDENT[0]}, "question", "copied"),
        ({"answer": "Kuten kysyit: " + RESIDENT[0][40:].upper()}, "answer", "copied"),
        (
            {"question": "Soita numeroon 040 123 4567, kysyy asukas."},
            "question",
            "personal_data",
        ),
        (
            {"answer": "Henkilötunnus 131052-308T on väärin, korjaa se."},
            "answer",
            "personal_data",
        ),
        ({"title": ""}, "title", "required"),
        ({"answer": "x" * 5001}, "answer", "too_long"),
        ({"language": "ru"}, "language", "invalid"),
    ],
)
def test_refused_without_a_real_rewrite(chat, advisor, service, change, field, code):
    with pytest.raises(Invalid) as refused:
        _publish(chat, advisor.user, service, **change)
    assert refused.value.error_dict[field][0].code == code
    assert not FeedbackItem.objects.exists()


def test_only_the_chats_advisor_or_a_supervisor_publishes(
    chat, service, city, other_city
):
    stranger = advisor_make(city=city, name="Muu")
    with pytest.raises(Forbidden):
        _publish(chat, stranger.user, service)
    with pytest.raises(Forbidden):
        _publish(chat, UserFactory(), service)
    supervisor = supervisor_make(city=city)
    assert _publish(chat, supervisor, service).is_public


def test_only_into_a_city_the_advisor_works_for(chat, advisor, other_city):
    theirs = FeedbackServiceFactory(city=other_city)
    with pytest.raises(Forbidden):
        _publish(chat, advisor.user, theirs)
    assert not FeedbackItem.objects.exists()
    role_grant(user=advisor.user, city=other_city, role=Role.ADVISOR)
    advisor.user.__dict__.pop("_city_roles_cache", None)
    assert _publish(chat, advisor.user, theirs).city == other_city


def test_the_citys_advisors_handle_the_desks_items_only(chat, advisor, service):
    import rules

    from tests.feedback.factories import FeedbackItemFactory

    item = _publish(chat, advisor.user, service)
    other = FeedbackItemFactory(service=service)
    assert rules.has_perm("feedback.handle_item", advisor.user, item)
    assert not rules.has_perm("feedback.handle_item", advisor.user, other)
    assert not rules.has_perm("feedback.handle_item", advisor.user, service.city)


def test_the_page_publishes_and_shows_errors(client, chat, advisor, service, city):
    from django.urls import reverse

    url = reverse("advice:publish", args=[chat.pk])
    assert url == f"/advice/desk/chats/{chat.pk}/publish/"
    client.force_login(advisor.user)
    page = client.get(url)
    assert page.status_code == 200 and "Kalliossa" in page.content.decode()
    data = {
        "service": service.pk,
        "language": "fi",
        "title": TITLE,
        "question": RESIDENT[0],
        "answer": ANSWER,
    }
    refused = client.post(url, data)
    assert refused.status_code == 400 and "question" in refused.context["form"].errors
    assert not FeedbackItem.objects.exists()
    done = client.post(url, {**data, "question": QUESTION})
    item = FeedbackItem.objects.get()
    assert done.status_code == 302 and done["Location"] == item.get_absolute_url()
    client.force_login(advisor_make(city=city, name="Muu").user)
    assert client.get(url).status_code == 404
