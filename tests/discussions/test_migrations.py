"""The move of the comment engine out of participation keeps every row and right.

Migrates the test database back to before the move, writes rows the way the old
code did (a comment on a planned service page, a reply, a like, a report, a
position, a block, a moderation log entry, a queued e-mail, and a moderators'
group holding a permission on comments), migrates forward again and checks that
the rows, their content types, the permissions and the groups holding them, and
the discussions' generic references (`target_type`, `target_key`) all survived.
"""

import pytest
from django.apps import apps as live_apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

from core.models import OutgoingMail
from discussions.models import (
    Comment,
    CommentingBlock,
    CommentLike,
    CommentReport,
    Discussion,
    DiscussionSupport,
    ModerationAction,
)
from discussions.rules import public_comments_q
from participation.models import PlannedServicePage
from tests.factories import UserFactory
from tests.migrating import latest, migrate, once_on_postgresql
from tests.participation.factories import make_service

BEFORE = [
    ("participation", "0001_initial"),
    ("core", "0001_initial"),
    ("discussions", None),
]
MOVED = [
    "discussion",
    "comment",
    "commentlike",
    "discussionsupport",
    "commentreport",
    "commentingblock",
    "moderationaction",
]


def _old_rows(old, page, city_id, users):
    """Rows as the code before the move wrote them, through its models."""
    Discussion = old.get_model("participation", "Discussion")
    Comment = old.get_model("participation", "Comment")
    discussion = Discussion.objects.create(
        city_id=city_id,
        target_type="participation.plannedservicepage",
        target_key=str(page.translation_key),
        title=page.title,
        url="/helsinki/palvelu/",
        comment_count=2,
        support_count=1,
    )
    top = Comment.objects.create(
        discussion=discussion, author_id=users[0].pk, text="Hyvä <b>idea</b>"
    )
    reply = Comment.objects.create(
        discussion=discussion, parent=top, author_id=users[1].pk, text="Samaa mieltä"
    )
    old.get_model("participation", "CommentLike").objects.create(
        comment=top, user_id=users[1].pk
    )
    old.get_model("participation", "CommentReport").objects.create(
        comment=reply, reporter_id=users[0].pk, reason="Asiaton"
    )
    old.get_model("participation", "DiscussionSupport").objects.create(
        discussion=discussion, user_id=users[1].pk, value=1
    )
    old.get_model("participation", "CommentingBlock").objects.create(
        user_id=users[2].pk, city_id=city_id, reason="Kiroilee"
    )
    old.get_model("participation", "ModerationAction").objects.create(
        city_id=city_id, moderator_id=users[3].pk, kind="block", reason="Kiroilee"
    )
    old.get_model("participation", "OutgoingMail").objects.create(
        to_email="riikka@example.org", subject="Vastaus", body="Kiitos"
    )
    return discussion.pk, top.pk, reply.pk


@once_on_postgresql
@pytest.mark.django_db(transaction=True)
def test_move_keeps_rows_content_types_permissions_and_targets(city_page):
    page = make_service(city_page)
    # Discussions the publish created are dropped with the old tables' contents
    # below; the test writes its own, as the old code did.
    Discussion.objects.all().delete()
    users = [UserFactory() for _ in range(4)]
    try:
        executor = migrate(BEFORE)
        old = executor.loader.project_state(BEFORE[:2]).apps
        OldContentType = old.get_model("contenttypes", "ContentType")
        OldPermission = old.get_model("auth", "Permission")
        OldGroup = old.get_model("auth", "Group")
        comment_type = OldContentType.objects.get(
            app_label="participation", model="comment"
        )
        assert not OldContentType.objects.filter(app_label="discussions").exists()
        change_comment = OldPermission.objects.get(
            content_type=comment_type, codename="change_comment"
        )
        moderators = OldGroup.objects.create(name="Helsinki moderators (test)")
        moderators.permissions.add(change_comment)
        old.get_model("accounts", "User").objects.get(
            pk=users[3].pk
        ).user_permissions.add(change_comment)
        type_ids = {
            model: OldContentType.objects.get(app_label="participation", model=model).pk
            for model in [*MOVED, "outgoingmail"]
        }
        discussion_id, top_id, reply_id = _old_rows(old, page, city_page.city_id, users)
        assert PlannedServicePage.objects.filter(pk=page.pk).exists()

        migrate(latest())

        # Rows: all there, under the same ids.
        discussion = Discussion.objects.get(pk=discussion_id)
        assert discussion.comment_count == 2
        assert discussion.support_count == 1
        assert list(
            Comment.objects.filter(discussion=discussion).order_by("pk")
        ) == list(Comment.objects.filter(pk__in=[top_id, reply_id]).order_by("pk"))
        assert Comment.objects.get(pk=reply_id).parent_id == top_id
        assert Comment.objects.get(pk=top_id).text == "Hyvä <b>idea</b>"
        assert CommentLike.objects.get().comment_id == top_id
        assert CommentReport.objects.get().comment_id == reply_id
        assert DiscussionSupport.objects.get().discussion_id == discussion_id
        assert CommentingBlock.objects.get().user_id == users[2].pk
        assert ModerationAction.objects.get().moderator_id == users[3].pk
        assert OutgoingMail.objects.get().to_email == "riikka@example.org"

        # Content types renamed in place (same ids), none left behind.
        for model in MOVED:
            assert ContentType.objects.get(pk=type_ids[model]).app_label == (
                "discussions"
            )
        assert ContentType.objects.get(pk=type_ids["outgoingmail"]).app_label == "core"
        assert not ContentType.objects.filter(
            app_label="participation", model__in=[*MOVED, "outgoingmail"]
        ).exists()

        # Permissions follow their content type; groups and users keep them.
        permission = Permission.objects.get(pk=change_comment.pk)
        assert permission.content_type.app_label == "discussions"
        group = Group.objects.get(name="Helsinki moderators (test)")
        assert group.permissions.filter(pk=permission.pk).exists()
        moderator = type(users[3]).objects.get(pk=users[3].pk)
        assert moderator.has_perm("discussions.change_comment")
        assert not moderator.has_perm("participation.change_comment")

        # The generic reference still names the planned service page, and the
        # comment is public through the visibility registry.
        assert discussion.target_type == "participation.plannedservicepage"
        target_model = live_apps.get_model(discussion.target_type)
        assert target_model.objects.filter(
            translation_key=discussion.target_key
        ).exists()
        assert Comment.objects.filter(pk=top_id).filter(public_comments_q()).exists()

        # The page's stored city was filled in from its parent city page.
        assert PlannedServicePage.objects.get(pk=page.pk).city_id == city_page.city_id
    finally:
        migrate(latest())
        # The migrations cleared the content type cache. Fill it again while the
        # rows exist: the next transactional test reloads the database after a
        # flush, and signal handlers that look a content type up during that
        # reload would otherwise create it anew (with another id) from an empty
        # cache.
        ContentType.objects.get_for_models(*live_apps.get_models())
