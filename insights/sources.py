"""What each app contributes to insight: one adapter per app, the definitions in code.

Insight sits above every app it counts, so it reads their models and selectors
here instead of asking them to register (nothing below may import insights). Each
adapter yields `Contribution`s made in a time range, in a fixed number of queries
whatever the number of rows; the rollups (`insights/rollups.py`) are built from
nothing else, so the definitions below are the only place where "what counts" is
decided. README, "Insight: definitions", is the same list in words.

- A **contribution** is one of `Kind`: a visible comment or reply (the
  discussions' public rule: hidden, pending and deleted ones never count), a
  support or an opposition of a planned service, a dream told on the website, a
  dream support, a workshop card (not hidden, not placed from a dream), a
  facilitator's own card (a kind of its own, never a participant), a feedback
  item (not withdrawn), an advice chat (not blocked). Votes on cards and likes
  are not counted: they are reactions to someone else's contribution.
- A **participant** is a key: a signed-in person is `u:<user>` on every channel;
  an anonymous actor `a:<key>`, a workshop name `w:<key>`, a feedback sender
  without an account `f:<item>`, an advice resident without one `c:<chat>` are
  each their own group and never merged with anyone by guessing. A paper card has
  no participant (the platform cannot tell who wrote it).
- The **channel** says how it reached the platform (`Channel`); the **day** is
  its local date (`created_at`, for feedback `requested_at`).
- **Facets** place it: the city, and where it applies the planned service (its
  translation key: all language versions are one service), the workshop, the
  dream topics, the districts and topics (core's shared ones).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Kind:
    COMMENT = "comment"
    REPLY = "reply"
    SUPPORT = "support"
    OPPOSE = "oppose"
    DREAM = "dream"
    DREAM_SUPPORT = "dream_support"
    CARD = "card"
    FACILITATOR_CARD = "facilitator_card"
    FEEDBACK = "feedback"
    ADVICE_CHAT = "advice_chat"


KIND_LABELS = {
    Kind.COMMENT: _("comments"),
    Kind.REPLY: _("replies"),
    Kind.SUPPORT: _("supports of planned services"),
    Kind.OPPOSE: _("oppositions of planned services"),
    Kind.DREAM: _("service dreams"),
    Kind.DREAM_SUPPORT: _("dream supports"),
    Kind.CARD: _("workshop cards"),
    Kind.FACILITATOR_CARD: _("facilitators' own cards"),
    Kind.FEEDBACK: _("feedback items"),
    Kind.ADVICE_CHAT: _("advice chats"),
}


class Channel:
    WEB = "web"
    WORKSHOP_ONLINE = "workshop_online"
    WORKSHOP_IN_PERSON = "workshop_in_person"
    FEEDBACK_FORM = "feedback_form"
    FEEDBACK_API = "feedback_api"
    ADVICE_CHAT = "advice_chat"


CHANNEL_LABELS = {
    Channel.WEB: pgettext_lazy("insight channel", "Website"),
    Channel.WORKSHOP_ONLINE: pgettext_lazy("insight channel", "Workshop online"),
    Channel.WORKSHOP_IN_PERSON: pgettext_lazy(
        "insight channel", "Workshop in person or on paper"
    ),
    Channel.FEEDBACK_FORM: pgettext_lazy("insight channel", "Feedback form"),
    Channel.FEEDBACK_API: pgettext_lazy("insight channel", "Feedback API or import"),
    Channel.ADVICE_CHAT: pgettext_lazy("insight channel", "Advice chat"),
}
CHANNELS = list(CHANNEL_LABELS)

# The participant groups, by key prefix: never merged with each other.
GROUPS = {
    "u": "signed_in",
    "a": "anonymous",
    "w": "workshop_name",
    "f": "feedback_sender",
    "c": "advice_resident",
}


class Facet:
    CITY = "city"
    SERVICE = "service"
    WORKSHOP = "workshop"
    DREAM_TOPIC = "dream_topic"
    DISTRICT = "district"
    TOPIC = "topic"


@dataclass(frozen=True)
class Contribution:
    city_id: int
    when: datetime
    kind: str
    channel: str
    public: bool
    participant: str  # "u:12", "a:<uuid>" …; "" when nobody can be told
    user_id: int | None
    facets: tuple[tuple[str, str], ...]  # besides the city's own

    @property
    def group(self) -> str:
        return GROUPS[self.participant[0]] if self.participant else ""


def person(user_id: int | None, anonymous_key: object | None) -> str:
    if user_id is not None:
        return f"u:{user_id}"
    if anonymous_key is not None:
        return f"a:{anonymous_key}"
    return ""  # a removed user: the contribution stays, the person is gone


@dataclass(frozen=True)
class Source:
    """One app's contributions: `rows(start, end)` yields those made in
    [start, end); `model` and `date_field` tell the rollups which rows changed."""

    name: str
    model: Callable[[], type]
    date_field: str
    rows: Callable[[datetime, datetime, Context], Iterator[Contribution]]

    def changed_months(self, since: datetime | None) -> set[date]:
        """First days of the months holding rows changed after `since` (all if None)."""
        qs: QuerySet = self.model()._default_manager.all()
        if since is not None:
            qs = qs.filter(updated_at__gt=since)
        months = qs.order_by().datetimes(
            self.date_field, "month", tzinfo=timezone.get_current_timezone()
        )
        return {m.date() for m in months}


class Context:
    """Lookups several adapters share, read once per refresh (two queries each)."""

    def __init__(self) -> None:
        self._services: dict | None = None
        self._dreams: dict | None = None

    def services(self) -> tuple[dict[str, tuple], dict[str, str]]:
        """translation key → (public, facets); section key → translation key."""
        if self._services is None:
            from participation.models import PlannedServicePage, PlannedServiceSection

            pages: dict[str, dict] = {}
            rows = PlannedServicePage.objects.values_list(
                "translation_key", "live", "districts", "topics"
            ).order_by()
            for key, live, district, topic in rows:
                page = pages.setdefault(
                    str(key), {"live": False, "districts": set(), "topics": set()}
                )
                page["live"] |= live
                if district:
                    page["districts"].add(str(district))
                if topic:
                    page["topics"].add(str(topic))
            services = {
                key: (
                    page["live"],
                    ((Facet.SERVICE, key),)
                    + tuple((Facet.DISTRICT, d) for d in sorted(page["districts"]))
                    + tuple((Facet.TOPIC, t) for t in sorted(page["topics"])),
                )
                for key, page in pages.items()
            }
            sections = {
                str(section_key): str(page_key)
                for section_key, page_key in PlannedServiceSection.objects.values_list(
                    "key", "page__translation_key"
                ).order_by()
            }
            self._services = (services, sections)
        return self._services

    def dreams(self) -> dict[int, tuple[int | None, tuple]]:
        """dream id → (city id, facets) for every dream with a city."""
        if self._dreams is None:
            from ideas.models import Dream

            topics = defaultdict(list)
            for dream_id, topic_id in Dream.topics.through.objects.values_list(
                "dream_id", "topic_id"
            ).order_by("topic_id"):
                topics[dream_id].append(str(topic_id))
            self._dreams = {}
            for dream_id, city_id, district_id in Dream.objects.filter(
                city__isnull=False
            ).values_list("id", "city_id", "district_id"):
                facets = tuple(
                    f
                    for t in topics[dream_id]
                    for f in ((Facet.DREAM_TOPIC, t), (Facet.TOPIC, t))
                )
                if district_id:
                    facets += ((Facet.DISTRICT, str(district_id)),)
                self._dreams[dream_id] = (city_id, facets)
        return self._dreams


def _service_of(ctx: Context, target_type: str, target_key: str) -> tuple | None:
    from participation.selectors import PAGE_TARGET, SECTION_TARGET

    services, sections = ctx.services()
    if target_type == SECTION_TARGET:
        target_key = sections.get(target_key, "")
    elif target_type != PAGE_TARGET:
        return None
    return services.get(target_key)


DREAM_TARGET = "ideas.dream"


def comments(start: datetime, end: datetime, ctx: Context) -> Iterator[Contribution]:
    from discussions.models import Comment
    from discussions.rules import public_comments_q

    rows = (
        Comment.objects.filter(public_comments_q(), created_at__gte=start)
        .filter(created_at__lt=end)
        .values_list(
            "discussion__city_id",
            "created_at",
            "parent_id",
            "author_id",
            "anonymous_key",
            "discussion__target_type",
            "discussion__target_key",
        )
        .order_by()
    )
    for city_id, when, parent, author, anon, target_type, target_key in rows:
        facets: tuple = ()
        if target_type == DREAM_TARGET:
            city_id, facets = ctx.dreams().get(int(target_key), (None, ()))
        else:
            service = _service_of(ctx, target_type, target_key)
            if service is not None:
                facets = service[1]
        if city_id is None:
            continue  # a dream for all cities: no city's figures
        yield Contribution(
            city_id=city_id,
            when=when,
            kind=Kind.REPLY if parent else Kind.COMMENT,
            channel=Channel.WEB,
            public=True,
            participant=person(author, anon),
            user_id=author,
            facets=facets,
        )


def positions(start: datetime, end: datetime, ctx: Context) -> Iterator[Contribution]:
    from discussions.models import DiscussionSupport, SupportValue
    from participation.selectors import PAGE_TARGET

    rows = (
        DiscussionSupport.objects.filter(
            discussion__target_type=PAGE_TARGET,
            discussion__city__isnull=False,
            created_at__gte=start,
            created_at__lt=end,
        )
        .values_list(
            "discussion__city_id",
            "created_at",
            "user_id",
            "value",
            "discussion__target_key",
        )
        .order_by()
    )
    for city_id, when, user_id, value, key in rows:
        public, facets = _service_of(ctx, PAGE_TARGET, key) or (False, ())
        yield Contribution(
            city_id=city_id,
            when=when,
            kind=Kind.SUPPORT if value == SupportValue.SUPPORT else Kind.OPPOSE,
            channel=Channel.WEB,
            public=public,
            participant=person(user_id, None),
            user_id=user_id,
            facets=facets,
        )


def dreams(start: datetime, end: datetime, ctx: Context) -> Iterator[Contribution]:
    from ideas.models import Dream, DreamSource

    # Dreams made from a workshop card are that card again, and imported ones
    # were not told here: only dreams told on the website are contributions.
    rows = (
        Dream.objects.filter(
            source=DreamSource.WEB,
            city__isnull=False,
            created_at__gte=start,
            created_at__lt=end,
        )
        .values_list("id", "created_at", "author_id", "anonymous_key")
        .order_by()
    )
    for dream_id, when, author, anon in rows:
        city_id, facets = ctx.dreams()[dream_id]
        yield Contribution(
            city_id=city_id,
            when=when,
            kind=Kind.DREAM,
            channel=Channel.WEB,
            public=True,
            participant=person(author, anon),
            user_id=author,
            facets=facets,
        )


def dream_supports(
    start: datetime, end: datetime, ctx: Context
) -> Iterator[Contribution]:
    from ideas.models import DreamSupport

    rows = (
        DreamSupport.objects.filter(
            dream__city__isnull=False, created_at__gte=start, created_at__lt=end
        )
        .values_list("dream_id", "created_at", "user_id", "anonymous_key")
        .order_by()
    )
    for dream_id, when, user_id, anon in rows:
        city_id, facets = ctx.dreams()[dream_id]
        yield Contribution(
            city_id=city_id,
            when=when,
            kind=Kind.DREAM_SUPPORT,
            channel=Channel.WEB,
            public=True,
            participant=person(user_id, anon),
            user_id=user_id,
            facets=facets,
        )


def cards(start: datetime, end: datetime, ctx: Context) -> Iterator[Contribution]:
    from workshops.models import Card, Workshop
    from workshops.models import Channel as CardChannel

    facilitators = set(
        Workshop.facilitators.through.objects.values_list("workshop_id", "user_id")
    )
    rows = (
        Card.objects.filter(
            hidden=False,
            from_dream__isnull=True,
            created_at__gte=start,
            created_at__lt=end,
        )
        .values_list(
            "board__workshop_id",
            "board__workshop__city_id",
            "board__workshop__results_published",
            "created_at",
            "channel",
            "author_id",
            "author__user_id",
            "author__anonymous_key",
        )
        .order_by()
    )
    for workshop_id, city_id, public, when, channel, author, user_id, key in rows:
        kind, participant = Kind.CARD, ""
        if (workshop_id, user_id) in facilitators:
            kind, user_id = Kind.FACILITATOR_CARD, None
        elif user_id is not None:
            participant = f"u:{user_id}"
        elif author is not None:
            participant = f"w:{key}"
        yield Contribution(
            city_id=city_id,
            when=when,
            kind=kind,
            channel=Channel.WORKSHOP_IN_PERSON
            if channel == CardChannel.IN_PERSON
            else Channel.WORKSHOP_ONLINE,
            public=public,
            participant=participant,
            user_id=user_id,
            facets=((Facet.WORKSHOP, str(workshop_id)),),
        )


FEEDBACK_CHANNELS = {
    "web": Channel.FEEDBACK_FORM,
    "api": Channel.FEEDBACK_API,
    "import": Channel.FEEDBACK_API,
    "advice": Channel.ADVICE_CHAT,
}


def feedback(start: datetime, end: datetime, ctx: Context) -> Iterator[Contribution]:
    from feedback.models import FeedbackItem, Visibility

    rows = (
        FeedbackItem.objects.filter(
            withdrawn_at__isnull=True, requested_at__gte=start, requested_at__lt=end
        )
        .values_list(
            "id",
            "city_id",
            "requested_at",
            "channel",
            "visibility",
            "author_id",
            "anonymous_key",
            "district_id",
        )
        .order_by()
    )
    for item_id, city_id, when, channel, visibility, author, anon, district in rows:
        yield Contribution(
            city_id=city_id,
            when=when,
            kind=Kind.FEEDBACK,
            channel=FEEDBACK_CHANNELS.get(channel, Channel.FEEDBACK_FORM),
            public=visibility == Visibility.PUBLIC,
            participant=person(author, anon) or f"f:{item_id}",
            user_id=author,
            facets=((Facet.DISTRICT, str(district)),) if district else (),
        )


def advice(start: datetime, end: datetime, ctx: Context) -> Iterator[Contribution]:
    from advice.models import Chat

    rows = (
        Chat.objects.filter(
            Q(blocked=False),
            city__isnull=False,
            created_at__gte=start,
            created_at__lt=end,
        )
        .values_list("id", "city_id", "created_at", "resident_user_id")
        .order_by()
    )
    for chat_id, city_id, when, user_id in rows:
        yield Contribution(
            city_id=city_id,
            when=when,
            kind=Kind.ADVICE_CHAT,
            channel=Channel.ADVICE_CHAT,
            public=False,
            participant=f"u:{user_id}" if user_id else f"c:{chat_id}",
            user_id=user_id,
            facets=(),
        )


def _model(label: str) -> Callable[[], type]:
    def get() -> type:
        from django.apps import apps

        return apps.get_model(label)

    return get


SOURCES = [
    Source("comments", _model("discussions.Comment"), "created_at", comments),
    Source(
        "positions", _model("discussions.DiscussionSupport"), "created_at", positions
    ),
    Source("dreams", _model("ideas.Dream"), "created_at", dreams),
    Source(
        "dream_supports", _model("ideas.DreamSupport"), "created_at", dream_supports
    ),
    Source("cards", _model("workshops.Card"), "created_at", cards),
    Source("feedback", _model("feedback.FeedbackItem"), "requested_at", feedback),
    Source("advice", _model("advice.Chat"), "created_at", advice),
]


def contributions(start: datetime, end: datetime) -> Iterator[Contribution]:
    """Every contribution made in [start, end), from every source."""
    ctx = Context()
    for source in SOURCES:
        yield from source.rows(start, end, ctx)
