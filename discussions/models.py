"""The comment engine: threads, replies, likes, reports and moderation.

A `Discussion` is one comment thread about one commentable object, found by
`(target_type, target_key)`: `target_type` is the object's model label
(`participation.plannedservicepage`, `participation.plannedservicesection`,
`ideas.dream`, ...) and `target_key` its stable key (a page's `translation_key`, so
the Finnish, Swedish and English pages share one thread; a section's `key`; a
dream's id). The discussion row carries the rules its owner sets: city (for
moderators' authorisation), open/closed and the comment period, whether anonymous
participants may comment, pre-moderation and the report threshold. `Comment`,
`CommentLike`, `CommentReport`, `DiscussionSupport` (support/oppose),
`CommentingBlock` and `ModerationAction` all hang off it.

This app knows nothing of the apps that use it (it imports only core and accounts).
How an app above it uses it (e.g. ideas, for dreams)::

    from discussions.services import discussion_for, comment_create
    from discussions.selectors import comment_thread_page

    discussion = discussion_for(dream, city=dream.city, title=dream.title,
                                url=dream.get_absolute_url())
    comment_create(discussion=discussion, participant=participant, text=text)

and in its view and template::

    context.update(discussions.views.discussion_context(request, discussion))
    {% include "discussions/includes/discussion.html" %}

with `static/js/discussions/comments.js` loaded for inline replies and likes. The
write endpoints (`discussions:comment_*`) work for any discussion, and the Wagtail
moderation queue lists every discussion's comments per city. An app whose targets
are not always public (planned services: only while published) registers that with
`discussions.rules.register_target_visibility` at start-up.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import REMOVED_USER_LABEL
from core.models import City, TimeStampedModel
from core.text.fields import TextLanguageField

COMMENT_MAX_LENGTH = 5000
NICKNAME_MAX_LENGTH = 40
REASON_MAX_LENGTH = 300


class Discussion(TimeStampedModel):
    """One comment thread about one commentable object, with the rules for it."""

    city = models.ForeignKey(
        City,
        verbose_name=_("city"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="discussions",
    )
    target_type = models.CharField(_("target type"), max_length=80)
    target_key = models.CharField(_("target key"), max_length=64)
    title = models.CharField(_("title"), max_length=255, blank=True)
    url = models.CharField(_("address"), max_length=500, blank=True)
    is_open = models.BooleanField(_("open for comments"), default=True)
    opens_at = models.DateTimeField(_("comments open"), null=True, blank=True)
    closes_at = models.DateTimeField(_("comments close"), null=True, blank=True)
    allow_anonymous = models.BooleanField(
        _("anonymous participants may comment"), default=False
    )
    premoderated = models.BooleanField(_("comments are pre-moderated"), default=False)
    report_threshold = models.PositiveSmallIntegerField(
        _("reports before a comment is hidden"), default=3
    )
    # Counters kept by the services with F() updates in the same transaction.
    comment_count = models.PositiveIntegerField(_("comments"), default=0)
    support_count = models.PositiveIntegerField(_("support"), default=0)
    oppose_count = models.PositiveIntegerField(_("opposition"), default=0)

    class Meta:
        verbose_name = _("discussion")
        verbose_name_plural = _("discussions")
        constraints = [
            models.UniqueConstraint(
                fields=["target_type", "target_key"], name="unique_discussion_target"
            )
        ]

    def __str__(self) -> str:
        return self.title or f"{self.target_type}:{self.target_key}"

    def accepts_comments(self, now=None) -> bool:
        """Open, and inside the comment period when one is set."""
        now = now or timezone.now()
        if not self.is_open:
            return False
        if self.opens_at and now < self.opens_at:
            return False
        return not (self.closes_at and now >= self.closes_at)


class Stance(models.TextChoices):
    FOR = "for", _("For")
    AGAINST = "against", _("Against")
    NEUTRAL = "neutral", _("Neutral")


class CommentStatus(models.TextChoices):
    VISIBLE = "visible", _("Visible")
    PENDING = "pending", _("Awaiting moderation")
    HIDDEN = "hidden", _("Hidden")
    DELETED = "deleted", _("Deleted")


class Comment(TimeStampedModel):
    """A comment, or a reply when `parent` is set (replies are one level deep).

    A registered author is `author`; an anonymous participant has a `nickname` and
    the random `anonymous_key` kept in their session, from which open data derives a
    stable pseudonym. A deleted account leaves both empty: "removed user".
    """

    discussion = models.ForeignKey(
        Discussion,
        verbose_name=_("discussion"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("reply to"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    anonymous_key = models.UUIDField(_("anonymous key"), null=True, blank=True)
    nickname = models.CharField(
        _("nickname"), max_length=NICKNAME_MAX_LENGTH, blank=True
    )
    text = models.TextField(_("text"), max_length=COMMENT_MAX_LENGTH)
    # The language of `text`: the page's when posted, correctable by the author
    # (on the edit page) and by the city's moderators (from the queue).
    language = TextLanguageField()
    stance = models.CharField(
        _("stance"), max_length=10, choices=Stance.choices, blank=True
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CommentStatus.choices,
        default=CommentStatus.VISIBLE,
    )
    hidden_reason = models.CharField(
        _("reason for hiding"), max_length=REASON_MAX_LENGTH, blank=True
    )
    # When the comment was first shown to others, kept when it is hidden or
    # deleted: open data tells mirrors of a shown comment that went (a tombstone)
    # but never of one rejected or withdrawn while awaiting moderation. Set by
    # `_set_status` when the comment first becomes visible; the default matches
    # the default status (visible from its creation), and `comment_create`
    # creates a comment pending, without it.
    first_published_at = models.DateTimeField(
        null=True, blank=True, default=timezone.now, editable=False
    )
    content_hash = models.CharField(max_length=64, blank=True, editable=False)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    like_count = models.PositiveIntegerField(_("likes"), default=0)
    reply_count = models.PositiveIntegerField(_("replies"), default=0)
    report_count = models.PositiveIntegerField(_("open reports"), default=0)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [
            # Keyset pagination of top-level comments, newest/oldest and most liked:
            # the index gives the order, the status filter is checked on the way.
            models.Index(
                fields=["discussion", "parent", "created_at", "id"],
                name="comment_thread_time",
            ),
            models.Index(
                fields=["discussion", "parent", "like_count", "id"],
                name="comment_thread_likes",
            ),
            models.Index(fields=["discussion", "content_hash"], name="comment_dupe"),
            models.Index(fields=["status", "report_count"], name="comment_queue"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~(Q(author__isnull=False) & Q(anonymous_key__isnull=False)),
                name="comment_author_xor_anonymous",
            ),
            # A visible comment has been shown; one awaiting moderation never was
            # (nothing returns a shown comment to the queue).
            models.CheckConstraint(
                condition=~Q(status="visible") | Q(first_published_at__isnull=False),
                name="comment_visible_was_published",
            ),
            models.CheckConstraint(
                condition=~Q(status="pending") | Q(first_published_at__isnull=True),
                name="comment_pending_never_published",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def author_label(self) -> str:
        if self.author_id is not None:
            return self.author.display_name
        if self.anonymous_key is not None:
            return self.nickname
        return str(REMOVED_USER_LABEL)

    @property
    def is_anonymous(self) -> bool:
        return self.anonymous_key is not None

    @property
    def is_visible(self) -> bool:
        return self.status == CommentStatus.VISIBLE


class CommentLike(models.Model):
    """One like per person per comment; `Comment.like_count` mirrors the rows."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="likes")
    # SET_NULL: a deleted account's likes stay (anonymous), so counts never drift.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="comment_likes",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "user"], name="one_like_per_person"
            )
        ]


class SupportValue(models.IntegerChoices):
    SUPPORT = 1, _("Support")
    OPPOSE = -1, _("Oppose")


class DiscussionSupport(TimeStampedModel):
    """Support or opposition for the thing discussed (a planned service, a dream)."""

    discussion = models.ForeignKey(
        Discussion, on_delete=models.CASCADE, related_name="supports"
    )
    # SET_NULL, as for likes: the position stays counted, without the person.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="discussion_supports",
    )
    value = models.SmallIntegerField(_("value"), choices=SupportValue.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["discussion", "user"], name="one_support_per_person"
            )
        ]


class CommentReport(TimeStampedModel):
    """A report that a comment breaks the house rules; one per person."""

    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comment_reports",
    )
    reporter_key = models.UUIDField(null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=REASON_MAX_LENGTH)
    resolved = models.BooleanField(_("resolved"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reporter"],
                condition=Q(reporter__isnull=False),
                name="one_report_per_user",
            ),
            models.UniqueConstraint(
                fields=["comment", "reporter_key"],
                condition=Q(reporter_key__isnull=False),
                name="one_report_per_participant",
            ),
        ]


class CommentingBlock(TimeStampedModel):
    """A person may not comment in `city` (or anywhere, when city is empty)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="commenting_blocks",
    )
    city = models.ForeignKey(
        City, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=REASON_MAX_LENGTH)
    blocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "city"], name="one_block_per_city")
        ]


class ModerationActionKind(models.TextChoices):
    HIDE = "hide", _("Hidden")
    AUTO_HIDE = "auto_hide", _("Hidden after reports")
    RESTORE = "restore", _("Restored")
    APPROVE = "approve", _("Approved")
    BLOCK = "block", _("User blocked")
    UNBLOCK = "unblock", _("User unblocked")


class ModerationAction(models.Model):
    """The moderation log: who did what, when and why. Rows are never changed."""

    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    city = models.ForeignKey(
        City, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(
        _("action"), max_length=12, choices=ModerationActionKind.choices
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=REASON_MAX_LENGTH, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("moderation action")
        verbose_name_plural = _("moderation log")
