"""Long threads: the comment list shows each thread's latest replies, and the rest
are one link away, on the same page, paged — with the same number of queries."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from core.actors import Actor
from discussions.models import Comment, CommentStatus
from discussions.selectors import (
    REPLIES_SHOWN,
    comment_replies_page,
    comment_thread_page,
)
from participation import services as participation_services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def thread_with_replies(discussion, author, n, *, text="Vastaus"):
    """A top-level comment with `n` visible replies, one minute apart, oldest first."""
    top = Comment.objects.create(discussion=discussion, author=author, text="Aloitus")
    start = timezone.now() - timedelta(days=1)
    replies = Comment.objects.bulk_create(
        Comment(
            discussion=discussion,
            parent=top,
            author=author,
            text=f"{text} {i}",
            created_at=start + timedelta(minutes=i),
        )
        for i in range(n)
    )
    Comment.objects.filter(pk=top.pk).update(reply_count=n)
    return top, replies


def finnish(message: str, plural: str = "", n: int = 0) -> str:
    """What the page (in Finnish, the default language) says for `message`."""
    with translation.override("fi"):
        if plural:
            return translation.ngettext(message, plural, n) % {"counter": n}
        return translation.gettext(message)


def shown_texts(comment) -> list[str]:
    return [reply.text for reply in comment.thread_replies]


class TestCommentList:
    def test_a_long_thread_shows_its_latest_replies_in_order(
        self, discussion, resident
    ):
        top, _ = thread_with_replies(discussion, resident, 25)
        page = comment_thread_page(discussion=discussion)
        [listed] = page.comments
        assert listed.pk == top.pk
        assert shown_texts(listed) == [f"Vastaus {i}" for i in range(15, 25)]
        assert listed.earlier_replies == 25 - REPLIES_SHOWN

    def test_a_short_thread_shows_everything(self, discussion, resident):
        thread_with_replies(discussion, resident, 3)
        [listed] = comment_thread_page(discussion=discussion).comments
        assert shown_texts(listed) == ["Vastaus 0", "Vastaus 1", "Vastaus 2"]
        assert listed.earlier_replies == 0

    def test_a_reply_just_sent_is_on_the_page_it_returns_to(
        self, client, service, discussion, resident, resident2
    ):
        top, _ = thread_with_replies(discussion, resident, 30)
        client.force_login(resident2)
        response = client.post(
            f"/discussions/comments/{top.pk}/reply/",
            {"text": "Uusin vastaus", "next": service.url},
        )
        assert response.status_code == 302
        reply = Comment.objects.get(text="Uusin vastaus")
        # Back at the confirmation, which links on to the reply on this page.
        assert response.url.endswith("#messages")
        html = client.get(response.url.split("#")[0]).content.decode()
        assert f'#comment-{reply.pk}">' in html
        assert f'id="comment-{reply.pk}"' in html
        earlier = finnish(
            "Show %(counter)s earlier reply", "Show %(counter)s earlier replies", 21
        )
        assert earlier in html

    def test_others_pending_replies_are_not_counted_or_shown(
        self, discussion, resident, resident2
    ):
        top, replies = thread_with_replies(discussion, resident, 12)
        Comment.objects.filter(pk=replies[-1].pk).update(
            status=CommentStatus.PENDING, first_published_at=None
        )
        [listed] = comment_thread_page(
            discussion=discussion, viewer=Actor(user=resident2)
        ).comments
        assert "Vastaus 11" not in shown_texts(listed)
        assert listed.earlier_replies == 11 - REPLIES_SHOWN
        [own_view] = comment_thread_page(
            discussion=discussion, viewer=Actor(user=resident)
        ).comments
        assert shown_texts(own_view)[-1] == "Vastaus 11"
        assert own_view.earlier_replies == 12 - REPLIES_SHOWN

    def test_same_query_count_for_short_and_very_long_threads(
        self, client, service, discussion, resident
    ):
        client.force_login(resident)
        for _ in range(3):
            thread_with_replies(discussion, resident, 2)
        client.get(service.url)
        with CaptureQueriesContext(connection) as short:
            assert client.get(service.url).status_code == 200
        for _ in range(3):
            thread_with_replies(discussion, UserFactory(), 400)
        with CaptureQueriesContext(connection) as long:
            response = client.get(service.url)
        assert response.status_code == 200
        assert len(short) == len(long)
        # 6 threads, at most REPLIES_SHOWN replies each on the page
        assert response.content.decode().count("comment--reply") <= 3 * 2 + 3 * 10


class TestWholeThread:
    def test_the_earlier_replies_link_opens_the_whole_thread_paged(
        self, client, service, discussion, resident
    ):
        top, _ = thread_with_replies(discussion, resident, 120)
        other = Comment.objects.create(
            discussion=discussion, author=resident, text="Toinen ketju"
        )
        html = client.get(service.url).content.decode()
        link = re.search(rf'href="([^"]*thread={top.pk}[^"#]*)', html).group(1)
        assert link.startswith("?")  # the same page, one thread
        first = client.get(service.url + link.replace("&amp;", "&")).content.decode()
        assert finnish("Back to all comments") in first
        assert "Toinen ketju" not in first and f"comment-{other.pk}" not in first
        assert "Vastaus 0<" in first and "Vastaus 49<" in first
        assert "Vastaus 50<" not in first
        more = re.search(r'href="([^"]*replies_after=[^"#]*)', first).group(1)
        second = client.get(service.url + more.replace("&amp;", "&")).content.decode()
        assert "Vastaus 50<" in second and "Vastaus 99<" in second
        assert (
            "Vastaus 49<" not in second
            and finnish("Back to the first replies") in second
        )

    def test_a_deep_page_of_a_thread_costs_what_the_first_costs(
        self, client, service, discussion, resident
    ):
        top, _ = thread_with_replies(discussion, resident, 200)
        url = f"{service.url}?thread={top.pk}"
        client.get(url)
        with CaptureQueriesContext(connection) as first:
            html = client.get(url).content.decode()
        cursor = re.search(r"replies_after=([\w-]+)", html).group(1)
        with CaptureQueriesContext(connection) as deep:
            client.get(f"{url}&replies_after={cursor}")
        assert len(first) == len(deep)

    @pytest.mark.parametrize("bad", ["999999", "abc", ""])
    def test_an_unknown_thread_falls_back_to_the_comment_list(
        self, client, service, discussion, resident, bad
    ):
        Comment.objects.create(discussion=discussion, author=resident, text="Ainoa")
        response = client.get(f"{service.url}?thread={bad}&replies_after=%%%")
        assert response.status_code == 200
        html = response.content.decode()
        assert "Ainoa" in html and finnish("Back to all comments") not in html

    def test_a_thread_of_another_discussion_or_a_reply_is_not_shown(
        self, service, discussion, resident
    ):
        section = service.sections.first()
        other = participation_services.service_discussions_sync(page=service)[
            section.discussion_key
        ]
        elsewhere, _ = thread_with_replies(other, resident, 2)
        assert (
            comment_replies_page(discussion=discussion, comment_id=elsewhere.pk) is None
        )
        top, replies = thread_with_replies(discussion, resident, 2)
        assert (
            comment_replies_page(discussion=discussion, comment_id=replies[0].pk)
            is None
        )

    def test_a_hidden_top_comment_keeps_its_placeholder_and_replies(
        self, discussion, resident
    ):
        top, _ = thread_with_replies(discussion, resident, 3, text="Näkyvä")
        Comment.objects.filter(pk=top.pk).update(status=CommentStatus.HIDDEN)
        page = comment_replies_page(discussion=discussion, comment_id=top.pk)
        assert page is not None
        assert page.comment.status == CommentStatus.HIDDEN
        assert shown_texts(page.comment) == ["Näkyvä 0", "Näkyvä 1", "Näkyvä 2"]
