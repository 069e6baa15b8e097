"""Datasets from planned services for comment: comments."""

from django.db.models import Q

from opendata.datasets import (
    AUTHOR,
    CREATED_AT_HOUR,
    ID,
    INTEGER,
    STRING,
    UPDATED_AT,
    Column,
    Dataset,
    register,
)

TARGET_TYPES = {
    "participation.plannedservicepage": "service",
    "participation.plannedservicesection": "section",
}


def _comments():
    from participation.models import Comment

    return Comment.objects.select_related("discussion__city")


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
                lambda o: o.discussion.city.slug if o.discussion.city else None,
                nullable=True,
            ),
            Column(
                "target_type",
                STRING,
                "What the comment is about: 'service' (a planned service) or "
                "'section' (one section of it).",
                lambda o: TARGET_TYPES.get(
                    o.discussion.target_type, o.discussion.target_type
                ),
            ),
            Column(
                "target",
                STRING,
                "Key of the service (its translation key) or of the section; "
                "matches `key` in the services and sections datasets.",
                lambda o: o.discussion.target_key,
            ),
            Column(
                "parent",
                INTEGER,
                "Id of the comment this one replies to; empty for a top-level comment.",
                lambda o: o.parent_id,
                nullable=True,
            ),
            AUTHOR,
            Column("text", STRING, "The comment as plain text.", lambda o: o.text),
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
        public=Q(status="visible"),
        filters={"city": "discussion__city__slug"},
        extra_filters={
            "target": ("discussion__target_key", "Key of the service or section."),
            "stance": ("stance", "for, against or neutral."),
        },
        authored=True,
    )
)
