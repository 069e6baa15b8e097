"""`/accounts/activity/`: a person's own comments, positions, dreams and cards."""

import uuid
from datetime import timedelta

import pytest
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import activity
from discussions.models import Comment, Discussion, DiscussionSupport, SupportValue
from ideas.models import DreamSupport
from participation.selectors import PAGE_TARGET
from tests.factories import UserFactory
from tests.feedback.factories import FeedbackItemFactory
from tests.ideas.factories import DreamFactory
from workshops.models import Board, Card, Column, Participant, Workshop

URL = reverse("accounts:activity")


def _at(obj, minutes_ago: int, *, field: str = "created_at"):
    type(obj).objects.filter(pk=obj.pk).update(
        **{field: timezone.now() - timedelta(minutes=minutes_ago)}
    )
    return obj


def _everything_for(user, city, *, start: int = 0) -> None:
    """One item of each provider's kind for `user`, 10 minutes apart from `start`."""
    discussion = Discussion.objects.create(
        city=city,
        target_type="test.thing",
        target_key=f"{user.pk}-{start}",
        title=f"Keskustelu <script>{user.pk}</script>",
        url="/somewhere/",
    )
    _at(Comment.objects.create(discussion=discussion, author=user, text="Hyvä"), start)
    service = Discussion.objects.create(
        city=city,
        target_type=PAGE_TARGET,
        target_key=f"s{user.pk}-{start}",
        title="Uusi kirjasto",
        url="/helsinki/uusi-kirjasto/",
    )
    support = DiscussionSupport.objects.create(
        discussion=service, user=user, value=SupportValue.OPPOSE
    )
    _at(support, start + 10, field="updated_at")
    _at(DreamFactory(author=user, city=city, title="Oma unelma"), start + 20)
    dream = DreamFactory(city=city, title="Toisen unelma")
    _at(DreamSupport.objects.create(dream=dream, user=user), start + 30)
    workshop = Workshop.objects.create(
        city=city, title="Jami", starts_at=timezone.now()
    )
    board = Board.objects.create(workshop=workshop, title="Taulu")
    column = Column.objects.create(board=board, title="Ideat")
    author = Participant.objects.create(workshop=workshop, user=user, display_name="A")
    card = Card.objects.create(board=board, column=column, author=author, text="Kortti")
    _at(card, start + 40)
    _at(author, start + 45)  # the workshop joined while signed in
    _feedback_for(user, city, start=start)
    _panel_application_for(user, city, start=start)
    _advice_chat_for(user, city, start=start)


def _advice_chat_for(user, city, *, start: int) -> None:
    from advice.models import Chat, ChatStatus

    chat = Chat.objects.create(
        city=city,
        language="fi",
        status=ChatStatus.OFFLINE,
        email="asukas@example.org",
        resident_key_hash=f"activity-{user.pk}-{start}",
        resident_user=user,
    )
    _at(chat, start + 80)


def _panel_application_for(user, city, *, start: int) -> None:
    from datetime import date

    from workshops.panels.models import Panel, PanelApplication

    panel = Panel.objects.create(
        city=city,
        theme="Kirjastoraati",
        size=4,
        term_starts_on=date(2027, 1, 1),
        term_ends_on=date(2027, 12, 31),
        applications_close_at=timezone.now() + timedelta(days=7),
    )
    _at(PanelApplication.objects.create(panel=panel, user=user), start + 70)


def _feedback_for(user, city, *, start: int) -> None:
    # Feedback sent while signed in (intake) and a "me too" (knowledge base).
    from feedback.models import FeedbackSupport
    from tests.feedback.factories import FeedbackItemFactory, FeedbackServiceFactory

    service = FeedbackServiceFactory(city=city)
    _at(
        FeedbackItemFactory(service=service, author=user),
        start + 50,
        field="requested_at",
    )
    other = FeedbackItemFactory(service=service)
    _at(FeedbackSupport.objects.create(item=other, user=user), start + 60)


@pytest.fixture
def resident(city):
    user = UserFactory()
    _everything_for(user, city)
    return user


def test_anonymous_is_sent_to_log_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_person_sees_their_own_items_newest_first(client, city, resident):
    stranger = UserFactory()
    _everything_for(stranger, city, start=5)
    client.force_login(resident)

    response = client.get(URL)

    assert response.status_code == 200
    items = response.context["page"].items
    # The two kinds of feedback, the workshop joined, the panel and the advice
    # chat come last.
    assert len(items) == 10
    assert [item.kind for item in items][:5] == [
        "Kirjoitti kommentin",
        "Vastusti suunniteltua palvelua",
        "Kertoi palveluunelman",
        "Tuki palveluunelmaa",
        "Kirjoitti työpajakortin",
    ]
    assert [item.title for item in items][:4] == [
        f"Keskustelu <script>{resident.pk}</script>",
        "Uusi kirjasto",
        "Oma unelma",
        "Toisen unelma",
    ]
    body = response.content.decode()
    assert f"Keskustelu &lt;script&gt;{resident.pk}" in body
    assert f"Keskustelu &lt;script&gt;{stranger.pk}" not in body
    assert 'href="/helsinki/uusi-kirjasto/"' in body


def test_empty_activity_says_so(client, db):
    client.force_login(UserFactory())
    response = client.get(URL)
    assert response.context["page"].items == []
    assert "Ei vielä mitään" in response.content.decode()


def test_pages_are_merged_across_apps(city, resident):
    _everything_for(resident, city, start=1)  # twenty items in all
    pages = [activity.activity_page(user=resident, page=n, size=5) for n in range(1, 5)]
    assert all(page.has_next for page in pages[:3]) and not pages[3].has_next
    dates = [item.date for page in pages for item in page.items]
    assert len(dates) == 20
    assert dates == sorted(dates, reverse=True)


def test_one_query_per_provider_whatever_the_amount(
    city, resident, django_assert_num_queries
):
    with django_assert_num_queries(len(activity.providers())):
        few = activity.activity_page(user=resident)
    for start in range(1, 6):
        _everything_for(resident, city, start=start)
    with django_assert_num_queries(len(activity.providers())):
        many = activity.activity_page(user=resident, page=2, size=10)
    assert len(few.items) == 10
    assert len(many.items) == 10


def test_the_page_costs_the_same_with_more_items(client, city, resident):
    from django.db import connection

    client.force_login(resident)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for start in range(1, 6):
        _everything_for(resident, city, start=start)
    with CaptureQueriesContext(connection) as many:
        response = client.get(URL + "?page=2")
    assert len(response.context["page"].items) == 20
    assert len(many) == len(few)


def test_an_app_registering_nothing_changes_nothing(city, resident):
    before = activity.activity_page(user=resident).items
    activity.register("test.nothing", lambda user, limit: [])
    try:
        assert activity.activity_page(user=resident).items == before
    finally:
        activity.unregister("test.nothing")


def test_each_provider_is_one_query_bounded_and_newest_first(
    city, resident, django_assert_num_queries
):
    for start in range(1, 4):
        _everything_for(resident, city, start=start)
        # Feedback given while signed in (the feedback app's provider).
        feedback = FeedbackItemFactory(author=resident, service__city=city)
        _at(feedback, start, field="requested_at")
    assert len(activity.providers()) >= 5
    for name, provider in activity.providers().items():
        with django_assert_num_queries(1):
            items = provider(resident, 3)
        assert len(items) == 3, name
        dates = [item.date for item in items]
        assert dates == sorted(dates, reverse=True), name


def test_state_and_links_of_feedback_panels_and_workshops(client, city, resident):
    client.force_login(resident)
    html = client.get(URL).content.decode()
    assert "Received" in html or "Vastaanotettu" in html  # feedback's status
    assert "/panels/" in html
    assert "/results/" in html  # the workshop joined


def test_feedback_sent_without_an_account_is_remembered_in_the_browser(client, city):
    from core.actors import Actor
    from feedback.registrations import follow_up_remember
    from feedback.services import intake
    from tests.feedback.factories import FeedbackServiceFactory

    # Without anything remembered, a visitor is asked to log in.
    assert client.get(URL).status_code == 302
    service = FeedbackServiceFactory(city=city)
    submitted = intake.feedback_submit(
        actor=Actor(anonymous_key=uuid.uuid4()),
        service=service,
        kind="idea",
        title="Penkki <script>",
        description="Puistoon tarvitaan penkki.",
        language="fi",
    )
    session = client.session
    follow_up_remember(session, submitted.token)
    session.save()
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Penkki &lt;script&gt;" in html
    assert f"/feedback/track/{submitted.token}/" in html
    # Another browser sees nothing of it.
    client.cookies.clear()
    assert client.get(URL).status_code == 302
