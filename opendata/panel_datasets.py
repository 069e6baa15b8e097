"""The `panels` dataset: customer panels, how well each mirrors its city, its
meetings and the meetings' published results.

No personal data: no members, applicants, reserve, pool or per-group shares
(a panel of 15 split by group would point at people), only the one fit figure
the panel page publishes. A panel's row changes when the panel does or when
one of its meetings' workshops does (a meeting added, results published), so
`updated_since` brings new results.
"""

from django.conf import settings
from django.db.models import F, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import translation

from opendata.datasets import (
    ARRAY,
    DATETIME,
    ID,
    INTEGER,
    NUMBER,
    STRING,
    Column,
    Dataset,
    changed_at,
    register,
)


def _panels():
    from workshops.panels.models import PanelMeeting
    from workshops.panels.selectors import panel_rows_for_opendata

    latest_meeting = (
        PanelMeeting.objects.filter(panel=OuterRef("pk"))
        .order_by()
        .values("panel")
        .annotate(latest=Max("workshop__updated_at"))
        .values("latest")
    )
    return panel_rows_for_opendata().annotate(
        sync_at=Greatest(
            F("updated_at"), Coalesce(Subquery(latest_meeting), F("updated_at"))
        )
    )


def _results(panel) -> list[str]:
    """Addresses of the published results of the panel's meetings."""
    base = settings.SITE_URL.rstrip("/")
    with translation.override(settings.LANGUAGE_CODE):
        return [
            base + reverse("workshops:results", args=[meeting.workshop_id])
            for meeting in panel.meetings.all()
            if meeting.workshop.results_published
        ]


def _date(name: str, description: str) -> Column:
    return Column(name, STRING, description, lambda o: getattr(o, name).isoformat())


UPDATED_AT = Column(
    "updated_at",
    DATETIME,
    "When the row last changed: the panel, or one of its meetings (exact; use "
    "it with updated_since to sync).",
    changed_at,
)

panels = register(
    Dataset(
        name="panels",
        title={"fi": "Asiakasraadit", "sv": "Kundpaneler", "en": "Customer panels"},
        description={
            "fi": "Kaupunkien asiakasraadit: teema, koko, kausi, kuinka hyvin "
            "raati vastaa kaupungin väestöä, kokoukset ja niiden julkaistut "
            "tulokset.",
            "sv": "Städernas kundpaneler: tema, storlek, mandatperiod, hur väl "
            "panelen speglar stadens befolkning, möten och deras publicerade "
            "resultat.",
            "en": "The cities' customer panels: theme, size, term, how well the "
            "panel mirrors the city's population, its meetings and their "
            "published results.",
        },
        columns=[
            ID,
            Column("city", STRING, "Slug of the city.", lambda o: o.city.slug),
            Column("theme", STRING, "The panel's theme.", lambda o: o.theme),
            Column(
                "description", STRING, "What the panel does.", lambda o: o.description
            ),
            Column("size", INTEGER, "How many members are drawn.", lambda o: o.size),
            _date("term_starts_on", "First day of the term (YYYY-MM-DD)."),
            _date("term_ends_on", "Last day of the term (YYYY-MM-DD)."),
            Column(
                "languages",
                ARRAY,
                "Languages of the meetings, ISO 639-1 codes (in CSV joined with ';').",
                lambda o: list(o.languages),
            ),
            Column(
                "drawn_at",
                DATETIME,
                "When the members were drawn; empty before the draw.",
                lambda o: o.drawn_at,
                nullable=True,
            ),
            Column(
                "fit",
                NUMBER,
                "How well the drawn panel mirrors the city: the largest "
                "difference, in percentage points, between a group's share of "
                "the panel and of the city over all criteria (0 is a perfect "
                "mirror); empty before the draw.",
                lambda o: o.fit,
                nullable=True,
            ),
            Column(
                "algorithm",
                STRING,
                "The draw's algorithm and version (e.g. greedy-quota/1); empty "
                "before the draw.",
                lambda o: o.algorithm,
            ),
            Column(
                "meetings",
                INTEGER,
                "How many meetings the panel has had or planned.",
                lambda o: len(o.meetings.all()),
            ),
            Column(
                "results",
                ARRAY,
                "Addresses of the meetings' published results (in CSV joined "
                "with ';').",
                _results,
            ),
            Column(
                "ended_at",
                DATETIME,
                "When the term was ended; empty while it runs.",
                lambda o: o.ended_at,
                nullable=True,
            ),
            Column(
                "created_at",
                DATETIME,
                "When the panel was created.",
                lambda o: o.created_at,
            ),
            UPDATED_AT,
        ],
        base_queryset=_panels,
        public=Q(pk__isnull=False),
        filters={"city": "city__slug"},
        updated_field="sync_at",
    )
)
