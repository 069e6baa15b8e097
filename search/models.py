"""Search's own data: the index of everything public, and the queries that found
nothing.

A `SearchDocument` is what the search shows of one public thing (a planned
service, a comment, a dream, …), written by `search.services` from what the
owning app registered in `core.searchables`; nothing private is ever stored, so
the search page needs no visibility rule of its own. `ZeroResultQuery` counts
the queries that found nothing, normalised to lemmas, per day, city and language:
no address, account or session is kept.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import City, District, Topic
from core.text.fields import TextLanguageField
from core.text.search import LemmaIndex, SearchTermsField

TITLE_MAX_LENGTH = 300
# The text snippets are cut from; the terms are made from the whole text.
BODY_MAX_LENGTH = 2000
URL_MAX_LENGTH = 500
QUERY_MAX_LENGTH = 200


class SearchDocument(models.Model):
    """One public thing as the search finds and shows it."""

    kind = models.CharField(_("kind"), max_length=40)
    object_id = models.BigIntegerField(_("object id"))
    city = models.ForeignKey(
        City, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    districts = models.ManyToManyField(District, blank=True, related_name="+")
    topics = models.ManyToManyField(Topic, blank=True, related_name="+")
    language = TextLanguageField()
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    body = models.TextField(_("text"), max_length=BODY_MAX_LENGTH, blank=True)
    url = models.CharField(_("address"), max_length=URL_MAX_LENGTH)
    date = models.DateTimeField(_("date"))
    # Title (weight 3) and the whole text, analysed (`core.text.analysis.document`).
    search_terms = SearchTermsField()

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id"], name="search_one_document_per_object"
            )
        ]
        indexes = [
            LemmaIndex(field="search_terms", name="search_document_lemmas"),
            # The search's candidates are the newest matches of a common word.
            models.Index(fields=["-date", "-id"], name="search_document_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"


class ZeroResultQuery(models.Model):
    """How often a query found nothing on one day, in one city and language.

    Rows without a city may repeat under concurrent first hits (NULLs are
    distinct in the constraint); the editors' list adds them up."""

    day = models.DateField(_("day"))
    city = models.ForeignKey(
        City, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    language = TextLanguageField()
    # The query's lemmas in order, space-separated: "kirjasto aukioloaika".
    query = models.CharField(_("query"), max_length=QUERY_MAX_LENGTH)
    count = models.PositiveIntegerField(_("times"), default=1)

    class Meta:
        verbose_name = _("query that found nothing")
        verbose_name_plural = _("queries that found nothing")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "city", "language", "query"],
                name="search_zero_result_once_a_day",
            )
        ]
        indexes = [models.Index(fields=["day"], name="search_zero_result_day")]

    def __str__(self) -> str:
        return self.query
