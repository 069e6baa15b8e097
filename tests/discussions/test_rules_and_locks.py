"""The named rules the discussion services ask, and lock-then-recheck: a service
handed a copy read before someone else changed the row refuses on the row as it
is now, with a clear error and nothing written."""

import pytest
import rules

from accounts.models import Role
from accounts.services import role_grant
from core.actors import Actor
from core.errors import Forbidden, Invalid
from discussions import services
from discussions.models import (
    Comment,
    CommentLike,
    CommentReport,
    CommentStatus,
    Discussion,
    DiscussionSupport,
    ModerationAction,
)
from participation import services as participation_services
from tests.factories import CityFactory, UserFactory
from tests.participation.factories import make_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def premoderated(city_page):
    page = make_service(city_page, premoderated=True)
    return participation_services.service_discussions_sync(page=page)[
        page.discussion_key
    ]


@pytest.fixture
def other_moderator(db):
    user = UserFactory(display_name="Moderator Muualla")
    role_grant(user=user, city=CityFactory(slug="turku"), role=Role.MODERATOR)
    return user


def post(discussion, user, text="Hyvä suunnitelma"):
    return services.comment_create(
        discussion=discussion, participant=Actor(user=user, ip="10.0.0.9"), text=text
    )


class TestSkipPremoderation:
    def test_the_citys_moderator_is_published_at_once(self, premoderated, moderator):
        comment = post(premoderated, moderator)
        assert comment.status == CommentStatus.VISIBLE
        premoderated.refresh_from_db()
        assert premoderated.comment_count == 1

    def test_another_citys_moderator_waits(self, premoderated, other_moderator):
        comment = post(premoderated, other_moderator)
        assert comment.status == CommentStatus.PENDING
        premoderated.refresh_from_db()
        assert premoderated.comment_count == 0

    def test_residents_and_editors_wait(self, premoderated, resident, editor):
        assert post(premoderated, resident).status == CommentStatus.PENDING
        assert post(premoderated, editor).status == CommentStatus.PENDING

    def test_the_rule_itself(
        self, premoderated, moderator, other_moderator, resident, admin_user
    ):
        def skips(actor):
            return rules.test_rule(
                "discussions.skip_premoderation", actor, premoderated
            )

        assert skips(Actor(user=moderator))
        assert skips(Actor(user=admin_user))
        assert not skips(Actor(user=other_moderator))
        assert not skips(Actor(user=resident))
        assert not skips(Actor(anonymous_key="a" * 32, nickname="Vieras"))
        assert not skips(None)


class TestModerationQueueRule:
    def test_any_citys_moderator_opens_the_queue(
        self, moderator, other_moderator, resident, editor
    ):
        def opens(user):
            return rules.test_rule("discussions.open_moderation_queue", user)

        assert opens(moderator) and opens(other_moderator)
        assert not opens(resident) and not opens(editor)

    def test_another_citys_moderator_cannot_hide_here(
        self, discussion, resident, other_moderator
    ):
        comment = post(discussion, resident)
        with pytest.raises(Forbidden) as error:
            services.comment_hide(
                comment=comment, moderator=other_moderator, reason="Sääntö 1"
            )
        assert error.value.code == "not_moderator"
        comment.refresh_from_db()
        assert comment.status == CommentStatus.VISIBLE
        assert not ModerationAction.objects.exists()


class TestLockThenRecheck:
    def test_like_of_a_comment_hidden_meanwhile_is_refused(
        self, discussion, resident, resident2, moderator
    ):
        comment = post(discussion, resident)
        stale = Comment.objects.get(pk=comment.pk)
        services.comment_hide(comment=comment, moderator=moderator, reason="Sääntö")
        with pytest.raises(Invalid) as error:
            services.comment_like(comment=stale, participant=Actor(user=resident2))
        assert error.value.code == "gone"
        assert not CommentLike.objects.exists()
        assert Comment.objects.get(pk=comment.pk).like_count == 0

    def test_edit_of_a_comment_hidden_meanwhile_is_refused(
        self, discussion, resident, moderator
    ):
        comment = post(discussion, resident, text="Alkuperäinen")
        stale = Comment.objects.get(pk=comment.pk)
        services.comment_hide(comment=comment, moderator=moderator, reason="Sääntö")
        with pytest.raises(Invalid) as error:
            services.comment_edit(
                comment=stale, participant=Actor(user=resident), text="Muutettu"
            )
        assert error.value.code == "gone"
        comment.refresh_from_db()
        assert comment.text == "Alkuperäinen" and comment.edited_at is None

    def test_reply_to_a_comment_deleted_meanwhile_is_refused(
        self, discussion, resident, resident2
    ):
        top = post(discussion, resident)
        stale = Comment.objects.get(pk=top.pk)
        services.comment_delete(comment=top, participant=Actor(user=resident))
        with pytest.raises(Invalid) as error:
            services.comment_reply(
                parent=stale, participant=Actor(user=resident2), text="Vastaus"
            )
        assert error.value.code == "gone"
        assert Comment.objects.count() == 1

    def test_deleting_twice_from_two_tabs_is_refused(self, discussion, resident):
        comment = post(discussion, resident)
        stale = Comment.objects.get(pk=comment.pk)
        services.comment_delete(comment=comment, participant=Actor(user=resident))
        with pytest.raises(Invalid) as error:
            services.comment_delete(comment=stale, participant=Actor(user=resident))
        assert error.value.code == "gone"
        discussion.refresh_from_db()
        assert discussion.comment_count == 0

    def test_a_comment_whose_row_is_gone_is_refused_not_crashed(
        self, discussion, resident, resident2, moderator
    ):
        comment = post(discussion, resident)
        Comment.objects.filter(pk=comment.pk).delete()
        with pytest.raises(Invalid):
            services.comment_delete(comment=comment, participant=Actor(user=resident))
        with pytest.raises(Invalid):
            services.comment_hide(comment=comment, moderator=moderator, reason="x")
        with pytest.raises(Invalid):
            services.comment_like(comment=comment, participant=Actor(user=resident2))
        assert not services.comment_unlike(
            comment=comment, participant=Actor(user=resident2)
        )
        assert not ModerationAction.objects.exists()

    def test_moderating_a_comment_deleted_meanwhile_is_refused(
        self, discussion, resident, moderator
    ):
        comment = post(discussion, resident)
        stale = Comment.objects.get(pk=comment.pk)
        services.comment_delete(comment=comment, participant=Actor(user=resident))
        with pytest.raises(Invalid) as error:
            services.comment_hide(comment=stale, moderator=moderator, reason="x")
        assert error.value.code == "gone"
        assert not ModerationAction.objects.exists()

    def test_report_of_a_comment_hidden_meanwhile_is_refused(
        self, discussion, resident, resident2, moderator
    ):
        comment = post(discussion, resident)
        stale = Comment.objects.select_related("discussion").get(pk=comment.pk)
        services.comment_hide(comment=comment, moderator=moderator, reason="Sääntö")
        with pytest.raises(Invalid) as error:
            services.comment_report(
                comment=stale, participant=Actor(user=resident2), reason="Ruma"
            )
        assert error.value.code == "gone"
        assert not CommentReport.objects.exists()

    def test_support_after_the_discussion_closed_meanwhile_is_refused(
        self, discussion, resident
    ):
        stale = Discussion.objects.get(pk=discussion.pk)
        Discussion.objects.filter(pk=discussion.pk).update(is_open=False)
        with pytest.raises(Invalid) as error:
            services.discussion_support(
                discussion=stale, participant=Actor(user=resident), value=1
            )
        assert error.value.code == "closed"
        assert not DiscussionSupport.objects.exists()
        discussion.refresh_from_db()
        assert discussion.support_count == 0
