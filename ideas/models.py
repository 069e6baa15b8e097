"""Service dreams: what residents wish existed, who supports it, what became of it.

A `Dream` is told by a registered user (`author`) or an anonymous participant
(`nickname` + a random `anonymous_key`, where the city allows it). People support it
(`DreamSupport`, one per person, withdrawable); `support_count` is kept exact by the
services, and `trend` (the supports of the last `TRENDING_DAYS`) by the services
and an hourly job. Facilitators and editors move it through its statuses
(`DreamStatusChange` records who, when and the public reason), merge duplicates
(`merged_into`) and link it to the workshop or planned service it went into
(`DreamLink`).
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import REMOVED_USER_LABEL
from core.models import City, District, TimeStampedModel, Topic
from core.text.fields import TextLanguageField
from core.text.search import LemmaIndex, SearchTermsField

TITLE_MAX_LENGTH = 120
DESCRIPTION_MAX_LENGTH = 4000
CHANGE_MAX_LENGTH = 2000
NICKNAME_MAX_LENGTH = 40
REASON_MAX_LENGTH = 2000
MAX_TOPICS = 5
# "Trending": the supports a dream gathered in this many days.
TRENDING_DAYS = 7


class TargetGroup(models.TextChoices):
    EVERYONE = "everyone", _("Everyone")
    CHILDREN = "children", _("Children")
    YOUNG_PEOPLE = "young_people", _("Young people")
    FAMILIES = "families", _("Families with children")
    WORKING_AGE = "working_age", _("Working-age adults")
    SENIORS = "seniors", _("Seniors")
    IMMIGRANTS = "immigrants", _("Immigrants")
    DISABILITIES = "disabilities", _("People with disabilities")
    STUDENTS = "students", _("Students")
    BUSINESSES = "businesses", _("Businesses and associations")


class DreamStatus(models.TextChoices):
    NEW = "new", pgettext_lazy("dream status", "New")
    UNDER_REVIEW = "under_review", pgettext_lazy("dream status", "Under review")
    IN_WORKSHOP = "in_workshop", pgettext_lazy("dream status", "Taken to a workshop")
    IN_PLANNING = "in_planning", pgettext_lazy("dream status", "In planning")
    REALISED = "realised", pgettext_lazy("dream status", "Realised")
    NOT_PURSUED = "not_pursued", pgettext_lazy("dream status", "Not pursued")
    MERGED = "merged", pgettext_lazy("dream status", "Merged into another dream")


# Where a facilitator may move a dream from each status. MERGED is reached only
# through `dream_merge`, and never left.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    DreamStatus.NEW: frozenset(
        {DreamStatus.UNDER_REVIEW, DreamStatus.IN_WORKSHOP, DreamStatus.NOT_PURSUED}
    ),
    DreamStatus.UNDER_REVIEW: frozenset(
        {
            DreamStatus.NEW,
            DreamStatus.IN_WORKSHOP,
            DreamStatus.IN_PLANNING,
            DreamStatus.NOT_PURSUED,
        }
    ),
    DreamStatus.IN_WORKSHOP: frozenset(
        {DreamStatus.UNDER_REVIEW, DreamStatus.IN_PLANNING, DreamStatus.NOT_PURSUED}
    ),
    DreamStatus.IN_PLANNING: frozenset(
        {DreamStatus.IN_WORKSHOP, DreamStatus.REALISED, DreamStatus.NOT_PURSUED}
    ),
    DreamStatus.REALISED: frozenset({DreamStatus.IN_PLANNING}),
    DreamStatus.NOT_PURSUED: frozenset({DreamStatus.UNDER_REVIEW}),
    DreamStatus.MERGED: frozenset(),
}
# Closed dreams take no supports and are not taken to workshops.
CLOSED_STATUSES = frozenset({DreamStatus.MERGED, DreamStatus.NOT_PURSUED})
# A public reason is required when a dream is turned down (and for every merge).
REASON_REQUIRED = frozenset({DreamStatus.NOT_PURSUED, DreamStatus.MERGED})


class DreamSource(models.TextChoices):
    WEB = "web", _("Told on the website")
    WORKSHOP = "workshop", _("From a workshop card")
    IMPORT = "import", _("Imported")


class IdeasCitySettings(models.Model):
    """Per-city switches for dreams (anonymous participation is off by default)."""

    city = models.OneToOneField(
        City, on_delete=models.CASCADE, related_name="ideas_settings"
    )
    allow_anonymous = models.BooleanField(
        _("allow anonymous dreams and supports"),
        default=False,
        help_text=_("Anonymous participants give a nickname instead of logging in."),
    )

    class Meta:
        verbose_name = _("dream settings for a city")
        verbose_name_plural = _("dream settings for cities")

    def __str__(self) -> str:
        return str(self.city)


class Dream(TimeStampedModel):
    """A service someone dreams of. `city` empty means: for all cities."""

    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    description = models.TextField(_("description"), max_length=DESCRIPTION_MAX_LENGTH)
    target_group = models.CharField(
        _("who it is for"), max_length=20, choices=TargetGroup.choices
    )
    what_would_change = models.TextField(
        _("what it would change for them"), max_length=CHANGE_MAX_LENGTH, blank=True
    )
    city = models.ForeignKey(
        City,
        verbose_name=_("city"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dreams",
    )
    # The city's shared, translated districts and topics (core): statistics and
    # filters per district mean the same as for planned services.
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dreams",
    )
    topics = models.ManyToManyField(
        Topic, verbose_name=_("topics"), blank=True, related_name="dreams"
    )
    # The language of the title and description (fi/sv/en): the page's when told,
    # correctable by staff on the triage page; search analyses the text in it.
    language = TextLanguageField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dreams",
    )
    nickname = models.CharField(
        _("nickname"), max_length=NICKNAME_MAX_LENGTH, blank=True
    )
    # The anonymous dreamer's random key: the open-data pseudonym derives from it.
    anonymous_key = models.UUIDField(null=True, blank=True, db_index=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=DreamStatus.choices,
        default=DreamStatus.NEW,
    )
    support_count = models.PositiveIntegerField(_("supports"), default=0)
    # Supports given since `trending_since()`: added to and taken from with each
    # support by the services, recomputed for every dream by the hourly
    # `refresh_trends` job as the window moves on (so a support leaves it within
    # an hour of ageing out). Denormalised so that "trending" is an index scan.
    trend = models.PositiveIntegerField(_("supports this week"), default=0)
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_dreams",
    )
    source = models.CharField(
        _("source"), max_length=20, choices=DreamSource.choices, default="web"
    )
    # Title, description and what would change, analysed (`core.text`); written by
    # the ideas services whenever the text, its language or the merges change.
    search_terms = SearchTermsField()

    class Meta:
        verbose_name = _("dream")
        verbose_name_plural = _("dreams")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The list's sort orders, alone and within a city.
            models.Index(fields=["-support_count", "-id"], name="dream_supported_idx"),
            models.Index(fields=["-created_at", "-id"], name="dream_newest_idx"),
            models.Index(
                fields=["city", "-support_count", "-id"],
                name="dream_city_supported_idx",
            ),
            models.Index(fields=["-trend", "-id"], name="dream_trending_idx"),
            models.Index(
                fields=["city", "-trend", "-id"], name="dream_city_trending_idx"
            ),
            models.Index(fields=["status", "city"], name="dream_status_city_idx"),
            models.Index(fields=["target_group"], name="dream_target_group_idx"),
            LemmaIndex(field="search_terms", name="ideas_dream_lemmas"),
        ]
        # No database check that a dream has a dreamer: `dream_create` requires one,
        # but a dreamer may later delete their account, and the dream then stays,
        # by "removed user" (the author is SET_NULL), like a comment does.
        constraints = [
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("id")),
                name="dream_not_merged_into_itself",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("ideas:dream_detail", args=[self.pk])

    @property
    def dreamer_label(self) -> str:
        """The public name shown next to the dream (never an e-mail)."""
        if self.author_id is not None and self.author is not None:
            return self.author.display_name
        if self.nickname:
            return self.nickname
        if self.source != DreamSource.WEB:
            return ""  # a workshop's or an import's: nobody's, not a removed user's
        return str(REMOVED_USER_LABEL) if self.anonymous_key is None else ""

    @property
    def is_merged(self) -> bool:
        return self.status == DreamStatus.MERGED

    @property
    def is_closed(self) -> bool:
        """Closed dreams take no new supports."""
        return self.status in CLOSED_STATUSES


def trending_since() -> datetime:
    """Where the trending window starts: `TRENDING_DAYS` back from the start of
    the current hour (the hourly job moves it on)."""
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    return hour - timedelta(days=TRENDING_DAYS)


class DreamSupport(TimeStampedModel):
    """One person's support for one dream: a user, or an anonymous key.

    Deleting an account keeps the support (user set to null) so counts stay exact.
    """

    dream = models.ForeignKey(Dream, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dream_supports",
    )
    anonymous_key = models.UUIDField(null=True, blank=True)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(
                fields=["dream", "user"],
                condition=Q(user__isnull=False),
                name="one_support_per_user",
            ),
            models.UniqueConstraint(
                fields=["dream", "anonymous_key"],
                condition=Q(anonymous_key__isnull=False),
                name="one_support_per_anonymous_key",
            ),
        ]
        indexes = [
            # Trending: supports of the last days, per dream.
            models.Index(fields=["created_at", "dream"], name="support_recent_idx"),
        ]


class DreamStatusChange(models.Model):
    """One step in a dream's history: from, to, who, when and the public reason."""

    dream = models.ForeignKey(
        Dream, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=20, choices=DreamStatus.choices)
    to_status = models.CharField(max_length=20, choices=DreamStatus.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_at = models.DateTimeField(auto_now_add=True, db_index=True)
    reason = models.TextField(
        _("public reason"), max_length=REASON_MAX_LENGTH, blank=True
    )

    class Meta:
        ordering = ["changed_at", "id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")


class DreamLinkKind(models.TextChoices):
    PLANNED_SERVICE = "planned_service", _("Planned service")
    WORKSHOP = "workshop", _("Workshop")


class DreamLink(TimeStampedModel):
    """Where a dream went: a planned service page or a workshop.

    `page` points at any Wagtail page (the planned service pages live in
    `participation`). `workshop_id` is the id of a `workshops.Workshop`, kept as a
    plain integer on purpose: apps depend one way (ideas <- workshops), so ideas
    holds no ForeignKey, import or migration dependency on workshops. The precise
    card-level links live on the workshops side (`workshops.Card.from_dream` and
    `became_dream`, ForeignKeys to `Dream`), and the workshops services write this
    row through `dream_link_add` / `dream_create_from_card` whenever a dream meets
    a workshop. The dream page turns `workshop_id` into the workshop's current
    title and address through the resolver the workshops app registers with
    `ideas.selectors.register_workshop_resolver` (`label` is the fallback when no
    resolver is registered or the workshop was deleted).
    """

    dream = models.ForeignKey(Dream, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(max_length=20, choices=DreamLinkKind.choices)
    page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="dream_links",
    )
    workshop_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    label = models.CharField(_("label"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("dream link")
        verbose_name_plural = _("dream links")
        constraints = [
            models.CheckConstraint(
                condition=(Q(page__isnull=False) & Q(workshop_id__isnull=True))
                | (Q(page__isnull=True) & Q(workshop_id__isnull=False)),
                name="dream_link_one_target",
            ),
            models.UniqueConstraint(
                fields=["dream", "page"],
                condition=Q(page__isnull=False),
                name="dream_link_unique_page",
            ),
            models.UniqueConstraint(
                fields=["dream", "workshop_id"],
                condition=Q(workshop_id__isnull=False),
                name="dream_link_unique_workshop",
            ),
        ]
