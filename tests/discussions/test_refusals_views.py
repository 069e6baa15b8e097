"""Refusals through the views: the service's message with 403 (may not) or 400
(cannot now), in JSON and on the pages without JavaScript, and nothing written;
in the admin screens, the message on the screen they return to."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from accounts.models import Role
from accounts.services import role_grant
from core.actors import Actor
from discussions import services
from discussions.models import (
    Comment,
    CommentLike,
    CommentStatus,
    Discussion,
    DiscussionSupport,
    ModerationAction,
)
from participation.models import Lifecycle
from tests.factories import CityFactory, UserFactory

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


def fi(message: str) -> str:
    """The message as the (Finnish by default) site shows it."""
    with translation.override("fi"):
        return translation.gettext(message)


def post(discussion, user, text="Hyvä suunnitelma"):
    return services.comment_create(
        discussion=discussion, participant=Actor(user=user), text=text
    )


class TestPublicViews:
    def test_like_of_a_hidden_comment_is_400_with_the_message(
        self, client, discussion, resident, resident2, moderator
    ):
        comment = post(discussion, resident)
        services.comment_hide(comment=comment, moderator=moderator, reason="Sääntö")
        client.force_login(resident2)
        response = client.post(
            reverse("discussions:comment_like", args=[comment.pk]), **JSON
        )
        assert response.status_code == 400
        assert response.json()["message"] == fi("This comment cannot be liked.")
        assert not CommentLike.objects.exists()

    def test_anonymous_like_is_403_with_the_message(self, client, discussion, resident):
        comment = post(discussion, resident)
        response = client.post(
            reverse("discussions:comment_like", args=[comment.pk]), **JSON
        )
        assert response.status_code == 403
        assert response.json()["message"] == fi("Log in to like comments.")

    def test_deleting_anothers_comment_is_403_and_keeps_it(
        self, client, discussion, resident, resident2
    ):
        comment = post(discussion, resident)
        client.force_login(resident2)
        response = client.post(
            reverse("discussions:comment_delete", args=[comment.pk]), **JSON
        )
        assert response.status_code == 403
        assert response.json()["message"] == fi(
            "You can only delete your own comments."
        )
        comment.refresh_from_db()
        assert comment.status == CommentStatus.VISIBLE

    def test_blocked_person_sees_why_on_the_form_without_js(
        self, client, discussion, resident, moderator, city
    ):
        services.user_block(
            user=resident, city=city, moderator=moderator, reason="Spam"
        )
        client.force_login(resident)
        response = client.post(
            reverse("discussions:comment_create", args=[discussion.pk]),
            {"text": "Yritän silti"},
        )
        assert response.status_code == 403
        assert fi("You have been blocked from commenting.") in response.content.decode()
        assert "Yritän silti" in response.content.decode()  # the text is kept
        assert not Comment.objects.exists()

    def test_support_on_a_closed_discussion_is_400(self, client, discussion, resident):
        Discussion.objects.filter(pk=discussion.pk).update(is_open=False)
        client.force_login(resident)
        response = client.post(
            reverse("discussions:discussion_support", args=[discussion.pk]),
            {"value": "1"},
            **JSON,
        )
        assert response.status_code == 400
        assert response.json()["message"] == fi(
            "Support and opposition are closed here."
        )
        assert not DiscussionSupport.objects.exists()


class TestAdminViews:
    def test_the_queues_column_is_the_comment_not_the_verb(
        self, client, discussion, resident, moderator
    ):
        post(discussion, resident, text="Jonossa")
        Comment.objects.update(report_count=3, status="hidden")
        client.force_login(moderator)
        html = client.get(reverse("discussions_admin:moderation")).content.decode()
        assert "Jonossa" in html
        assert "<th>Kommentti</th>" in html and "<th>Kommentoi</th>" not in html

    def test_another_citys_moderator_is_told_why_and_nothing_changes(
        self, client, discussion, resident
    ):
        elsewhere = UserFactory()
        role_grant(user=elsewhere, city=CityFactory(slug="oulu"), role=Role.MODERATOR)
        comment = post(discussion, resident, text="Ruma")
        client.force_login(elsewhere)
        # Their own city's queue opens, but it does not list this city's comment.
        queue = client.get(reverse("discussions_admin:moderation"))
        assert queue.status_code == 200
        assert "Ruma" not in queue.content.decode()
        response = client.post(
            reverse("discussions_admin:moderation_action", args=[comment.pk]),
            {"action": "hide", "reason": "x"},
        )
        # Wagtail's admin answers refusals with a redirect and a message; ours
        # keeps the service's reason (Wagtail's own 403 handling would not).
        assert response.status_code == 302
        assert response.url == reverse("discussions_admin:moderation")
        shown = [str(m) for m in get_messages(response.wsgi_request)]
        assert shown == [fi("Only the city's moderators can do that.")]
        comment.refresh_from_db()
        assert comment.status == CommentStatus.VISIBLE
        assert not ModerationAction.objects.exists()

    def test_hiding_a_deleted_comment_says_why(
        self, client, discussion, resident, moderator
    ):
        comment = post(discussion, resident)
        services.comment_delete(comment=comment, participant=Actor(user=resident))
        client.force_login(moderator)
        response = client.post(
            reverse("discussions_admin:moderation_action", args=[comment.pk]),
            {"action": "hide", "reason": "Sääntö"},
        )
        assert response.status_code == 302
        shown = [str(m) for m in get_messages(response.wsgi_request)]
        assert shown == [fi("The author has deleted this comment.")]
        assert not ModerationAction.objects.exists()

    def test_unknown_action_says_so(self, client, discussion, resident, moderator):
        comment = post(discussion, resident)
        client.force_login(moderator)
        response = client.post(
            reverse("discussions_admin:moderation_action", args=[comment.pk]),
            {"action": "explode"},
        )
        assert response.status_code == 302
        assert [str(m) for m in get_messages(response.wsgi_request)] == [
            fi("Unknown action.")
        ]

    def test_answer_published_twice_says_so(self, client, service, editor):
        draft = service.get_latest_revision_as_object()
        draft.answer = "<p>Näin teimme.</p>"
        draft.save_revision(user=editor)
        url = reverse("participation_admin:answer_publish", args=[service.pk])
        client.force_login(editor)
        assert client.post(url).status_code == 302
        again = client.post(url)
        assert again.status_code == 302 and again.url == url
        shown = [str(m) for m in get_messages(again.wsgi_request)]
        assert fi("The answer is already published.") in shown
        service.refresh_from_db()
        assert service.status == Lifecycle.ANSWERED
