"""Word search and similarity for dreams, on PostgreSQL and (roughly) on SQLite.

On PostgreSQL a stored, generated `search_tsv` column (title weighted above the
description, text search configuration 'simple' because dreams are written in
Finnish, Swedish and English) carries a GIN index; migration 0002 creates both,
on PostgreSQL only, so the Django model does not know the column. Words are matched
by prefix (the first six letters), a crude stemmer that copes with Finnish
inflection ("kirjastossa" finds "kirjasto"). On SQLite, `icontains` filters and a
word-overlap score over a bounded candidate set stand in.
"""

import re

from django.db import connection
from django.db.models import BooleanField, FloatField
from django.db.models.expressions import RawSQL

SEARCH_COLUMN = "ideas_dream.search_tsv"
MAX_QUERY_WORDS = 6
PREFIX_LENGTH = 6

_WORD = re.compile(r"\w+", re.UNICODE)
# Words too common to tell dreams apart (fi, sv, en); 'simple' keeps them all.
STOPWORDS = frozenset(
    """
    ja tai että kun jos niin myös ovat olla oli ole ei eikä sekä kuin mutta
    joka jotka mitä mikä tämä tuo nämä siinä sitä sen se hän he me te minä sinä
    olisi voisi pitäisi kaikki paljon enemmän joku jotain
    och att det som för med den har inte ett till kan om var jag vill skulle
    alla mer mycket någon något eller men
    the and for with that this are was were have has not you can could would
    should all more some any our your their from into about there them they
    """.split()
)


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def query_words(*texts: str, limit: int = MAX_QUERY_WORDS) -> list[str]:
    """Distinctive lower-case words of `texts`, longest first, at most `limit`."""
    seen: dict[str, None] = {}
    for text in texts:
        for word in _WORD.findall((text or "").lower()):
            if len(word) < 3 or word in STOPWORDS or word.isdigit():
                continue
            seen.setdefault(word, None)
    return sorted(seen, key=len, reverse=True)[:limit]


def _term(word: str) -> str:
    # \w+ words hold no tsquery operators; prefix matching stands in for stemming.
    # Short prefixes would match half the index; short words match exactly.
    if len(word) >= 5:
        return f"{word[:PREFIX_LENGTH]}:*"
    return word


def tsquery_any(words: list[str]) -> str:
    """A to_tsquery() text matching any of `words` (for similarity)."""
    return " | ".join(dict.fromkeys(_term(w) for w in words))


def tsquery_all(words: list[str]) -> str:
    """A to_tsquery() text matching all of `words` (for the list's word search)."""
    return " & ".join(dict.fromkeys(_term(w) for w in words))


def overlap_score(words: list[str], title: str, description: str) -> float:
    """SQLite fallback ranking: matched words, title matches weighing double."""
    title_l, description_l = title.lower(), description.lower()
    score = 0.0
    for word in words:
        stem = word[:PREFIX_LENGTH]
        if stem in title_l:
            score += 2
        elif stem in description_l:
            score += 1
    return score


def tsv_matches(tsquery: str) -> RawSQL:
    """`search_tsv @@ to_tsquery(...)` as a filter expression (PostgreSQL)."""
    # The SQL is a constant; the user's words travel only as a parameter.
    return RawSQL(  # noqa: S611
        f"{SEARCH_COLUMN} @@ to_tsquery('simple', %s)",
        (tsquery,),
        output_field=BooleanField(),
    )


def tsv_rank(tsquery: str) -> RawSQL:
    """`ts_rank(search_tsv, to_tsquery(...))` as an annotation (PostgreSQL)."""
    return RawSQL(  # noqa: S611
        f"ts_rank({SEARCH_COLUMN}, to_tsquery('simple', %s))",
        (tsquery,),
        output_field=FloatField(),
    )
