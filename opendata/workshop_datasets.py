"""Datasets from workshops: workshops and their cards, only once the facilitators
published the results."""

from django.db.models import Count, F, Q
from django.db.models.functions import Greatest

from opendata.datasets import (
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
from opendata.pseudonyms import pseudonym


def _workshops():
    from workshops.models import Workshop

    return Workshop.objects.select_related("city")


workshops = register(
    Dataset(
        name="workshops",
        title={"fi": "Työpajat", "sv": "Verkstäder", "en": "Workshops"},
        description={
            "fi": "Työpajat, joiden tulokset fasilitaattorit ovat julkaisseet.",
            "sv": "Verkstäder vars resultat facilitatorerna har publicerat.",
            "en": "Workshops whose results the facilitators published.",
        },
        columns=[
            ID,
            Column("city", STRING, "Slug of the city.", lambda o: o.city.slug),
            Column("title", STRING, "Title of the workshop.", lambda o: o.title),
            Column(
                "description", STRING, "What it was about.", lambda o: o.description
            ),
            Column(
                "method",
                STRING,
                "Method, e.g. service_jam or customer_panel.",
                lambda o: o.method,
            ),
            Column("language", STRING, "Working language.", lambda o: o.language),
            Column("starts_at", DATETIME, "When it started.", lambda o: o.starts_at),
            Column(
                "ends_at",
                DATETIME,
                "When it ended.",
                lambda o: o.ends_at,
                nullable=True,
            ),
            Column(
                "summary", STRING, "The facilitators' summary.", lambda o: o.summary
            ),
            Column(
                "results_published_at",
                DATETIME,
                "When the results were published.",
                lambda o: o.results_published_at,
                nullable=True,
            ),
            Column(
                "created_at",
                DATETIME,
                "When the workshop was created.",
                lambda o: o.created_at,
            ),
            UPDATED_AT,
        ],
        base_queryset=_workshops,
        public=Q(results_published=True),
        # Withdrawing clears the publication time, not the first one.
        ever_public=Q(first_published_at__isnull=False),
        filters={"city": "city__slug"},
        extra_filters={"method": ("method", "Method, e.g. service_jam.")},
        copy_fields={
            "id": "pk",
            "city": "city__slug",
            "title": "title",
            "description": "description",
            "method": "method",
            "language": "language",
            "starts_at": "starts_at",
            "ends_at": "ends_at",
            "summary": "summary",
            "results_published_at": "results_published_at",
            "created_at": "created_at",
            "updated_at": "updated_at",
        },
        copy_unguarded=frozenset({"method", "language"}),
    )
)


def _cards():
    from workshops.models import Card

    # A card changes when it does, or when its workshop is (un)published: the
    # greater of the two drives sync, so withdrawing results tombstones the cards.
    return Card.objects.select_related(
        "board__workshop__city", "column", "author"
    ).annotate(
        votes=Count("vote_set"),
        sync_at=Greatest(F("updated_at"), F("board__workshop__updated_at")),
    )


def _card_author(card) -> str:
    participant = card.author
    if participant is None:
        return pseudonym()
    if participant.user_id is not None:
        return pseudonym(user_id=participant.user_id)
    return pseudonym(anonymous_key=participant.anonymous_key)


cards = register(
    Dataset(
        name="cards",
        title={
            "fi": "Työpajojen kortit",
            "sv": "Verkstädernas lappar",
            "en": "Workshop cards",
        },
        description={
            "fi": "Julkaistujen työpajojen taulujen muistilaput ja niiden äänet.",
            "sv": "Lapparna på de publicerade verkstädernas tavlor och deras röster.",
            "en": "Sticky notes on the boards of published workshops, with votes.",
        },
        columns=[
            ID,
            Column(
                "city",
                STRING,
                "Slug of the city.",
                lambda o: o.board.workshop.city.slug,
            ),
            Column(
                "workshop",
                INTEGER,
                "Id of the workshop (workshops dataset).",
                lambda o: o.board.workshop_id,
                is_id=True,
            ),
            Column("board", STRING, "Title of the board.", lambda o: o.board.title),
            Column("column", STRING, "Title of the column.", lambda o: o.column.title),
            Column("text", STRING, "The card's text.", lambda o: o.text),
            Column("color", STRING, "Colour of the card.", lambda o: o.color),
            Column(
                "cluster", STRING, "Name of its cluster, if any.", lambda o: o.group
            ),
            Column("votes", INTEGER, "Dot votes it got.", lambda o: o.votes),
            Column(
                "channel",
                STRING,
                "How the card reached the board: online (typed on the board) or "
                "in_person (written on paper in a physical meeting and typed in "
                "by a facilitator; such cards have no author).",
                lambda o: o.channel,
            ),
            Column(
                "from_dream",
                INTEGER,
                "Id of the service dream (dreams dataset) a facilitator placed "
                "onto the board as this card, if any.",
                lambda o: o.from_dream_id,
                is_id=True,
                nullable=True,
            ),
            Column(
                "became_dream",
                INTEGER,
                "Id of the service dream (dreams dataset) this card was turned "
                "into, if any.",
                lambda o: o.became_dream_id,
                is_id=True,
                nullable=True,
            ),
            Column(
                "author",
                STRING,
                "Pseudonym of the author: the same person has the same pseudonym in "
                "every dataset; 'removed' when gone or when nobody is known (paper "
                "cards, channel in_person). Never a name or id.",
                _card_author,
            ),
            CREATED_AT_HOUR,
            UPDATED_AT,
        ],
        base_queryset=_cards,
        public=Q(board__workshop__results_published=True, hidden=False),
        # A workshop's cards cannot change once it is closed, which publishing
        # needs: a card still hidden (written in silent writing, never revealed)
        # was never shown, any other was shown with the results.
        ever_public=Q(board__workshop__first_published_at__isnull=False, hidden=False),
        filters={"city": "board__workshop__city__slug"},
        extra_filters={"workshop": ("board__workshop_id", "Id of the workshop.")},
        authored=True,
        updated_field="sync_at",
        copy_fields={
            "id": "pk",
            "city": "board__workshop__city__slug",
            "workshop": "board__workshop_id",
            "board": "board__title",
            "column": "column__title",
            "text": "text",
            "color": "color",
            "cluster": "group",
            "votes": "votes",
            "channel": "channel",
            "from_dream": "from_dream_id",
            "became_dream": "became_dream_id",
            "created_at": "created_hour",
            "updated_at": "sync_at",
        },
        copy_unguarded=frozenset({"channel"}),
        # The card's author is a workshop participant: a user or an anonymous key.
        copy_authors=("author__user_id", "author__anonymous_key"),
    )
)
