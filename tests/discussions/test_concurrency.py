"""Counters stay exact when many people click at the same moment (PostgreSQL)."""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from core.actors import Actor
from core.errors import Invalid
from core.locking import lock_row
from discussions import services
from discussions.models import Comment, CommentLike, DiscussionSupport
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises every write transaction, so there is no race to "
        "test; the concurrency test runs on PostgreSQL (CI sets DATABASE_URL).",
    ),
]


def run_at_once(jobs):
    barrier = threading.Barrier(len(jobs))
    errors = []

    def wrap(job):
        try:
            barrier.wait()
            job()
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=wrap, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_concurrent_likes_and_supports_stay_exact(city_page, discussion):
    author = UserFactory()
    comment = services.comment_create(
        discussion=discussion, participant=Actor(user=author), text="Kilpailu"
    )
    likers = [UserFactory() for _ in range(8)]
    # Everyone likes twice at once (double clicks), and supports twice at once.
    jobs = []
    for user in likers:
        who = Actor(user=user)
        jobs += [
            lambda who=who: services.comment_like(comment=comment, participant=who),
            lambda who=who: services.comment_like(comment=comment, participant=who),
            lambda who=who: services.discussion_support(
                discussion=discussion, participant=who, value=1
            ),
            lambda who=who: services.discussion_support(
                discussion=discussion, participant=who, value=1
            ),
        ]
    errors = run_at_once(jobs)
    assert errors == []
    comment = Comment.objects.get(pk=comment.pk)
    discussion.refresh_from_db()
    assert CommentLike.objects.filter(comment=comment).count() == 8
    assert comment.like_count == 8
    assert DiscussionSupport.objects.filter(discussion=discussion).count() == 8
    assert discussion.support_count == 8


def test_a_like_waiting_on_a_hide_is_refused_after_it(discussion, moderator):
    comment = services.comment_create(
        discussion=discussion, participant=Actor(user=UserFactory()), text="Ruma"
    )
    stale = Comment.objects.get(pk=comment.pk)
    liker = Actor(user=UserFactory())
    locked = threading.Event()

    def hide():
        # The moderator's transaction holds the row while the like arrives.
        with transaction.atomic():
            lock_row(Comment, comment.pk)
            locked.set()
            time.sleep(0.5)
            services.comment_hide(comment=comment, moderator=moderator, reason="x")

    def like():
        assert locked.wait(5)
        # Read VISIBLE before the lock; must wait, then see HIDDEN and refuse.
        services.comment_like(comment=stale, participant=liker)

    errors = run_at_once([hide, like])
    assert len(errors) == 1
    assert isinstance(errors[0], Invalid) and errors[0].code == "gone"
    assert not CommentLike.objects.exists()
    assert Comment.objects.get(pk=comment.pk).like_count == 0
