"""Datasets from planned services for comment: services, their sections, the
comments on them and the cities' responses."""

import uuid

from django.db.models import F, Q

from opendata.datasets import (
    AUTHOR,
    CREATED_AT_HOUR,
    DATETIME,
    ID,
    INTEGER,
    STRING,
    UPDATED_AT,
    Column,
    Dataset,
    register,
)
from opendata.filters import IdOrKeyFilter

TARGET_TYPES = {
    "participation.plannedservicepage": "service",
    "participation.plannedservicesection": "section",
    "feedback.feedbackitem": "feedback",
}


SECTION_TYPE = "participation.plannedservicesection"


def _comments_public() -> Q:
    from discussions.rules import public_comments_q

    return public_comments_q()


def _filter_section(queryset, name: str, value: int | uuid.UUID):
    """`section` is the section's key (shared by its translations) or its id."""
    from participation.models import PlannedServiceSection

    key = value
    if isinstance(value, int):
        key = (
            PlannedServiceSection.objects.filter(pk=value)
            .values_list("key", flat=True)
            .first()
        )
    if key is None:
        return queryset.none()
    return queryset.filter(
        discussion__target_type=SECTION_TYPE, discussion__target_key=str(key)
    )


def _comments():
    from django.db.models import F

    from discussions.models import Comment

    # Flat annotations rather than select_related: one object per row for the API,
    # plain value rows for the downloads (Dataset.flat_fields).
    return Comment.objects.annotate(
        city_slug=F("discussion__city__slug"),
        target_type=F("discussion__target_type"),
        target_key=F("discussion__target_key"),
    )


comments = register(
    Dataset(
        name="comments",
        title={
            "fi": "Kommentit suunniteltuihin palveluihin",
            "sv": "Kommentarer om planerade tjänster",
            "en": "Comments on planned services",
        },
        description={
            "fi": "Asukkaiden näkyvät kommentit ja vastaukset suunniteltuihin "
            "palveluihin ja niiden osioihin.",
            "sv": "Invånarnas synliga kommentarer och svar om planerade tjänster "
            "och deras avsnitt.",
            "en": "Residents' visible comments and replies on planned services "
            "and their sections.",
        },
        columns=[
            ID,
            Column(
                "city",
                STRING,
                "Slug of the city that asked (e.g. helsinki).",
                lambda o: o.city_slug,
                nullable=True,
            ),
            Column(
                "target_type",
                STRING,
                "What the comment is about: 'service' (a planned service), "
                "'section' (one section of it) or 'feedback' (an item of the "
                "feedback dataset).",
                lambda o: TARGET_TYPES.get(o.target_type, o.target_type),
            ),
            Column(
                "target",
                STRING,
                "Key of the service (its translation key) or of the section, "
                "matching `key` in the services and sections datasets; for "
                "feedback the item's `id`.",
                lambda o: o.target_key,
            ),
            Column(
                "parent",
                INTEGER,
                "Id of the comment this one replies to; empty for a top-level comment.",
                lambda o: o.parent_id,
                is_id=True,
                nullable=True,
            ),
            AUTHOR,
            Column("text", STRING, "The comment as plain text.", lambda o: o.text),
            Column(
                "language",
                STRING,
                "Language the comment is written in: fi, sv or en (as posted or "
                "corrected by its author or a moderator; guessed for comments "
                "from before it was recorded).",
                lambda o: o.language,
            ),
            Column(
                "stance",
                STRING,
                "The commenter's stance: for, against, neutral or empty.",
                lambda o: o.stance,
            ),
            Column(
                "like_count",
                INTEGER,
                "How many people liked it.",
                lambda o: o.like_count,
            ),
            Column(
                "reply_count",
                INTEGER,
                "How many visible replies it has.",
                lambda o: o.reply_count,
            ),
            CREATED_AT_HOUR,
            UPDATED_AT,
        ],
        base_queryset=_comments,
        public=_comments_public,
        # Shown once: a comment rejected or withdrawn while it awaited moderation
        # never was (see discussions 0004 for the comments from before the record).
        ever_public=Q(first_published_at__isnull=False),
        filters={"city": "discussion__city__slug"},
        extra_filters={
            "target": ("discussion__target_key", "Key of the service or section."),
            "section": IdOrKeyFilter(
                method=_filter_section,
                help_text="Only comments on this section: its `key` (shared by its "
                "language versions) or its `id`, from the sections dataset.",
            ),
            "stance": ("stance", "for, against or neutral."),
        },
        authored=True,
        flat_fields=(
            "pk",
            "city_slug",
            "target_type",
            "target_key",
            "parent_id",
            "author_id",
            "anonymous_key",
            "text",
            "language",
            "stance",
            "like_count",
            "reply_count",
            "created_hour",
            "updated_at",
        ),
        copy_fields={
            "id": "pk",
            "city": "city_slug",
            "target_type": ("target_type", TARGET_TYPES),
            "target": "target_key",
            "parent": "parent_id",
            "text": "text",
            "language": "language",
            "stance": "stance",
            "like_count": "like_count",
            "reply_count": "reply_count",
            "created_at": "created_hour",
            "updated_at": "updated_at",
        },
        copy_unguarded=frozenset({"target_type", "language", "stance"}),
    )
)


def _services():
    from django.db.models import F
    from django.db.models.functions import Coalesce, Greatest

    from participation.models import PlannedServicePage

    # Pages have no updated_at: a page changes when it is published (or revised).
    return (
        PlannedServicePage.objects.filter(first_published_at__isnull=False)
        .select_related("locale", "state")
        .annotate(
            # The status and comment period are the state's, shared by every
            # language version: its change changes each version's row.
            updated_at=Greatest(
                Coalesce(F("last_published_at"), F("first_published_at")),
                Coalesce(F("latest_revision_created_at"), F("first_published_at")),
                Coalesce(F("state__updated_at"), F("first_published_at")),
            ),
            created_at=F("first_published_at"),
            city_slug=F("city__slug"),
        )
    )


def _plain(html: str) -> str:
    from django.utils.html import strip_tags

    return strip_tags(html or "").strip()


SERVICE_KEY = Column(
    "key",
    STRING,
    "Key of the service, shared by its language versions; comments' `target`.",
    lambda o: str(o.translation_key),
)
PAGE_CITY = Column(
    "city",
    STRING,
    "Slug of the city that plans the service.",
    lambda o: o.city_slug,
    nullable=True,
)
PAGE_LANGUAGE = Column(
    "language",
    STRING,
    "Language of this version (fi, sv or en).",
    lambda o: o.locale.language_code,
)
PAGE_CREATED = Column(
    "created_at",
    DATETIME,
    "When the service was first published.",
    lambda o: o.created_at,
)

services = register(
    Dataset(
        name="services",
        title={
            "fi": "Suunnitellut palvelut",
            "sv": "Planerade tjänster",
            "en": "Planned services",
        },
        description={
            "fi": "Kaupunkien kommentoitavaksi julkaisemat suunnitellut palvelut.",
            "sv": "Planerade tjänster som städerna har publicerat för kommentarer.",
            "en": "Planned services the cities published for comment.",
        },
        columns=[
            ID,
            SERVICE_KEY,
            PAGE_CITY,
            PAGE_LANGUAGE,
            Column("title", STRING, "Name of the service.", lambda o: o.title),
            Column("summary", STRING, "Short summary.", lambda o: o.summary),
            Column(
                "description",
                STRING,
                "The description as plain text.",
                lambda o: _plain(o.body),
            ),
            Column(
                "status",
                STRING,
                "Lifecycle: planning, open, closed, answered, decided or withdrawn.",
                lambda o: o.status,
            ),
            Column(
                "producer_type",
                STRING,
                "Who would produce the service (city, company, association, …).",
                lambda o: o.producer_type,
            ),
            Column(
                "producer_name",
                STRING,
                "Name of the producer, if known.",
                lambda o: o.producer_name,
            ),
            Column(
                "comments_open_at",
                DATETIME,
                "When commenting opens.",
                lambda o: o.comments_open_at,
                nullable=True,
            ),
            Column(
                "comments_close_at",
                DATETIME,
                "When commenting closes.",
                lambda o: o.comments_close_at,
                nullable=True,
            ),
            PAGE_CREATED,
            UPDATED_AT,
        ],
        base_queryset=_services,
        public=Q(live=True),
        ever_public=Q(first_published_at__isnull=False),
        filters={"city": "city_slug"},
        extra_filters={
            "status": ("state__status", "Lifecycle status, e.g. open."),
            "language": ("locale__language_code", "Language version: fi, sv or en."),
            "key": ("translation_key", "Key of the service."),
        },
    )
)


def _responses():
    from django.db.models import F
    from django.db.models.functions import Coalesce, Greatest

    # A row changes when the answer is published and when its copy is published
    # again (its text edited or removed: then the row becomes a tombstone).
    return (
        _services()
        .filter(state__answer_published_at__isnull=False)
        .annotate(
            updated_at=Greatest(
                F("state__answer_published_at"),
                Coalesce(F("last_published_at"), F("state__answer_published_at")),
            )
        )
    )


# One row per language the answer is written in: a language version without an
# answer of its own (its page shows another version's, marked) has no row, so no
# row's answer is empty. Text is what is left of the rich text outside its tags.
ANSWER_WRITTEN = Q(answer__regex=r"(^|>)[^<]*[^<\s]")


responses = register(
    Dataset(
        name="responses",
        title={
            "fi": "Kaupunkien vastaukset",
            "sv": "Städernas svar",
            "en": "The cities' responses",
        },
        description={
            "fi": "Miten asukkaiden palaute käytettiin: kaupungin vastaus palveluun.",
            "sv": "Hur invånarnas respons användes: stadens svar om tjänsten.",
            "en": "How residents' input was used: the city's answer on a service.",
        },
        columns=[
            ID,
            SERVICE_KEY,
            PAGE_CITY,
            PAGE_LANGUAGE,
            Column(
                "status",
                STRING,
                "Status of the service: answered or decided.",
                lambda o: o.status,
            ),
            Column(
                "answer",
                STRING,
                "The city's answer as plain text, in the row's language. A language "
                "version without an answer of its own has no row.",
                lambda o: _plain(o.answer),
            ),
            PAGE_CREATED,
            UPDATED_AT,
        ],
        base_queryset=_responses,
        public=Q(live=True, state__status__in=["answered", "decided"]) & ANSWER_WRITTEN,
        # A version that has no text and was not published again since the
        # answer was never a row: no tombstone for it.
        ever_public=Q(
            first_published_at__isnull=False,
            state__answer_published_at__isnull=False,
        )
        & (ANSWER_WRITTEN | Q(last_published_at__gt=F("state__answer_published_at"))),
        filters={"city": "city_slug"},
        extra_filters={"key": ("translation_key", "Key of the service.")},
    )
)


def _sections():
    from django.db.models import F
    from django.db.models.functions import Coalesce, Greatest

    from participation.models import PlannedServiceSection

    # Sections change with their page: a section edit is published as a new page
    # revision, so the page's change time is the section's.
    return (
        PlannedServiceSection.objects.filter(page__first_published_at__isnull=False)
        .select_related("page__locale")
        .annotate(
            updated_at=Greatest(
                Coalesce(F("page__last_published_at"), F("page__first_published_at")),
                Coalesce(
                    F("page__latest_revision_created_at"), F("page__first_published_at")
                ),
            ),
            created_at=F("page__first_published_at"),
            city_slug=F("page__city__slug"),
        )
    )


sections = register(
    Dataset(
        name="sections",
        title={
            "fi": "Suunniteltujen palvelujen osiot",
            "sv": "Avsnitten i planerade tjänster",
            "en": "Sections of planned services",
        },
        description={
            "fi": "Julkaistujen suunniteltujen palvelujen osiot, joita asukkaat "
            "kommentoivat osio kerrallaan.",
            "sv": "Avsnitten i publicerade planerade tjänster, som invånarna "
            "kommenterar avsnitt för avsnitt.",
            "en": "The sections of published planned services, which residents "
            "comment on section by section.",
        },
        columns=[
            ID,
            PAGE_CITY,
            Column(
                "service",
                INTEGER,
                "Id of the language version of the service it belongs to "
                "(`id` in the services dataset).",
                lambda o: o.page_id,
                is_id=True,
            ),
            Column(
                "key",
                STRING,
                "Key of the section, shared by its language versions and kept "
                "across edits; comments' `target` and the comments' `section` filter.",
                lambda o: str(o.key),
            ),
            Column(
                "position",
                INTEGER,
                "Place of the section in the service as the editor ordered it, "
                "from 0; empty when never reordered (then `id` order is theirs).",
                lambda o: o.sort_order,
                nullable=True,
            ),
            Column("title", STRING, "Title of the section.", lambda o: o.title),
            Column(
                "body",
                STRING,
                "The section's text as plain text.",
                lambda o: _plain(o.body),
            ),
            Column(
                "question",
                STRING,
                "The question the city asks residents about it, if any.",
                lambda o: o.question,
            ),
            Column(
                "language",
                STRING,
                "Language of this version (fi, sv or en).",
                lambda o: o.page.locale.language_code,
            ),
            PAGE_CREATED,
            UPDATED_AT,
        ],
        base_queryset=_sections,
        public=Q(page__live=True),
        ever_public=Q(page__first_published_at__isnull=False),
        filters={"city": "city_slug"},
        extra_filters={
            "service": (
                "page_id",
                "Only the sections of this service (its `id` in the services dataset).",
            ),
            "key": ("key", "Key of the section."),
            "language": (
                "page__locale__language_code",
                "Language version: fi, sv or en.",
            ),
        },
    )
)
