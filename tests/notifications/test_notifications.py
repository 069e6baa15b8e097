"""Follows and notifications: services, selectors and the kinds registry."""

from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from core.errors import Forbidden, Invalid
from notifications import registry
from notifications.models import Follow, Notification
from notifications.selectors import (
    follower_list,
    is_following,
    notification_page,
    unread_count,
)
from notifications.services import (
    follow_create,
    follow_delete,
    notifications_mark_read,
    notify,
)
from tests.factories import UserFactory
from tests.ideas.factories import DreamFactory

STATUS = "ideas.dream_status"


@pytest.fixture
def dream(db):
    return DreamFactory(title="Iltakirjasto <script>x</script>")


def test_today_apps_register_their_kinds_and_followables(dream):
    assert {
        "discussions.reply",
        "participation.answer_published",
        "ideas.dream_status",
    } <= set(registry.kinds())
    assert registry.is_followable(dream)
    assert not registry.is_followable(UserFactory())


def test_follow_is_idempotent(dream):
    user = UserFactory()
    first = follow_create(user=user, target=dream)
    second = follow_create(user=user, target=dream)
    assert first.pk == second.pk
    assert Follow.objects.filter(user=user).count() == 1
    assert is_following(user=user, target=dream)


def test_unfollow_stops_following_and_is_idempotent(dream):
    user = UserFactory()
    follow_create(user=user, target=dream)
    assert follow_delete(user=user, target=dream) is True
    assert follow_delete(user=user, target=dream) is False
    assert not is_following(user=user, target=dream)
    assert list(follower_list(target=dream)) == []


def test_only_registered_models_can_be_followed(db):
    user = UserFactory()
    with pytest.raises(Invalid) as error:
        follow_create(user=user, target=UserFactory())
    assert error.value.code == "not_followable"


def test_anonymous_cannot_follow(dream):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(Forbidden):
        follow_create(user=AnonymousUser(), target=dream)


def test_notify_reaches_followers_but_not_the_actor(dream):
    actor, follower, other = UserFactory(), UserFactory(), UserFactory()
    UserFactory()  # follows nothing, hears nothing
    for user in (actor, follower, other):
        follow_create(user=user, target=dream)

    made = notify(kind=STATUS, target=dream, actor=actor, params={"to": "realised"})

    assert made == 2
    notes = Notification.objects.order_by("recipient_id")
    assert [n.recipient_id for n in notes] == sorted([follower.pk, other.pk])
    note = notes[0]
    assert note.kind == STATUS
    assert note.text == dream.title
    assert note.url == f"/dreams/{dream.pk}/"
    assert note.params == {"to": "realised"}
    assert note.target == dream
    assert note.read_at is None


def test_notify_given_recipients_skips_inactive_and_actor(dream):
    actor, reader = UserFactory(), UserFactory()
    gone = UserFactory(is_active=False)
    assert (
        notify(kind=STATUS, target=dream, actor=actor, recipients=[actor, reader, gone])
        == 1
    )
    assert list(Notification.objects.values_list("recipient_id", flat=True)) == [
        reader.pk
    ]


def test_notify_with_no_followers_makes_nothing(dream):
    assert notify(kind=STATUS, target=dream) == 0
    assert not Notification.objects.exists()


def test_unknown_kind_is_a_clear_error(dream):
    follow_create(user=UserFactory(), target=dream)
    with pytest.raises(registry.UnknownKind, match="ideas.no_such_kind"):
        notify(kind="ideas.no_such_kind", target=dream)
    assert not Notification.objects.exists()


@pytest.mark.parametrize(
    "code", ["", "nodot", "Ideas.Status", "a.b c", "x." + "y" * 70]
)
def test_badly_named_kind_is_refused_at_registration(code):
    with pytest.raises(ImproperlyConfigured):
        registry.register_kind(code, label="x", describe=lambda t: ("", ""))
    assert code not in registry.kinds()


def _notes_for(user, dream, count):
    base = timezone.now()
    # Two share a timestamp: the id breaks the tie, so no page repeats or skips.
    return Notification.objects.bulk_create(
        Notification(
            recipient=user,
            kind=STATUS,
            text=f"n{i}",
            created_at=base - timedelta(minutes=i // 2),
        )
        for i in range(count)
    )


def test_keyset_pages_cover_everything_once_newest_first(
    dream, django_assert_num_queries
):
    user = UserFactory()
    _notes_for(user, dream, 5)
    _notes_for(UserFactory(), dream, 3)  # someone else's

    seen = []
    cursor = ""
    while True:
        with django_assert_num_queries(1):
            page = notification_page(user=user, cursor=cursor, limit=2)
        seen.extend(page.items)
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert len(seen) == 5
    assert len({n.pk for n in seen}) == 5
    assert all(n.recipient_id == user.pk for n in seen)
    keys = [(n.created_at, n.pk) for n in seen]
    assert keys == sorted(keys, reverse=True)


def test_bad_cursor_shows_the_first_page(dream):
    user = UserFactory()
    _notes_for(user, dream, 3)
    first = notification_page(user=user, limit=2)
    assert notification_page(user=user, cursor="not-a-cursor!", limit=2).items == (
        first.items
    )


def test_mark_read_only_touches_own_unread(dream, django_assert_num_queries):
    user, other = UserFactory(), UserFactory()
    mine = _notes_for(user, dream, 3)
    _notes_for(other, dream, 2)

    assert notifications_mark_read(user=user, ids=[mine[0].pk]) == 1
    assert unread_count(user=user) == 2
    with django_assert_num_queries(1):
        page = notification_page(user=user, unread_only=True)
    assert mine[0].pk not in {n.pk for n in page.items}

    assert notifications_mark_read(user=user) == 2
    assert unread_count(user=user) == 0
    assert unread_count(user=other) == 2


def test_follower_list_is_one_query(dream, django_assert_num_queries):
    followers = [UserFactory() for _ in range(3)]
    for user in followers:
        follow_create(user=user, target=dream)
    with django_assert_num_queries(1):
        found = list(follower_list(target=dream))
    assert found == followers
