"""The text analysis on its own: normalisation, lemmas, compounds, query terms."""

import pytest

from core.text.analysis import (
    MAX_QUERY_WORDS,
    document,
    guess_language,
    index_terms,
    lemma,
    normalise,
    query_terms,
    words,
)


def found_by(query: str, text: str, language: str) -> bool:
    """Whether a text in `language` is found by `query` (all words), as the
    database matches: a word matches an exact term or starts with a prefix term."""
    terms = set(index_terms(text, language))
    return all(
        terms & exact or any(t.startswith(p) for t in terms for p in prefixes)
        for exact, prefixes in query_terms(query, language)
    )


# The fixture: an inflected query finds the base form, in each language.
INFLECTIONS = [
    ("kirjastoon", "Kirjasto", "fi"),
    ("yöbussit", "Yöbussi", "fi"),
    ("nattbussar", "Nattbuss", "sv"),
    ("libraries", "Library", "en"),
    # and the other way round, and longer compounds
    ("kirjasto", "Lisää aukioloaikoja kirjastoihin", "fi"),
    ("yöbussi", "Yöbussivuoroja lisää", "fi"),
    ("yöbussivuoro", "Yöbussi kulkee harvoin", "fi"),
    ("päiväkoti", "Päiväkotien pihat", "fi"),
    ("bibliotek", "Öppettider för biblioteken", "sv"),
    ("library", "Longer opening hours for libraries", "en"),
]


@pytest.mark.parametrize(("query", "text", "language"), INFLECTIONS)
def test_an_inflected_word_finds_its_base_form(query, text, language):
    assert found_by(query, text, language)


@pytest.mark.parametrize(
    ("query", "text", "language"),
    [
        ("kirjasto", "Uimahalli", "fi"),
        ("yöbussi", "Raitiovaunu", "fi"),
        ("nattbuss", "Simhall", "sv"),
        ("library", "Swimming hall", "en"),
    ],
)
def test_an_unrelated_word_is_not_found(query, text, language):
    assert not found_by(query, text, language)


def test_a_query_in_another_language_than_the_page_still_finds():
    """A Swede searching the Finnish site: every query word is tried in all three."""
    assert found_by("nattbussar", "Nattbuss till Kallio", "sv")
    assert any("nattbuss" in exact for exact, _ in query_terms("nattbussar", "fi"))


def test_combining_marks_are_the_same_letter():
    decomposed = "ka\u0308vely"  # "kävely" typed as a + combining diaeresis
    assert normalise(decomposed) == "kävely"
    assert words(decomposed) == ["kävely"]
    assert found_by("kävely", decomposed, "fi")


def test_words_are_case_folded_and_hyphenated_words_kept_whole():
    assert words("  Yö-BUSSI\tja  Kallio!  ") == ["yö-bussi", "ja", "kallio"]


def test_stopwords_and_single_letters_are_not_terms():
    assert index_terms("ja tai että a", "fi") == []
    assert index_terms("the and of", "en") == []


def test_finnish_compound_heads_are_indexed():
    assert lemma("yöbussit", "fi") == "yöbussi"
    assert index_terms("yöbussivuorot", "fi") == ["yöbussivuoro", "yöbussi"]


def test_an_unknown_language_is_analysed_as_finnish():
    assert index_terms("kirjastoon", "xx") == ["kirjasto"]
    assert index_terms("kirjastoon", None) == ["kirjasto"]


def test_a_huge_query_is_cut_to_a_few_words():
    query = " ".join(f"sana{n}" for n in range(5000))
    assert len(query_terms(query, "fi")) == MAX_QUERY_WORDS


def test_an_empty_or_punctuation_query_has_no_terms():
    assert query_terms("", "fi") == []
    assert query_terms("!!! ??? ...", "en") == []


def test_the_stored_document_weights_by_repetition_and_pads_with_spaces():
    stored = document(("Yöbussi", "fi", 2), ("Kirjastoon", "fi", 1))
    assert stored == " yöbussi yöbussi kirjasto "
    assert document(("", "fi", 1)) == ""


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Kirjaston aukioloajat ovat liian lyhyet", "fi"),
        ("Biblioteket borde vara öppet längre på kvällarna", "sv"),
        ("The library should stay open longer in the evening", "en"),
    ],
)
def test_the_language_of_existing_text_is_guessed(text, language):
    assert guess_language(text) == language


def test_a_text_too_short_to_tell_keeps_the_default():
    assert guess_language("ok", default="sv") == "sv"
    assert guess_language("", default=None) == "fi"
