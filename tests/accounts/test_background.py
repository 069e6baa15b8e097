"""Voluntary background details: a consent per detail, the panel-selection
consent, the under-18 rule, and the page that manages them in fi/sv/en."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from accounts import services
from accounts.models import BackgroundDetails, Consent, ConsentPurpose
from core.errors import Invalid
from tests.accounts.factories import DistrictFactory
from tests.factories import CityFactory, UserFactory

pytestmark = pytest.mark.django_db

ME = {"fi": "/accounts/me/", "sv": "/sv/accounts/me/", "en": "/en/accounts/me/"}


@pytest.fixture(autouse=True)
def _language_reset():
    """A request to /sv/ or /en/ leaves that language active in the thread, and
    later tests' reverse() would build its URLs: start the next test in Finnish."""
    yield
    translation.deactivate()


@pytest.fixture
def person(client):
    user = UserFactory()
    client.force_login(user)
    return user


def _post(client, language="fi", **data):
    return client.post(ME[language], {"action": "background", **data})


# --- services ----------------------------------------------------------------


def test_gender_without_its_consent_is_refused_with_a_clear_message():
    user = UserFactory()
    services.consent_give(user=user, purpose=ConsentPurpose.AGE_BAND)
    services.background_update(user=user, age_band="30_44")
    with translation.override("en"), pytest.raises(Invalid) as info:
        services.background_update(user=user, age_band="45_64", gender="female")
    assert info.value.field == "gender"
    assert info.value.messages == [
        "Give your consent first: this detail is stored only with it."
    ]
    # Nothing written: not even the consented age band of the same call.
    assert BackgroundDetails.objects.get(user=user).age_band == "30_44"


def test_panel_selection_is_a_consent_that_covers_no_detail():
    user = UserFactory()
    services.consent_give(user=user, purpose=ConsentPurpose.GENDER)
    services.background_update(user=user, gender="undisclosed")
    services.consent_give(user=user, purpose=ConsentPurpose.PANEL_SELECTION)
    assert services.consents_active(user) == {"gender", "panel_selection"}
    withdrawn = services.consent_withdraw(
        user=user, purpose=ConsentPurpose.PANEL_SELECTION
    )
    assert withdrawn.withdrawn_at is not None
    assert BackgroundDetails.objects.get(user=user).gender == "undisclosed"


def test_under_18_clears_every_other_detail_and_consent(kallio):
    user = UserFactory()
    for purpose in ConsentPurpose:
        services.consent_give(user=user, purpose=purpose)
    services.background_update(
        user=user,
        age_band="18_29",
        home_district=kallio,
        first_language="fi",
        gender="other",
    )
    services.background_update(user=user, age_band="under_18")
    background = BackgroundDetails.objects.get(user=user)
    assert background.age_band == "under_18"
    assert (background.home_district, background.first_language) == (None, "")
    assert background.gender == ""
    assert services.consents_active(user) == {"age_band"}
    # The withdrawals are kept as records, stamped.
    assert Consent.objects.filter(user=user, withdrawn_at__isnull=False).count() == 4


def test_under_18_cannot_consent_to_or_store_anything_else(kallio):
    user = UserFactory()
    services.consent_give(user=user, purpose=ConsentPurpose.AGE_BAND)
    services.background_update(user=user, age_band="under_18")
    for purpose in ("gender", "home_district", "panel_selection"):
        with pytest.raises(Invalid) as info:
            services.consent_give(user=user, purpose=purpose)
        assert info.value.code == "under_18"
    assert services.consents_active(user) == {"age_band"}
    # Even with a consent row slipped in, the detail itself is refused.
    Consent.objects.create(user=user, purpose="gender")
    with pytest.raises(Invalid) as info:
        services.background_update(user=user, gender="female")
    assert (info.value.field, info.value.code) == ("gender", "under_18")
    assert BackgroundDetails.objects.get(user=user).gender == ""


def test_growing_up_opens_the_other_details_again():
    user = UserFactory()
    services.background_save(user=user, consented={"age_band"}, age_band="under_18")
    services.background_save(
        user=user,
        consented={"age_band", "first_language", "panel_selection"},
        age_band="18_29",
        first_language="so",
    )
    background = BackgroundDetails.objects.get(user=user)
    assert (background.age_band, background.first_language) == ("18_29", "so")
    assert services.consents_active(user) == {
        "age_band",
        "first_language",
        "panel_selection",
    }


# --- the page ----------------------------------------------------------------


def test_page_groups_districts_by_city_in_the_page_language(client, person, kallio):
    espoo = CityFactory(slug="espoo", name_fi="Espoo", name_sv="Esbo")
    DistrictFactory(city=espoo, name_fi="Leppävaara", name_sv="Alberga")
    html = client.get(ME["sv"]).content.decode()
    assert '<optgroup label="Esbo">' in html
    assert '<optgroup label="Helsingfors">' in html
    assert html.index('label="Esbo"') < html.index('label="Helsingfors"')
    assert "Alberga" in html and "Berghäll" in html
    # Languages are named in themselves and marked for screen readers.
    assert '<option value="ru" lang="ru">русский</option>' in html
    assert '<option value="ar" lang="ar" dir="rtl">العربية</option>' in html
    # Each detail and the panel consent in a fieldset; purposes tied to boxes.
    assert html.count("<fieldset>") == 5
    assert 'aria-describedby="id_consent_gender_helptext"' in html
    assert 'id="id_consent_panel_selection"' in html


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_page_renders_and_saves_in_each_language(client, person, kallio, language):
    response = client.get(ME[language])
    assert response.status_code == 200
    assert f'<html lang="{language}">' in response.content.decode()
    response = _post(
        client,
        language,
        consent_home_district="on",
        home_district=str(kallio.pk),
        consent_first_language="on",
        first_language="uk",
        consent_gender="on",
        gender="undisclosed",
        consent_panel_selection="on",
    )
    assert response.status_code == 302
    background = BackgroundDetails.objects.get(user=person)
    assert background.home_district == kallio
    assert (background.first_language, background.gender) == ("uk", "undisclosed")
    assert services.consents_active(person) == {
        "home_district",
        "first_language",
        "gender",
        "panel_selection",
    }
    html = client.get(ME[language]).content.decode()
    assert '<option value="undisclosed" selected>' in html
    assert 'id="id_consent_panel_selection" checked' in html


def test_page_refuses_values_not_offered_and_writes_nothing(client, person):
    response = _post(
        client,
        "en",
        consent_home_district="on",
        home_district="Kallio",
        consent_first_language="on",
        first_language="suomi",
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_home_district_error"' in html
    assert 'id="id_first_language_error"' in html
    assert not BackgroundDetails.objects.filter(user=person).exists()
    assert not Consent.objects.filter(user=person).exists()


def test_under_18_page_asks_only_the_age_band_and_says_why(client, person, kallio):
    response = _post(
        client,
        "en",
        consent_age_band="on",
        age_band="under_18",
        consent_home_district="on",
        home_district=str(kallio.pk),
        consent_gender="on",
        gender="female",
        consent_panel_selection="on",
    )
    assert response.status_code == 302
    background = BackgroundDetails.objects.get(user=person)
    assert (background.age_band, background.home_district) == ("under_18", None)
    assert background.gender == ""
    assert services.consents_active(person) == {"age_band"}
    html = client.get(ME["en"]).content.decode()
    assert 'id="under-18-note"' in html
    assert "we ask only your age band" in html
    assert 'name="age_band"' in html
    for name in ("home_district", "first_language", "gender", "panel_selection"):
        assert f'name="{name}"' not in html
        assert f'name="consent_{name}"' not in html


def test_page_query_count_does_not_grow_with_districts(client, person, city):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(ME["fi"]).status_code == 200
        return len(queries)

    DistrictFactory(city=city)
    few = count()
    for _ in range(10):
        DistrictFactory(city=CityFactory())
    assert count() == few


def test_export_contains_every_detail_and_each_consent_with_its_dates(
    client, person, kallio
):
    services.background_save(
        user=person,
        consented={"age_band", "home_district", "first_language", "gender"},
        age_band="45_64",
        home_district=kallio,
        first_language="fa",
        gender="other",
    )
    services.consent_give(user=person, purpose="panel_selection")
    services.consent_withdraw(user=person, purpose="panel_selection")
    data = client.get(reverse("accounts:data")).json()
    details = data["background_details"]
    assert details["age_band"] == "45_64"
    assert details["first_language"] == "fa"
    assert details["gender"] == "other"
    assert details["home_district"]["name_sv"] == "Berghäll"
    consents = {c["purpose"]: c for c in data["consents"]}
    assert set(consents) == {
        "age_band",
        "home_district",
        "first_language",
        "gender",
        "panel_selection",
    }
    assert consents["gender"]["given_at"] and consents["gender"]["withdrawn_at"] is None
    assert consents["panel_selection"]["withdrawn_at"] is not None


def test_withdrawing_the_panel_consent_says_what_it_changes(client, person):
    services.consent_give(user=person, purpose="panel_selection")
    response = client.post(
        ME["en"], {"action": "withdraw", "purpose": "panel_selection"}, follow=True
    )
    assert "you will not be invited to customer panels" in response.content.decode()
    assert services.consents_active(person) == set()


def test_unticking_a_box_withdraws_and_erases_as_the_page_says(client, person, kallio):
    _post(
        client,
        "en",
        consent_home_district="on",
        home_district=str(kallio.pk),
        consent_gender="on",
        gender="undisclosed",
    )
    # The form still shows both details; only the gender box is unticked.
    response = _post(
        client,
        "en",
        consent_home_district="on",
        home_district=str(kallio.pk),
        gender="undisclosed",
    )
    assert response.status_code == 302
    background = BackgroundDetails.objects.get(user=person)
    assert background.gender == "" and background.home_district == kallio
    assert services.consents_active(person) == {"home_district"}


def test_a_new_detail_without_its_box_is_still_refused(client, person):
    response = _post(client, "en", gender="undisclosed")
    assert response.status_code == 400
    assert "Tick the consent box to store this detail." in response.content.decode()
    assert not BackgroundDetails.objects.filter(user=person, gender="undisclosed")
