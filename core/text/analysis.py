"""Text analysis for Finnish, Swedish and English: the one place words become terms.

Why in Python: Wagtail's database search backend and PostgreSQL each hold one text
search configuration for all rows (wagtail/wagtail#9253), and ours mix three
languages; PostgreSQL ships no Finnish stemmer that copes with compounds either. So
words are lemmatised here, per the text's own language, and the database only
indexes and matches the resulting terms with its language-neutral `simple`
configuration (see `core.text.search`).

The lemmatiser is simplemma (MIT, pure Python, dictionaries for fi/sv/en inside
the wheel, so nothing is fetched at run time). Voikko would analyse Finnish better
but needs a system library and its dictionary from Debian, which not every city
server has; simplemma plus the compound rule below found every case of our
fixture, so it is the one analyser.

Finnish compounds: simplemma knows "bussi" but not "yöbussi". An unknown Finnish
word is split where its tail is a known word ("yö" + "bussit"), and only the tail
is inflected back ("yöbussi"). Its compound heads are indexed too ("yöbussivuoro"
is also "yöbussi"), and Finnish query terms match by prefix, so "yöbussi" finds
"yöbussivuoro" and "yöbussivuoro" finds it back.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import simplemma

LANGUAGES = ("fi", "sv", "en")

# Words shorter than this are not indexed or searched (articles, "yö" alone is kept
# through its compounds).
MIN_WORD_LENGTH = 2
# Shortest compound part and shortest indexed compound head.
MIN_PART_LENGTH = 3
MIN_HEAD_LENGTH = 4
# A query is cut to this many distinct words: enough for any real question,
# and a 10,000-character query costs no more than a sentence.
MAX_QUERY_WORDS = 12

_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")

# Words too common to tell texts apart; the 'simple' configuration keeps them all.
STOPWORDS = {
    "fi": frozenset(
        """ja tai että kun jos niin myös ovat olla oli ole ei eikä sekä kuin mutta
        joka jotka mitä mikä tämä tuo nämä siinä sitä sen se hän he me te minä sinä
        olisi voisi pitäisi kaikki paljon enemmän joku jotain on en et emme ette
        eivät minun sinun hänen meidän teidän heidän nyt vain jo""".split()
    ),
    "sv": frozenset(
        """och att det som för med den har inte ett en till kan om var jag vill
        skulle alla mer mycket någon något eller men är de på av i vi ni han hon
        så från där här""".split()
    ),
    "en": frozenset(
        """the and for with that this are was were have has not you can could
        would should all more some any our your their from into about there them
        they is it of to in on at be an as by or we he she its""".split()
    ),
}


def normalise(text: str) -> str:
    """NFC-normalised text with runs of whitespace as one space, trimmed.

    The same letter typed as one code point or as a letter plus a combining mark
    ("ä" vs "a" + "¨") must be the same word."""
    return " ".join(unicodedata.normalize("NFC", text or "").split())


def words(text: str) -> list[str]:
    """The words of `text`, case-folded, in order (hyphenated words kept whole)."""
    return _WORD.findall(normalise(text).casefold())


def language_of(language: str | None) -> str:
    """`language` if we analyse it, else Finnish (the site's default language)."""
    code = (language or "").split("-")[0].lower()
    return code if code in LANGUAGES else LANGUAGES[0]


@lru_cache(maxsize=50_000)
def _known(word: str, language: str) -> bool:
    return simplemma.is_known(word, lang=language)


@lru_cache(maxsize=50_000)
def _lemma(word: str, language: str) -> str:
    return simplemma.lemmatize(word, lang=language).casefold()


@lru_cache(maxsize=50_000)
def _finnish_compound(word: str) -> tuple[str, tuple[str, ...]]:
    """An unknown Finnish word's lemma and compound heads, by its known tail.

    The longest known tail wins ("yö|bussit", not "yöbus|sit"); the head is tried
    the same way again, so "yöbussivuoro" has the heads "yöbussi" (and "yö" is too
    short to index on its own)."""
    for cut in range(MIN_WORD_LENGTH, len(word) - MIN_PART_LENGTH + 1):
        head, tail = word[:cut], word[cut:]
        if _known(tail, "fi"):
            lemma = head + _lemma(tail, "fi")
            heads = [head] if len(head) >= MIN_HEAD_LENGTH else []
            if not _known(head, "fi") and len(head) > MIN_PART_LENGTH:
                heads.extend(_finnish_compound(head)[1])
            return lemma, tuple(dict.fromkeys(heads))
    return _lemma(word, "fi"), ()


def lemma(word: str, language: str) -> str:
    """The dictionary form of one case-folded word in `language`."""
    language = language_of(language)
    if language == "fi" and "-" not in word and not _known(word, "fi"):
        return _finnish_compound(word)[0]
    return _lemma(word, language)


def guess_language(text: str, default: str | None = None) -> str:
    """The likeliest of our languages for `text` (simplemma's word-based guess),
    or `default` (then Finnish) when the text is too short to tell."""
    scores = simplemma.langdetect(normalise(text), lang=LANGUAGES)
    best, score = scores[0]
    return best if best in LANGUAGES and score > 0.3 else language_of(default)


def _is_content_word(word: str, language: str) -> bool:
    return len(word) >= MIN_WORD_LENGTH and word not in STOPWORDS[language]


def index_terms(text: str, language: str | None) -> list[str]:
    """The terms a text is found by: each word's lemma, and for Finnish compounds
    also their heads. In order of appearance, repeats kept (they weigh in ranking)."""
    language = language_of(language)
    terms: list[str] = []
    for word in words(text):
        if not _is_content_word(word, language):
            continue
        terms.append(lemma(word, language))
        if language == "fi" and "-" not in word and not _known(word, "fi"):
            terms.extend(_finnish_compound(word)[1])
    return terms


def query_terms(
    text: str, language: str | None = None
) -> list[tuple[frozenset[str], frozenset[str]]]:
    """Each distinct query word as (exact terms, prefix terms) that may match it.

    A query's language is a guess (a Swede may search the Finnish site), so each
    word is lemmatised in every language, the page's language first; Finnish
    lemmas also match longer compounds by prefix. At most `MAX_QUERY_WORDS` words.
    """
    first = language_of(language)
    order = (first, *(code for code in LANGUAGES if code != first))
    result: list[tuple[frozenset[str], frozenset[str]]] = []
    seen: set[str] = set()
    for word in words(text):
        if word in seen or not _is_content_word(word, first):
            continue
        seen.add(word)
        exact = {word}
        prefixes: set[str] = set()
        for code in order:
            form = lemma(word, code)
            exact.add(form)
            if code == "fi" and len(form) >= MIN_HEAD_LENGTH:
                prefixes.add(form)
                # "yöbussit" and "yöbussivuoro" both reach their heads.
                if "-" not in word and not _known(word, "fi"):
                    prefixes.update(_finnish_compound(word)[1])
        result.append((frozenset(exact - prefixes), frozenset(prefixes)))
        if len(result) == MAX_QUERY_WORDS:
            break
    return result


def document(*parts: tuple[str, str | None, int]) -> str:
    """The stored search text for (text, language, weight) parts.

    Terms are space-separated and the text starts and ends with a space, so a
    term is found with `LIKE '% term %'` (exact) or `'% term%'` (prefix) on any
    database. A part of weight 2 is written twice: ranking counts occurrences.
    """
    terms: list[str] = []
    for text, language, weight in parts:
        part = index_terms(text, language)
        terms.extend(part * max(1, weight))
    return f" {' '.join(terms)} " if terms else ""


def warm_up() -> None:
    """Load every language's dictionary now (a server, before it serves).

    Seconds of pure-Python decoding that hold the GIL: in a thread beside a
    serving event loop (as this once ran) every socket of the process stalled
    behind it until it was done (issue #17's 1-daphne advice bench: p99 in
    seconds for the first half of a run). The first analysis of a language
    otherwise waits for its dictionary.
    """
    for language in LANGUAGES:
        _lemma("palvelu", language)
