"""Planned services for comment, and the reusable discussion machinery.

Two layers live here:

* **Discussions** (reusable). A `Discussion` is one comment thread about one
  commentable object, found by `(target_type, target_key)`: a `PlannedServicePage`
  (keyed by its Wagtail `translation_key`, so the Finnish, Swedish and English pages
  share one thread), one of its sections (keyed by the section's stable `key`), and
  later a service dream (`ideas.Dream`, keyed by its id). The discussion row carries
  the rules its owner sets: city (for moderators' authorisation), open/closed and the
  comment period, whether anonymous participants may comment, pre-moderation and the
  report threshold. `Comment`, `CommentLike`, `CommentReport`, `DiscussionSupport`
  (support/oppose), `CommentingBlock` and `ModerationAction` all hang off it.

  How another app reuses it (e.g. ideas, for dreams)::

      from participation.services import discussion_for, comment_create
      from participation.selectors import comment_thread_page

      discussion = discussion_for(dream, city=dream.city, title=dream.title,
                                  url=dream.get_absolute_url())
      comment_create(discussion=discussion, participant=participant, text=text)
      page = comment_thread_page(discussion=discussion, viewer=participant)

  and in the template::

      {% include "participation/includes/discussion.html" %}

  with the context from `participation.views.discussion_context(request, discussion)`

  with `static/js/participation/comments.js` loaded for inline replies and likes.
  The write endpoints (`participation:comment_*`) work for any discussion, and the
  Wagtail moderation queue lists every discussion's comments per city.

* **Planned services** (this app's own use of discussions). `PlannedServicePage` is a
  Wagtail page under a `cms.CityPage`; its ordered `PlannedServiceSection`s each get
  their own discussion, the page as a whole another. The page's lifecycle and
  comment period are copied onto its discussions by `service_discussions_sync` when
  the page is published, and the services refuse writes outside them.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from accounts.models import REMOVED_USER_LABEL
from core.models import City, TimeStampedModel

COMMENT_MAX_LENGTH = 5000
NICKNAME_MAX_LENGTH = 40
REASON_MAX_LENGTH = 300

# --- Discussions (reusable) ----------------------------------------------------


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
            )
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


class OutgoingMail(TimeStampedModel):
    """The e-mail outbox: rows written in the same transaction as the change.

    `participation.mail.outbox_kick` sends them in batches after the commit, and
    `manage.py send_queued_mail` sends whatever is left (e.g. after a restart).
    """

    to_email = models.EmailField()
    subject = models.CharField(max_length=255)
    body = models.TextField()
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["sent_at", "id"], name="outbox_unsent")]


# --- Planned services ---------------------------------------------------------


@register_snippet
class District(models.Model):
    """A district of a city, used to tag and filter planned services."""

    city = models.ForeignKey(
        City, verbose_name=_("city"), on_delete=models.CASCADE, related_name="districts"
    )
    name = models.CharField(_("name"), max_length=100)

    panels = [FieldPanel("city"), FieldPanel("name")]

    class Meta:
        ordering = ["city", "name"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        constraints = [
            models.UniqueConstraint(fields=["city", "name"], name="unique_district")
        ]

    def __str__(self) -> str:
        return self.name


class PlannedServiceTag(TaggedItemBase):
    content_object = ParentalKey(
        "participation.PlannedServicePage",
        on_delete=models.CASCADE,
        related_name="tagged_items",
    )


class Lifecycle(models.TextChoices):
    PLANNING = "planning", _("Planning")
    OPEN = "open", _("Open for comments")
    CLOSED = "closed", _("Comments closed")
    ANSWERED = "answered", _("Answered")
    DECIDED = "decided", _("Decided")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ProducerType(models.TextChoices):
    CITY = "city", _("City unit")
    COMPANY = "company", _("Company")
    ASSOCIATION = "association", _("Association")
    OTHER = "other", _("Other")


class PlannedServicePage(Page):
    """A planned service put to residents for comment, under a city's `CityPage`.

    The page and each of its `sections` have a `Discussion`; the city answers in
    `answer` (and each section's `answer`), published by `service_answer_publish`.
    """

    summary = models.CharField(_("summary"), max_length=400)
    body = RichTextField(
        _("description"),
        blank=True,
        features=["h2", "h3", "bold", "italic", "link", "document-link", "ol", "ul"],
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("main image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    topics = ClusterTaggableManager(
        verbose_name=_("topics"), through=PlannedServiceTag, blank=True
    )
    districts = ParentalManyToManyField(
        District, verbose_name=_("districts"), blank=True, related_name="services"
    )
    producer_type = models.CharField(
        _("who would produce the service"),
        max_length=20,
        choices=ProducerType.choices,
        default=ProducerType.CITY,
    )
    producer_name = models.CharField(_("producer"), max_length=200, blank=True)
    contact = models.TextField(_("contact"), blank=True, max_length=1000)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=Lifecycle.choices,
        default=Lifecycle.PLANNING,
        db_index=True,
    )
    comments_open_at = models.DateTimeField(_("comments open"), null=True, blank=True)
    comments_close_at = models.DateTimeField(_("comments close"), null=True, blank=True)
    allow_anonymous = models.BooleanField(
        _("anonymous participants may comment"),
        default=False,
        help_text=_("Otherwise only registered users may comment."),
    )
    premoderated = models.BooleanField(
        _("pre-moderate comments"),
        default=False,
        help_text=_("Comments appear only after a moderator approves them."),
    )
    report_threshold = models.PositiveSmallIntegerField(
        _("reports before a comment is hidden"), default=3
    )
    answer = RichTextField(
        _("how your input was used"),
        blank=True,
        features=["h3", "bold", "italic", "link", "document-link", "ol", "ul"],
    )
    answer_published_at = models.DateTimeField(
        _("answer published"), null=True, blank=True, editable=False
    )

    parent_page_types = ["cms.CityPage"]
    subpage_types: list[str] = []

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("hero_image"),
        FieldPanel("body"),
        InlinePanel("sections", label=_("Sections")),
        InlinePanel("attachments", label=_("Attachments")),
        MultiFieldPanel(
            [
                FieldPanel("topics"),
                FieldPanel("districts"),
                FieldRowPanel(
                    [FieldPanel("producer_type"), FieldPanel("producer_name")]
                ),
                FieldPanel("contact"),
            ],
            heading=_("Details"),
        ),
    ]
    participation_panels = [
        FieldPanel("status"),
        FieldRowPanel(
            [FieldPanel("comments_open_at"), FieldPanel("comments_close_at")]
        ),
        FieldPanel("allow_anonymous"),
        FieldPanel("premoderated"),
        FieldPanel("report_threshold"),
    ]
    answer_panels = [FieldPanel("answer")]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(participation_panels, heading=_("Participation")),
            ObjectList(answer_panels, heading=_("City's answer")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
        ]
    )
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("status"),
    ]

    class Meta:
        verbose_name = _("planned service")
        verbose_name_plural = _("planned services")

    @property
    def city(self) -> City | None:
        """The city of the parent CityPage (cached per instance)."""
        if not hasattr(self, "_city_cache"):
            from cms.models import CityPage

            parent = CityPage.objects.filter(
                path=self.path[: -self.steplen]
            ).select_related("city")
            city_page = parent.first()
            self._city_cache = city_page.city if city_page else None
        return self._city_cache

    @property
    def discussion_key(self) -> str:
        # Translations share the thread: they share the translation key.
        return str(self.translation_key)

    def comments_accepted_now(self, now=None) -> bool:
        now = now or timezone.now()
        if self.status != Lifecycle.OPEN:
            return False
        if self.comments_open_at and now < self.comments_open_at:
            return False
        return not (self.comments_close_at and now >= self.comments_close_at)

    @property
    def answer_is_public(self) -> bool:
        return self.answer_published_at is not None and self.status in (
            Lifecycle.ANSWERED,
            Lifecycle.DECIDED,
        )

    def get_context(self, request, *args, **kwargs):
        from participation.views import service_page_context

        context = super().get_context(request, *args, **kwargs)
        if getattr(request, "is_preview", False):
            # A preview shows the content only: no discussions are created for it.
            context["sections"] = list(self.sections.all())
            return context
        context.update(service_page_context(request, self))
        return context


class PlannedServiceSection(Orderable):
    """A section of a planned service; `key` stays the same across revisions and
    translations, so the section's discussion survives edits."""

    page = ParentalKey(
        PlannedServicePage, on_delete=models.CASCADE, related_name="sections"
    )
    key = models.UUIDField(default=uuid.uuid4, editable=False, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    body = RichTextField(
        _("text"), blank=True, features=["bold", "italic", "link", "ol", "ul"]
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    question = models.CharField(_("question to residents"), max_length=300, blank=True)
    answer = RichTextField(
        _("how input on this section was used"),
        blank=True,
        features=["bold", "italic", "link", "ol", "ul"],
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("body"),
        FieldPanel("image"),
        FieldPanel("question"),
        FieldPanel("answer"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self) -> str:
        return self.title

    @property
    def discussion_key(self) -> str:
        return str(self.key)


class PlannedServiceAttachment(Orderable):
    page = ParentalKey(
        PlannedServicePage, on_delete=models.CASCADE, related_name="attachments"
    )
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=200, blank=True)

    panels = [FieldPanel("document"), FieldPanel("title")]
