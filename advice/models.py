"""The advice desk (Infochat): advisors, their queues, chats and each chat's log.

A resident starts a `Chat` at `/advice/` for a city (or any city), a language and
an `AdviceTopic`. A chat waits in the queue of its (city, language) — first in,
first out by `queued_at` — until an advisor accepts it; outside opening hours, or
with nobody available, it is an offline question answered by e-mail. An advisor
is a user with the advisor role in a city (`accounts.Role.ADVISOR`) plus an
`AdvisorProfile` listing the languages they advise in.

Every change to a chat is written with a `ChatEvent` whose `seq` is the chat's
next, gap-free number (`core.realtime.streams`): the log the chat protocol
broadcasts and resyncs from. The actor of an event is a `ChatMember` (the
resident's side of the chat, or one advisor on it), so a retried `op` is applied
once per member. `ChatMessage` holds what was said; messages, events, notes, the
e-mail address and the rating comment go after the city's retention period
(`AdviceCitySettings.transcript_retention_days`), while the `Chat` row with its
times, topic, language and score stays as anonymous statistics.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import City, TimeStampedModel
from core.translation import TranslatedField

MESSAGE_TEXT_MAX = 2000
NOTE_TEXT_MAX = 2000
RATING_COMMENT_MAX = 1000
FIRST_QUESTION_MAX = 2000
DEFAULT_TRANSCRIPT_RETENTION_DAYS = 90
DEFAULT_MAX_CHATS = 3
MAX_CHATS_CAP = 10
# A presence row counts while its process renewed it within the lease (seconds).
PRESENCE_HEARTBEAT = 20
PRESENCE_LEASE = 60
# Sockets one chat (its resident's tabs) or one advisor's desk may hold open.
SOCKETS_PER_CHAT_MAX = 5
SOCKETS_PER_DESK_MAX = 5


def resident_key_hash(key: str) -> str:
    """What a chat stores of its resident's secret key (the browser keeps the key)."""
    return hashlib.sha256(key.encode()).hexdigest()


class AdvisorStatus(models.TextChoices):
    AVAILABLE = "available", pgettext_lazy("advisor status", "Available")
    AWAY = "away", pgettext_lazy("advisor status", "Away")


class ChatStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("chat status", "Waiting in the queue")
    OFFLINE = "offline", pgettext_lazy("chat status", "Offline question")
    ACTIVE = "active", pgettext_lazy("chat status", "In conversation")
    CLOSED = "closed", pgettext_lazy("chat status", "Closed")


class Author(models.TextChoices):
    RESIDENT = "resident", pgettext_lazy("chat author", "Resident")
    ADVISOR = "advisor", pgettext_lazy("chat author", "Advisor")
    SYSTEM = "system", pgettext_lazy("chat author", "System")


class AdviceCitySettings(models.Model):
    """Per-city settings of the advice desk."""

    city = models.OneToOneField(
        City, on_delete=models.CASCADE, related_name="advice_settings"
    )
    transcript_retention_days = models.PositiveIntegerField(
        _("keep transcripts for (days after the chat)"),
        default=DEFAULT_TRANSCRIPT_RETENTION_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
    )

    class Meta:
        verbose_name = _("advice desk settings for a city")
        verbose_name_plural = _("advice desk settings for cities")

    def __str__(self) -> str:
        return str(self.city)


class AdviceTopic(models.Model):
    """What a resident asks about (residence permits, work, housing …)."""

    slug = models.SlugField(_("slug"), unique=True, max_length=60)
    name_fi = models.CharField(_("name in Finnish"), max_length=100)
    name_sv = models.CharField(_("name in Swedish"), max_length=100, blank=True)
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    active = models.BooleanField(_("offered"), default=True)

    class Meta:
        ordering = ["position", "name_fi"]
        verbose_name = _("advice topic")
        verbose_name_plural = _("advice topics")

    def __str__(self) -> str:
        return self.name

    name = TranslatedField("name")


class AdvisorProfile(TimeStampedModel):
    """The languages, status and chat cap of a user with the advisor role.

    The cities come from the advisor role (`accounts.CityRole`); the profile adds
    what the role cannot say: the languages, the display name residents see, and
    whether the advisor takes chats now.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="advisor"
    )
    display_name = models.CharField(
        _("name shown to residents"),
        max_length=60,
        help_text=_("A first name or a nickname; residents see it in the chat."),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=AdvisorStatus.choices,
        default=AdvisorStatus.AWAY,
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    max_chats = models.PositiveSmallIntegerField(
        _("chats at once"),
        default=DEFAULT_MAX_CHATS,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_CHATS_CAP)],
    )

    class Meta:
        verbose_name = _("advisor")
        verbose_name_plural = _("advisors")
        constraints = [
            models.CheckConstraint(
                condition=Q(max_chats__gte=1) & Q(max_chats__lte=MAX_CHATS_CAP),
                name="advice_advisor_max_chats_range",
            ),
            models.CheckConstraint(
                condition=Q(status__in=AdvisorStatus.values),
                name="advice_advisor_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name


class AdvisorLanguage(models.Model):
    """One language an advisor advises in (ISO 639-1, `advice.languages`)."""

    advisor = models.ForeignKey(
        AdvisorProfile, on_delete=models.CASCADE, related_name="languages"
    )
    language = models.CharField(_("language"), max_length=8)

    class Meta:
        ordering = ["advisor", "language"]
        verbose_name = _("advisor's language")
        verbose_name_plural = _("advisor's languages")
        constraints = [
            models.UniqueConstraint(
                fields=["advisor", "language"], name="advice_advisor_language_once"
            )
        ]
        indexes = [models.Index(fields=["language"])]

    def __str__(self) -> str:
        return self.language


class OpeningHours(models.Model):
    """When a city's desk answers in a language on a weekday (local time).

    An empty `language` covers every language the city's advisors offer. A
    weekday may have several rows (a lunch break between them).
    """

    city = models.ForeignKey(
        City, on_delete=models.CASCADE, related_name="advice_opening_hours"
    )
    language = models.CharField(_("language"), max_length=8, blank=True)
    weekday = models.PositiveSmallIntegerField(
        _("weekday"),
        help_text=_("0 = Monday … 6 = Sunday"),
        validators=[MaxValueValidator(6)],
    )
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        ordering = ["city", "language", "weekday", "opens"]
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        constraints = [
            models.CheckConstraint(
                condition=Q(weekday__lte=6), name="advice_hours_weekday_valid"
            ),
            models.CheckConstraint(
                condition=Q(opens__lt=models.F("closes")),
                name="advice_hours_open_before_close",
            ),
        ]

    def __str__(self) -> str:
        language = self.language or "*"
        return f"{self.city} {language} {self.weekday} {self.opens}–{self.closes}"


class HolidayException(models.Model):
    """A date when a city's desk keeps other hours: closed, or open `opens`–`closes`."""

    city = models.ForeignKey(
        City, on_delete=models.CASCADE, related_name="advice_holidays"
    )
    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=100, blank=True)
    opens = models.TimeField(_("opens"), null=True, blank=True)
    closes = models.TimeField(_("closes"), null=True, blank=True)

    class Meta:
        ordering = ["city", "date"]
        verbose_name = _("holiday exception")
        verbose_name_plural = _("holiday exceptions")
        constraints = [
            models.UniqueConstraint(
                fields=["city", "date"], name="advice_holiday_once_a_day"
            ),
            # Closed all day (both empty) or open between the two.
            models.CheckConstraint(
                condition=Q(opens__isnull=True, closes__isnull=True)
                | Q(
                    opens__isnull=False,
                    closes__isnull=False,
                    opens__lt=models.F("closes"),
                ),
                name="advice_holiday_hours_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.city} {self.date}"


class CannedAnswer(TimeStampedModel):
    """A ready answer an advisor inserts (per language; a city's own or everyone's)."""

    city = models.ForeignKey(
        City,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="advice_canned_answers",
        help_text=_("Empty: offered to advisors of every city."),
    )
    language = models.CharField(_("language"), max_length=8)
    title = models.CharField(_("title"), max_length=100)
    text = models.TextField(_("text"), max_length=MESSAGE_TEXT_MAX)

    class Meta:
        ordering = ["language", "title"]
        verbose_name = _("canned answer")
        verbose_name_plural = _("canned answers")
        indexes = [models.Index(fields=["language", "city"])]

    def __str__(self) -> str:
        return self.title


class Chat(TimeStampedModel):
    """One conversation; `seq` is the number of the last event written to it.

    `city` empty: the resident chose "any city", and any advisor in the language
    may take it. `resident_key_hash` ties the chat to the browser session that
    started it (the resident's only credential: no account is needed).
    """

    seq = models.PositiveBigIntegerField(default=0)
    city = models.ForeignKey(
        City,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="advice_chats",
    )
    language = models.CharField(_("language"), max_length=8)
    topic = models.ForeignKey(
        AdviceTopic,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="chats",
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ChatStatus.choices,
        default=ChatStatus.QUEUED,
    )
    resident_key_hash = models.CharField(max_length=64, unique=True)
    resident_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="advice_chats",
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    origin_path = models.CharField(_("opened from"), max_length=500, blank=True)
    # The queue: first in, first out by `queued_at` per (city, language).
    queued_at = models.DateTimeField(null=True, blank=True)
    advisor = models.ForeignKey(
        AdvisorProfile,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="chats",
    )
    # Shown to the resident; kept as it was when the advisor accepted.
    advisor_name = models.CharField(max_length=60, blank=True)
    first_accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    blocked = models.BooleanField(default=False)
    transfers = models.PositiveSmallIntegerField(default=0)
    # Offline questions: answered by e-mail at this time.
    answered_by_email_at = models.DateTimeField(null=True, blank=True)
    rating = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rating_comment = models.TextField(blank=True, max_length=RATING_COMMENT_MAX)
    transcripts_sent = models.PositiveSmallIntegerField(default=0)
    # Set when the retention period removed the transcript (messages, events,
    # notes, e-mail address, rating comment); the row stays for statistics.
    transcript_purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("chat")
        verbose_name_plural = _("chats")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ChatStatus.values),
                name="advice_chat_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="advice_chat_rating_range",
            ),
            # An active chat has its advisor; a queued one has none.
            models.CheckConstraint(
                condition=~Q(status=ChatStatus.ACTIVE) | Q(advisor__isnull=False),
                name="advice_active_chat_has_advisor",
            ),
            models.CheckConstraint(
                condition=~Q(status=ChatStatus.QUEUED)
                | Q(advisor__isnull=True, queued_at__isnull=False),
                name="advice_queued_chat_waits",
            ),
            # An offline question is answered by e-mail: it needs the address.
            models.CheckConstraint(
                condition=~Q(status=ChatStatus.OFFLINE) | ~Q(email=""),
                name="advice_offline_chat_has_email",
            ),
        ]
        indexes = [
            models.Index(
                fields=["language", "city", "queued_at"],
                condition=Q(status="queued"),
                name="advice_chat_queue",
            ),
            models.Index(fields=["advisor", "status"], name="advice_chat_advisor"),
            models.Index(fields=["status", "closed_at"], name="advice_chat_closed"),
        ]

    def __str__(self) -> str:
        return f"chat {self.pk}"


class ChatMember(models.Model):
    """One side of a chat: its resident, or an advisor who has held it.

    The actor of the chat's events (`ChatEvent.member`): a retried `op` is
    applied once per member.
    """

    chat = models.ForeignKey(Chat, on_delete=models.CASCADE, related_name="members")
    role = models.CharField(max_length=16, choices=Author.choices)
    advisor = models.ForeignKey(
        AdvisorProfile,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="memberships",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["chat"],
                condition=Q(role="resident"),
                name="advice_one_resident_per_chat",
            ),
            models.UniqueConstraint(
                fields=["chat", "advisor"],
                condition=Q(role="advisor"),
                name="advice_advisor_member_once",
            ),
            models.CheckConstraint(
                condition=Q(role__in=["resident", "advisor"]),
                name="advice_member_role_valid",
            ),
        ]


class ChatMessage(models.Model):
    """What was said in a chat (kept as typed; escaped on every page)."""

    chat = models.ForeignKey(Chat, on_delete=models.CASCADE, related_name="messages")
    author = models.CharField(max_length=16, choices=Author.choices)
    member = models.ForeignKey(
        ChatMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The advisor's display name at the time, or empty.
    name = models.CharField(max_length=60, blank=True)
    text = models.TextField(max_length=MESSAGE_TEXT_MAX)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["chat", "id"]
        indexes = [models.Index(fields=["chat", "id"])]


class ChatNote(models.Model):
    """An advisor's internal note on a chat: never shown to the resident."""

    chat = models.ForeignKey(Chat, on_delete=models.CASCADE, related_name="notes")
    advisor = models.ForeignKey(
        AdvisorProfile, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(max_length=NOTE_TEXT_MAX)
    # The advisor's client-made id: a retried `note.add` is written once. Notes
    # are outside the chat's numbered log (a number would tell the resident one
    # exists), so the op is kept here.
    op = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["chat", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["advisor", "op"],
                condition=~Q(op=""),
                name="advice_note_advisor_op_once",
            )
        ]


class ChatEvent(models.Model):
    """The numbered log of a chat; `payload` is the event as broadcast."""

    chat = models.ForeignKey(Chat, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveBigIntegerField()
    type = models.CharField(max_length=32)
    op = models.CharField(max_length=64, blank=True)
    member = models.ForeignKey(
        ChatMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    private_to = models.ForeignKey(
        ChatMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    payload = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["chat", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["chat", "seq"], name="unique_chat_seq"),
            models.UniqueConstraint(
                fields=["member", "op"],
                condition=~Q(op=""),
                name="unique_chat_member_op",
            ),
        ]


class ChatPresence(models.Model):
    """One open socket on a chat or on the desk, held on a lease (as on boards)."""

    chat = models.ForeignKey(
        Chat, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    advisor = models.ForeignKey(
        AdvisorProfile,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    channel_name = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_seen = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["chat", "last_seen"]),
            models.Index(fields=["advisor", "last_seen"]),
        ]
