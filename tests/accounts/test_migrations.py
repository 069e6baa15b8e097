"""The move of background details onto reference data maps what it safely can.

Migrates the test database back to before the move, writes free-text details the
way the old code stored them, migrates forward again and checks each mapping:
districts by any of their names (the person's own city where names repeat),
first languages to ISO 639-1 codes, and everything unsure dropped.
"""

import pytest
from django.apps import apps as live_apps
from django.contrib.contenttypes.models import ContentType

from accounts.models import BackgroundDetails, Role
from accounts.services import role_grant
from tests.accounts.factories import DistrictFactory
from tests.factories import CityFactory, UserFactory
from tests.ideas.factories import DreamFactory
from tests.migrating import latest, migrate, once_on_postgresql

BEFORE = [("accounts", "0001_initial")]


@once_on_postgresql
@pytest.mark.django_db(transaction=True)
def test_free_text_maps_to_districts_and_language_codes():
    helsinki = CityFactory(slug="helsinki", name_fi="Helsinki")
    espoo = CityFactory(slug="espoo", name_fi="Espoo")
    kallio = DistrictFactory(
        city=helsinki, name_fi="Kallio", name_sv="Berghäll", name_en="Kallio"
    )
    centre_h = DistrictFactory(city=helsinki, name_fi="Keskusta", name_en="Centre")
    centre_e = DistrictFactory(city=espoo, name_fi="Keskusta", name_en="Centre")
    people = {key: UserFactory() for key in "abcdefgh"}
    role_grant(user=people["c"], city=espoo, role=Role.EDITOR)
    DreamFactory(author=people["d"], city=helsinki)
    typed = {
        # person: (home district, first language) as they were typed
        "a": (" kallio ", "Finnish"),
        "b": ("BERGHÄLL", "finska"),
        "c": ("Keskusta", "suomi"),  # two cities; the role is in Espoo
        "d": ("centre", "Русский"),  # two cities; the dream is in Helsinki
        "e": ("Keskusta", "klingon"),  # two cities, no tie to either
        "f": ("Mannerheimintie 5", "SAAME"),
        "g": ("", "ru"),
        "h": ("Kallio <script>", "suomi ja ruotsi"),
    }
    try:
        executor = migrate(BEFORE)
        old = executor.loader.project_state(BEFORE).apps
        OldBackground = old.get_model("accounts", "BackgroundDetails")
        for key, (district, language) in typed.items():
            OldBackground.objects.create(
                user_id=people[key].pk,
                home_district=district,
                first_language=language,
            )
        migrate(latest())
        got = {
            key: (row.home_district, row.first_language)
            for key in typed
            for row in [BackgroundDetails.objects.get(user=people[key])]
        }
        assert got == {
            "a": (kallio, "fi"),
            "b": (kallio, "fi"),
            "c": (centre_e, "fi"),
            "d": (centre_h, "ru"),
            "e": (None, ""),
            "f": (None, "se"),
            "g": (None, "ru"),
            "h": (None, ""),
        }
    finally:
        migrate(latest())
        # As in tests/discussions/test_migrations.py: refill the content type
        # cache while the rows exist, for the next transactional test's reload.
        ContentType.objects.get_for_models(*live_apps.get_models())
