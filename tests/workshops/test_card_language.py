"""Existing cards get a language from their text when the field is added."""

import pytest
from django.apps import apps

from core.text.migrations import guess_languages
from workshops.models import Card

pytestmark = pytest.mark.django_db


def test_the_migration_guesses_each_existing_cards_language(board, columns, alice):
    def card(text):
        return Card.objects.create(
            board=board, column=columns[0], author=alice, text=text
        ).pk

    swedish = card("Biblioteket borde vara öppet längre på kvällarna")
    english = card("The library should stay open longer in the evening")
    finnish = card("Kirjaston pitäisi olla auki pidempään iltaisin")
    too_short = card("ok")

    guess_languages("workshops", "Card", "text").code(apps, None)

    assert dict(Card.objects.values_list("pk", "language")) == {
        swedish: "sv",
        english: "en",
        finnish: "fi",
        too_short: "fi",
    }
