"""The texts themes are found in, each with whether anyone may see it, read through
each app's own visibility rule (never a copy of it):

- comments: visible ones (`discussions.rules.public_comments_q`: shown and on a
  public target) are public; comments waiting for moderation count for staff;
  hidden and deleted ones never;
- dreams: every dream but those merged into another (all dreams are public);
- cards: public once the workshop's results are published; cards still hidden
  in silent writing never;
- feedback: public items (`FeedbackItem.objects.public()`, their public, perhaps
  redacted, text) are public; the rest count for staff, as their public text too.

Each scope reads at most `TEXTS_PER_SCOPE` texts, the newest first.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from discussions.models import Comment, CommentStatus
from discussions.rules import public_comments_q
from feedback.models import FeedbackItem
from ideas.models import Dream, DreamStatus
from insights.themes.models import Scope, Source
from participation.selectors import PAGE_TARGET
from workshops.models import Card

TEXTS_PER_SCOPE = 10_000
# A scope with fewer texts gets no themes: there is nothing to group.
MIN_TEXTS = 6


@dataclass(frozen=True)
class Text:
    source: str
    object_id: int
    language: str
    text: str
    is_public: bool

    @property
    def ref(self) -> str:
        return f"{self.source}:{self.object_id}"


def _newest(queryset, fields: list[str]):
    return queryset.order_by("-created_at", "-pk").values(*fields)[:TEXTS_PER_SCOPE]


def comments(city_id: int, service_key: str | None = None) -> Iterator[Text]:
    qs = Comment.objects.filter(
        discussion__city_id=city_id,
        status__in=[CommentStatus.VISIBLE, CommentStatus.PENDING],
    )
    if service_key is not None:
        qs = qs.filter(
            discussion__target_type=PAGE_TARGET, discussion__target_key=service_key
        )
    public = set(qs.filter(public_comments_q()).values_list("pk", flat=True))
    for row in _newest(qs, ["pk", "language", "text"]):
        yield Text(
            Source.COMMENT, row["pk"], row["language"], row["text"], row["pk"] in public
        )


def dreams(city_id: int, topic_id: int | None = None) -> Iterator[Text]:
    qs = Dream.objects.filter(city_id=city_id).exclude(status=DreamStatus.MERGED)
    if topic_id is not None:
        qs = qs.filter(topics=topic_id)
    for row in _newest(qs, ["pk", "language", "title", "description"]):
        text = f"{row['title']}\n{row['description']}"
        yield Text(Source.DREAM, row["pk"], row["language"], text, True)


def cards(city_id: int, workshop_id: int | None = None) -> Iterator[Text]:
    qs = Card.objects.filter(board__workshop__city_id=city_id, hidden=False)
    if workshop_id is not None:
        qs = qs.filter(board__workshop_id=workshop_id)
    fields = ["pk", "language", "text", "board__workshop__results_published"]
    for row in _newest(qs, fields):
        yield Text(
            Source.CARD,
            row["pk"],
            row["language"],
            row["text"],
            row["board__workshop__results_published"],
        )


def feedback(city_id: int) -> Iterator[Text]:
    qs = FeedbackItem.objects.filter(city_id=city_id)
    public = set(qs.public().values_list("pk", flat=True))
    for row in _newest(qs, ["pk", "language", "public_title", "public_description"]):
        text = f"{row['public_title']}\n{row['public_description']}"
        yield Text(
            Source.FEEDBACK, row["pk"], row["language"], text, row["pk"] in public
        )


def scopes(city_id: int) -> Iterator[tuple[str, str, list[Text]]]:
    """Each (scope, key, texts) of the city with enough texts to group."""
    everything = [
        *comments(city_id),
        *dreams(city_id),
        *cards(city_id),
        *feedback(city_id),
    ]
    yield Scope.ALL, "", everything[: TEXTS_PER_SCOPE * 2]
    service_keys = (
        Comment.objects.filter(
            discussion__city_id=city_id, discussion__target_type=PAGE_TARGET
        )
        .values_list("discussion__target_key", flat=True)
        .distinct()
    )
    for key in service_keys:
        yield Scope.SERVICE, key, list(comments(city_id, key))
    workshop_ids = (
        Card.objects.filter(board__workshop__city_id=city_id)
        .values_list("board__workshop_id", flat=True)
        .distinct()
    )
    for workshop_id in workshop_ids:
        yield Scope.WORKSHOP, str(workshop_id), list(cards(city_id, workshop_id))
    topic_ids = (
        Dream.objects.filter(city_id=city_id, topics__isnull=False)
        .values_list("topics", flat=True)
        .distinct()
    )
    for topic_id in topic_ids:
        yield Scope.TOPIC, str(topic_id), list(dreams(city_id, topic_id))


def texts_of(refs: list[tuple[str, int]]) -> dict[tuple[str, int], str]:
    """The text of each (source, object id), as `sources` reads it: one query a
    source."""
    wanted: dict[str, list[int]] = {}
    for source, object_id in refs:
        wanted.setdefault(source, []).append(object_id)
    found: dict[tuple[str, int], str] = {}
    if wanted.get(Source.COMMENT):
        for pk, text in Comment.objects.filter(
            pk__in=wanted[Source.COMMENT]
        ).values_list("pk", "text"):
            found[(Source.COMMENT, pk)] = text
    if wanted.get(Source.DREAM):
        for pk, title in Dream.objects.filter(pk__in=wanted[Source.DREAM]).values_list(
            "pk", "title"
        ):
            found[(Source.DREAM, pk)] = title
    if wanted.get(Source.CARD):
        for pk, text in Card.objects.filter(pk__in=wanted[Source.CARD]).values_list(
            "pk", "text"
        ):
            found[(Source.CARD, pk)] = text
    if wanted.get(Source.FEEDBACK):
        for pk, title in FeedbackItem.objects.filter(
            pk__in=wanted[Source.FEEDBACK]
        ).values_list("pk", "public_title"):
            found[(Source.FEEDBACK, pk)] = title
    return found
