"""The notification centre, the following page and the follow buttons."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import District, Topic
from notifications.models import Delivery, DeliveryPreference, Follow, Notification
from notifications.selectors import follow_list, is_following
from notifications.services import follow_create, notify
from tests.factories import UserFactory
from tests.ideas.factories import DreamFactory

STATUS = "ideas.dream_status"
CENTRE = "/accounts/notifications/"
FOLLOWING = "/accounts/following/"


@pytest.fixture
def person(db, client):
    user = UserFactory(display_name="Päivi")
    client.force_login(user)
    return user


def _notes(user, count):
    base = timezone.now()
    return Notification.objects.bulk_create(
        Notification(
            recipient=user,
            kind=STATUS,
            text=f"Unelma <b>{i}</b>",
            url=f"/dreams/{i}/",
            created_at=base - timedelta(minutes=i),
        )
        for i in range(count)
    )


@pytest.mark.parametrize("path", [CENTRE, FOLLOWING])
def test_pages_need_an_account(client, db, path):
    response = client.get(path)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_centre_lists_newest_first_escaped_with_unread_count_in_header(
    client, person, django_assert_max_num_queries
):
    _notes(person, 3)
    _notes(UserFactory(), 2)  # someone else's
    # Session, user, roles, the page, the header's count and links: fixed,
    # whatever the number of notifications.
    with django_assert_max_num_queries(12):
        response = client.get(CENTRE)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Unelma &lt;b&gt;0&lt;/b&gt;" in html
    assert html.index("Unelma &lt;b&gt;0") < html.index("Unelma &lt;b&gt;2")
    assert "Unelma &lt;b&gt;3" not in html
    assert '<span class="badge">3' in html


def test_centre_query_count_does_not_grow(client, person):
    _notes(person, 2)
    few = _count(client)
    _notes(person, 25)
    assert _count(client) == few


def _count(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(CENTRE).status_code == 200
    return len(queries)


def test_centre_pages_by_cursor(client, person):
    _notes(person, 25)
    first = client.get(CENTRE)
    cursor = first.context["page"].next_cursor
    assert cursor and len(first.context["page"].items) == 20
    second = client.get(CENTRE, {"after": cursor})
    assert len(second.context["page"].items) == 5
    assert not second.context["page"].next_cursor
    # A forged cursor or a huge one is the first page, not an error.
    assert client.get(CENTRE, {"after": "x" * 5000}).status_code == 200


def test_mark_one_and_all_read_without_javascript(client, person):
    one, two, _three = _notes(person, 3)
    other = _notes(UserFactory(), 1)[0]
    response = client.post(reverse("notifications:mark_read"), {"id": one.pk})
    assert response.status_code == 302
    one.refresh_from_db()
    two.refresh_from_db()
    assert one.is_read and not two.is_read
    # Someone else's id changes nothing of theirs.
    client.post(reverse("notifications:mark_read"), {"id": other.pk})
    other.refresh_from_db()
    assert not other.is_read
    client.post(reverse("notifications:mark_read"))
    assert not Notification.objects.filter(recipient=person, read_at=None).exists()
    assert client.get(CENTRE, {"unread": "1"}).context["page"].items == []


def test_mark_read_refuses_get_and_junk(client, person):
    note = _notes(person, 1)[0]
    assert client.get(reverse("notifications:mark_read")).status_code == 405
    response = client.post(reverse("notifications:mark_read"), {"id": "1; drop"})
    assert response.status_code == 302
    note.refresh_from_db()
    assert not note.is_read


def test_follow_and_unfollow_a_dream_by_post(client, person):
    dream = DreamFactory()
    page = client.get(dream.get_absolute_url())
    assert f'value="ideas.dream:{dream.pk}"' in page.content.decode()
    url = reverse("notifications:follow")
    response = client.post(
        url, {"target": f"ideas.dream:{dream.pk}", "next": dream.get_absolute_url()}
    )
    assert response.status_code == 302
    assert response["Location"] == dream.get_absolute_url()
    assert is_following(user=person, target=dream)
    client.post(url, {"target": f"ideas.dream:{dream.pk}", "stop": "1"})
    assert not is_following(user=person, target=dream)


@pytest.mark.parametrize(
    "target", ["", "accounts.user:1", "ideas.dream:999999", "ideas.dream:x", "a" * 500]
)
def test_follow_refuses_what_cannot_be_followed(client, person, target):
    response = client.post(reverse("notifications:follow"), {"target": target})
    assert response.status_code == 302
    assert not Follow.objects.exists()


def test_follow_redirects_visitors_to_log_in(client, db):
    dream = DreamFactory()
    response = client.post(
        reverse("notifications:follow"), {"target": f"ideas.dream:{dream.pk}"}
    )
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not Follow.objects.exists()


def test_follow_a_district_and_a_topic(client, person, city):
    kallio = District.objects.create(city=city, slug="kallio", name_fi="Kallio")
    topic = Topic.objects.create(slug="culture", name_fi="Kulttuuri")
    url = reverse("notifications:follow")
    client.post(url, {"target": "district", "district": kallio.pk})
    client.post(url, {"target": "topic", "topic": topic.pk})
    assert {row.target for row in follow_list(user=person)} == {kallio, topic}
    html = client.get(FOLLOWING).content.decode()
    assert "Kallio" in html and "Kulttuuri" in html


def test_following_page_lists_follows_in_fixed_queries(
    client, person, django_assert_max_num_queries
):
    for dream in DreamFactory.create_batch(3):
        follow_create(user=person, target=dream)
    with django_assert_max_num_queries(16):
        response = client.get(FOLLOWING)
    assert len(response.context["rows"]) == 3
    for dream in DreamFactory.create_batch(5):
        follow_create(user=person, target=dream)
    with django_assert_max_num_queries(16):
        response = client.get(FOLLOWING)
    assert len(response.context["rows"]) == 8


def test_delivery_choices_are_saved_and_checked(client, person):
    url = reverse("notifications:deliveries")
    response = client.post(url, {f"delivery-{STATUS}": Delivery.IMMEDIATE})
    assert response.status_code == 302
    assert DeliveryPreference.objects.get(user=person, kind=STATUS).delivery == (
        Delivery.IMMEDIATE
    )
    response = client.post(url, {f"delivery-{STATUS}": "hourly"})
    assert response.status_code == 400
    assert DeliveryPreference.objects.get(user=person, kind=STATUS).delivery == (
        Delivery.IMMEDIATE
    )


def test_new_notification_reaches_the_centre(client, person):
    dream = DreamFactory(title="Yöbussi")
    follow_create(user=person, target=dream)
    notify(kind=STATUS, target=dream, actor=UserFactory())
    html = client.get(CENTRE).content.decode()
    assert "Yöbussi" in html
