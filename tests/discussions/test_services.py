import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from accounts.models import REMOVED_USER_LABEL
from core.actors import Actor
from core.models import OutgoingMail
from discussions import services
from discussions.models import (
    Comment,
    CommentLike,
    CommentReport,
    CommentStatus,
    ModerationAction,
    ModerationActionKind,
)
from discussions.services import RateLimited
from participation import services as participation_services
from participation.models import Lifecycle
from tests.factories import UserFactory
from tests.participation.factories import SCRIPT, make_service

pytestmark = pytest.mark.django_db


def post(discussion, user, text="Hyvä suunnitelma", **kw):
    return services.comment_create(
        discussion=discussion,
        participant=Actor(user=user, ip="10.0.0.9"),
        text=text,
        **kw,
    )


class TestCommentCreate:
    def test_stores_plain_text_and_counts(self, discussion, resident):
        comment = post(
            discussion, resident, text=f"Hyvä {SCRIPT}<b>idea</b>\n\nToinen kappale"
        )
        # Stored as typed (#12: text as typed); pages escape it on the way out.
        assert comment.text == f"Hyvä {SCRIPT}<b>idea</b>\n\nToinen kappale"
        assert comment.status == CommentStatus.VISIBLE
        discussion.refresh_from_db()
        assert discussion.comment_count == 1

    # Only dangerous controls: nothing is left once they are removed. (A typed
    # "<script></script>" is text, stored as typed, since #12.)
    @pytest.mark.parametrize("text", ["", "   ", "\u202e\u2066\x00"])
    def test_empty_text_is_refused(self, discussion, resident, text):
        with pytest.raises(ValidationError) as error:
            post(discussion, resident, text=text)
        assert "text" in error.value.message_dict
        assert Comment.objects.count() == 0

    def test_too_long_text_is_refused(self, discussion, resident):
        with pytest.raises(ValidationError):
            post(discussion, resident, text="a" * 5001)
        assert Comment.objects.count() == 0

    def test_invalid_stance_is_refused(self, discussion, resident):
        with pytest.raises(ValidationError):
            post(discussion, resident, stance="maybe")
        assert Comment.objects.count() == 0

    def test_identical_comment_twice_is_refused(self, discussion, resident):
        post(discussion, resident, text="Sama asia")
        with translation.override("en"), pytest.raises(ValidationError) as error:
            post(discussion, resident, text="  sama   ASIA ")
        assert "already posted" in error.value.message_dict["text"][0]
        assert Comment.objects.count() == 1

    def test_refused_before_the_period(self, city_page, resident):
        page = make_service(
            city_page, comments_open_at=timezone.now() + timedelta(days=1)
        )
        discussion = participation_services.service_discussions_sync(page=page)[
            page.discussion_key
        ]
        with pytest.raises(ValidationError):
            post(discussion, resident)
        assert Comment.objects.count() == 0

    def test_refused_after_the_period(self, city_page, resident):
        page = make_service(
            city_page,
            comments_open_at=timezone.now() - timedelta(days=10),
            comments_close_at=timezone.now() - timedelta(minutes=1),
        )
        discussion = participation_services.service_discussions_sync(page=page)[
            page.discussion_key
        ]
        with pytest.raises(ValidationError):
            post(discussion, resident)

    @pytest.mark.parametrize(
        "status", [Lifecycle.PLANNING, Lifecycle.CLOSED, Lifecycle.WITHDRAWN]
    )
    def test_refused_unless_open(self, city_page, resident, status):
        page = make_service(city_page, status=status)
        discussion = participation_services.service_discussions_sync(page=page)[
            page.discussion_key
        ]
        with pytest.raises(ValidationError):
            post(discussion, resident)

    def test_withdrawing_closes_section_threads_too(self, service, editor, resident):
        threads = participation_services.service_discussions_sync(page=service)
        participation_services.service_status_set(
            page=service, user=editor, status=Lifecycle.WITHDRAWN
        )
        for discussion in threads.values():
            discussion.refresh_from_db()
            with pytest.raises(ValidationError):
                post(discussion, resident)

    def test_anonymous_refused_when_not_allowed(self, discussion):
        with pytest.raises(PermissionDenied):
            services.comment_create(
                discussion=discussion,
                participant=Actor(anonymous_key=uuid.uuid4(), nickname="Anne"),
                text="Hei",
            )
        assert Comment.objects.count() == 0

    def test_anonymous_with_nickname_when_allowed(self, city_page):
        page = make_service(city_page, allow_anonymous=True)
        discussion = participation_services.service_discussions_sync(page=page)[
            page.discussion_key
        ]
        key = uuid.uuid4()
        comment = services.comment_create(
            discussion=discussion,
            participant=Actor(anonymous_key=key, nickname=f"Anne {SCRIPT}"),
            text="Hei",
        )
        assert comment.anonymous_key == key
        assert comment.author is None
        assert comment.author_label == f"Anne {SCRIPT}"
        with pytest.raises(ValidationError):
            services.comment_create(
                discussion=discussion,
                participant=Actor(anonymous_key=key, nickname=""),
                text="Toinen",
            )

    def test_blocked_user_cannot_comment(self, discussion, resident, moderator, city):
        services.user_block(
            user=resident, city=city, moderator=moderator, reason="Spam"
        )
        with pytest.raises(PermissionDenied):
            post(discussion, resident)
        assert Comment.objects.count() == 0

    def test_rate_limit_per_person(self, discussion, resident):
        for n in range(5):
            post(discussion, resident, text=f"Kommentti {n}")
        with pytest.raises(RateLimited) as error:
            post(discussion, resident, text="Kuudes")
        assert error.value.code == "rate_limited"
        assert Comment.objects.count() == 5

    def test_rate_limit_per_ip(self, discussion, settings):
        settings.PARTICIPATION_RATE_LIMITS = {
            **services.DEFAULT_RATE_LIMITS,
            "comment": {"person": (5, 300), "ip": (2, 300)},
        }
        for n in range(2):
            post(discussion, UserFactory(), text=f"Kommentti {n}")
        with pytest.raises(RateLimited):
            post(discussion, UserFactory(), text="Kolmas")

    def test_premoderated_comment_waits(self, city_page, resident, moderator):
        page = make_service(city_page, premoderated=True)
        discussion = participation_services.service_discussions_sync(page=page)[
            page.discussion_key
        ]
        comment = post(discussion, resident)
        assert comment.status == CommentStatus.PENDING
        discussion.refresh_from_db()
        assert discussion.comment_count == 0
        services.comment_restore(comment=comment, moderator=moderator)
        comment.refresh_from_db()
        discussion.refresh_from_db()
        assert comment.status == CommentStatus.VISIBLE
        assert discussion.comment_count == 1
        assert ModerationAction.objects.get().kind == ModerationActionKind.APPROVE


class TestReplies:
    def test_reply_and_reply_to_reply_join_the_thread(
        self, discussion, resident, resident2
    ):
        top = post(discussion, resident, text="Alku")
        reply = services.comment_reply(
            parent=top, participant=Actor(user=resident2), text="Vastaus"
        )
        deeper = services.comment_reply(
            parent=reply, participant=Actor(user=resident), text="Vastaus 2"
        )
        assert reply.parent == top
        assert deeper.parent == top
        top.refresh_from_db()
        assert top.reply_count == 2

    def test_cannot_reply_to_hidden_comment(
        self, discussion, resident, resident2, moderator
    ):
        top = post(discussion, resident)
        services.comment_hide(comment=top, moderator=moderator, reason="Sääntö 2")
        with pytest.raises(ValidationError):
            services.comment_reply(
                parent=top, participant=Actor(user=resident2), text="Vastaus"
            )
        assert Comment.objects.count() == 1

    def test_cannot_reply_to_deleted_comment(self, discussion, resident, resident2):
        top = post(discussion, resident)
        services.comment_delete(comment=top, participant=Actor(user=resident))
        with pytest.raises(ValidationError):
            services.comment_reply(
                parent=top, participant=Actor(user=resident2), text="Vastaus"
            )

    def test_reply_notifies_the_parent_author(
        self, discussion, resident, resident2, django_capture_on_commit_callbacks
    ):
        top = post(discussion, resident)
        with django_capture_on_commit_callbacks(execute=True):
            services.comment_reply(
                parent=top, participant=Actor(user=resident2), text="Samaa mieltä"
            )
        assert len(mail.outbox) == 1
        assert mail.outbox[0].to == ["riikka@example.org"]
        assert "Samaa mieltä" in mail.outbox[0].body
        assert OutgoingMail.objects.get().sent_at is not None


class TestEditDelete:
    def test_author_edits_within_15_minutes(self, discussion, resident):
        comment = post(discussion, resident)
        services.comment_edit(
            comment=comment, participant=Actor(user=resident), text="Korjattu"
        )
        comment.refresh_from_db()
        assert comment.text == "Korjattu"
        assert comment.edited_at is not None

    def test_edit_after_15_minutes_is_refused(self, discussion, resident):
        comment = post(discussion, resident)
        Comment.objects.filter(pk=comment.pk).update(
            created_at=timezone.now() - timedelta(minutes=16)
        )
        comment.refresh_from_db()
        with pytest.raises(ValidationError):
            services.comment_edit(
                comment=comment, participant=Actor(user=resident), text="Myöhässä"
            )
        comment.refresh_from_db()
        assert comment.text == "Hyvä suunnitelma"

    def test_others_cannot_edit_or_delete(self, discussion, resident, resident2):
        comment = post(discussion, resident)
        with pytest.raises(PermissionDenied):
            services.comment_edit(
                comment=comment, participant=Actor(user=resident2), text="Hah"
            )
        with pytest.raises(PermissionDenied):
            services.comment_delete(comment=comment, participant=Actor(user=resident2))

    def test_delete_keeps_placeholder_and_counts(self, discussion, resident, resident2):
        top = post(discussion, resident)
        services.comment_reply(
            parent=top, participant=Actor(user=resident2), text="Vastaus"
        )
        services.comment_delete(comment=top, participant=Actor(user=resident))
        top.refresh_from_db()
        discussion.refresh_from_db()
        assert top.status == CommentStatus.DELETED
        assert top.text == ""
        assert discussion.comment_count == 1  # the reply remains

    def test_deleted_account_shows_removed_user(self, discussion, resident):
        comment = post(discussion, resident)
        resident.delete()
        comment.refresh_from_db()
        assert comment.author is None
        assert comment.author_label == str(REMOVED_USER_LABEL)


class TestLikesAndSupport:
    def test_double_like_counts_once(self, discussion, resident, resident2):
        comment = post(discussion, resident)
        who = Actor(user=resident2)
        assert services.comment_like(comment=comment, participant=who) is True
        assert services.comment_like(comment=comment, participant=who) is False
        comment.refresh_from_db()
        assert comment.like_count == 1
        assert CommentLike.objects.count() == 1
        assert services.comment_unlike(comment=comment, participant=who) is True
        comment.refresh_from_db()
        assert comment.like_count == 0

    def test_anonymous_cannot_like(self, discussion, resident):
        comment = post(discussion, resident)
        with pytest.raises(PermissionDenied):
            services.comment_like(
                comment=comment, participant=Actor(anonymous_key=uuid.uuid4())
            )

    def test_support_one_per_person(self, discussion, resident, resident2):
        services.discussion_support(
            discussion=discussion, participant=Actor(user=resident), value=1
        )
        services.discussion_support(
            discussion=discussion, participant=Actor(user=resident), value=1
        )
        services.discussion_support(
            discussion=discussion, participant=Actor(user=resident2), value=-1
        )
        discussion.refresh_from_db()
        assert (discussion.support_count, discussion.oppose_count) == (1, 1)
        services.discussion_support(
            discussion=discussion, participant=Actor(user=resident), value=-1
        )
        discussion.refresh_from_db()
        assert (discussion.support_count, discussion.oppose_count) == (0, 2)
        with pytest.raises(ValidationError):
            services.discussion_support(
                discussion=discussion, participant=Actor(user=resident), value=5
            )


class TestReportsAndModeration:
    def test_three_reports_hide_and_moderator_restores(
        self, discussion, resident, moderator
    ):
        comment = post(discussion, resident)
        for n in range(3):
            services.comment_report(
                comment=comment,
                participant=Actor(user=UserFactory(), ip=f"10.1.0.{n}"),
                reason="Asiaton",
            )
        comment.refresh_from_db()
        assert comment.status == CommentStatus.HIDDEN
        assert ModerationAction.objects.filter(
            kind=ModerationActionKind.AUTO_HIDE
        ).exists()
        discussion.refresh_from_db()
        assert discussion.comment_count == 0
        services.comment_restore(
            comment=comment, moderator=moderator, reason="Asiallinen"
        )
        comment.refresh_from_db()
        discussion.refresh_from_db()
        assert comment.status == CommentStatus.VISIBLE
        assert comment.report_count == 0
        assert discussion.comment_count == 1
        log = ModerationAction.objects.filter(kind=ModerationActionKind.RESTORE).get()
        assert log.moderator == moderator
        assert log.reason == "Asiallinen"

    def test_double_report_is_refused(self, discussion, resident, resident2):
        comment = post(discussion, resident)
        who = Actor(user=resident2)
        services.comment_report(comment=comment, participant=who, reason="Asiaton")
        with pytest.raises(ValidationError):
            services.comment_report(comment=comment, participant=who, reason="Asiaton")
        assert CommentReport.objects.count() == 1

    def test_report_needs_reason(self, discussion, resident, resident2):
        comment = post(discussion, resident)
        with pytest.raises(ValidationError):
            services.comment_report(
                comment=comment, participant=Actor(user=resident2), reason=" "
            )
        assert CommentReport.objects.count() == 0

    def test_hide_shows_reason(self, discussion, resident, moderator):
        comment = post(discussion, resident)
        services.comment_hide(
            comment=comment, moderator=moderator, reason=f"Sääntö 2 {SCRIPT}"
        )
        comment.refresh_from_db()
        assert comment.status == CommentStatus.HIDDEN
        assert comment.hidden_reason == f"Sääntö 2 {SCRIPT}"

    def test_hide_needs_reason(self, discussion, resident, moderator):
        comment = post(discussion, resident)
        with pytest.raises(ValidationError):
            services.comment_hide(comment=comment, moderator=moderator, reason="")
        comment.refresh_from_db()
        assert comment.status == CommentStatus.VISIBLE
        assert ModerationAction.objects.count() == 0

    def test_non_moderator_cannot_moderate(
        self, discussion, resident, resident2, other_city
    ):
        from accounts.models import Role
        from accounts.services import role_grant

        comment = post(discussion, resident)
        elsewhere = UserFactory()
        role_grant(user=elsewhere, city=other_city, role=Role.MODERATOR)
        for user in (resident2, elsewhere):
            with pytest.raises(PermissionDenied):
                services.comment_hide(comment=comment, moderator=user, reason="Pois")
            with pytest.raises(PermissionDenied):
                services.user_block(
                    user=resident, city=discussion.city, moderator=user, reason="Pois"
                )
        comment.refresh_from_db()
        assert comment.status == CommentStatus.VISIBLE
        assert ModerationAction.objects.count() == 0


def test_deleted_account_keeps_counts_exact(discussion, resident, resident2):
    comment = post(discussion, resident)
    services.comment_like(comment=comment, participant=Actor(user=resident2))
    services.discussion_support(
        discussion=discussion, participant=Actor(user=resident2), value=1
    )
    resident2.delete()
    comment.refresh_from_db()
    discussion.refresh_from_db()
    assert (
        comment.like_count == CommentLike.objects.filter(comment=comment).count() == 1
    )
    assert discussion.support_count == 1
