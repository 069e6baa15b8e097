"""Datasets from service dreams."""

from django.db.models import Prefetch, Q

from opendata.datasets import (
    ARRAY,
    AUTHOR,
    CREATED_AT_HOUR,
    ID,
    INTEGER,
    LIST_SEPARATOR,
    STRING,
    UPDATED_AT,
    Column,
    Dataset,
    register,
)


def _dreams():
    from core.models import Topic
    from ideas.models import Dream

    # One more query per page (or per chunk of a download) for every row's topics.
    return Dream.objects.select_related("city", "district").prefetch_related(
        Prefetch("topics", queryset=Topic.objects.only("pk", "slug").order_by("slug"))
    )


def _copy_topics() -> dict:
    """The topics' slugs in alphabetical order joined with LIST_SEPARATOR, in SQL
    (PostgreSQL's string_agg; COPY runs only there)."""
    from django.contrib.postgres.aggregates import StringAgg
    from django.db.models import OuterRef, Subquery

    from ideas.models import Dream

    through = Dream.topics.through
    slugs = (
        through.objects.filter(dream=OuterRef("pk"))
        .order_by()
        .values("dream")
        .annotate(
            slugs=StringAgg("topic__slug", LIST_SEPARATOR, order_by="topic__slug")
        )
        .values("slugs")
    )
    return {"topic_slugs": Subquery(slugs)}


def _text(name: str, description: str) -> Column:
    return Column(name, STRING, description, lambda o: getattr(o, name))


dreams = register(
    Dataset(
        name="dreams",
        title={"fi": "Palveluunelmat", "sv": "Tjänstedrömmar", "en": "Service dreams"},
        description={
            "fi": "Asukkaiden unelmat palveluista, tuki ja mitä niistä tuli.",
            "sv": "Invånarnas drömmar om tjänster, stöd och vad som blev av dem.",
            "en": "Residents' dreams of services, their support and what became "
            "of them.",
        },
        columns=[
            ID,
            Column(
                "city",
                STRING,
                "Slug of the city.",
                lambda o: o.city.slug if o.city else None,
                nullable=True,
            ),
            _text("title", "Title of the dream."),
            _text("description", "The dream as plain text."),
            _text("target_group", "Who the service would be for."),
            _text("what_would_change", "What it would change for them."),
            Column(
                "district",
                STRING,
                "District the dream is about, if given: its name in Finnish.",
                lambda o: o.district.name_fi if o.district else "",
            ),
            Column(
                "district_slug",
                STRING,
                "The district's slug, stable within the city (empty without one).",
                lambda o: o.district.slug if o.district else "",
            ),
            Column(
                "topics",
                ARRAY,
                "Slugs of the dream's topics, in alphabetical order (in CSV "
                "joined with ';').",
                lambda o: [topic.slug for topic in o.topics.all()],
            ),
            _text("language", "Language it was written in."),
            _text("status", "What became of it: new, under_review, in_workshop, …"),
            Column(
                "support_count",
                INTEGER,
                "How many people support it.",
                lambda o: o.support_count,
            ),
            Column(
                "merged_into",
                INTEGER,
                "Id of the dream this one was merged into, if merged.",
                lambda o: o.merged_into_id,
                is_id=True,
                nullable=True,
            ),
            _text("source", "Where it came in (web, workshop, …)."),
            AUTHOR,
            CREATED_AT_HOUR,
            UPDATED_AT,
        ],
        base_queryset=_dreams,
        # Every dream is public from its creation (nothing holds one back or
        # hides it), so any that goes was public: no `ever_public`.
        public=Q(pk__isnull=False),
        filters={"city": "city__slug"},
        extra_filters={
            "status": ("status", "Status, e.g. realised."),
            "topic": ("topics__slug", "Only dreams with this topic (its slug)."),
            "district": (
                "district__slug",
                "Only dreams about this district (its slug; with `city`).",
            ),
        },
        authored=True,
        copy_fields={
            "id": "pk",
            "city": "city__slug",
            "title": "title",
            "description": "description",
            "target_group": "target_group",
            "what_would_change": "what_would_change",
            "district": "district__name_fi",
            "district_slug": "district__slug",
            "topics": "topic_slugs",
            "language": "language",
            "status": "status",
            "support_count": "support_count",
            "merged_into": "merged_into_id",
            "source": "source",
            "created_at": "created_hour",
            "updated_at": "updated_at",
        },
        copy_unguarded=frozenset({"language", "status", "source"}),
        copy_annotations=_copy_topics,
    )
)
