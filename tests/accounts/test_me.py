"""/accounts/me/: profile, background details with consent, consent records,
the personal data download and account deletion."""

import json

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import personal_data, services
from accounts.models import BackgroundDetails, Consent, Role, User
from accounts.selectors import personal_data_export
from tests.accounts.factories import DistrictFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


@pytest.fixture
def person(client):
    user = UserFactory(email="aino@example.org", display_name="Aino")
    client.force_login(user)
    return user


def _background(client, **data):
    return client.post(reverse("accounts:me"), {"action": "background", **data})


def test_me_page_shows_profile_background_and_consents(client, person):
    services.consent_give(user=person, purpose="age_band")
    response = client.get(reverse("accounts:me"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="Aino"' in html
    assert 'for="id_consent_age_band"' in html
    assert 'for="id_home_district"' in html
    assert 'name="action" value="withdraw"' in html
    assert reverse("accounts:data") in html
    assert reverse("accounts:delete") in html


def test_me_page_query_count_does_not_grow_with_consents(client, person):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("accounts:me")).status_code == 200
        return len(queries)

    services.consent_give(user=person, purpose="age_band")
    few = count()
    for _ in range(5):
        for purpose in ("age_band", "home_district", "first_language"):
            services.consent_withdraw(user=person, purpose=purpose)
            services.consent_give(user=person, purpose=purpose)
    assert count() == few
    assert few <= 12  # session, user, background, consents + the base layout


def test_profile_save_changes_name_and_switches_language(client, person):
    response = client.post(
        reverse("accounts:me"),
        {"action": "profile", "display_name": "Aino A.", "preferred_language": "sv"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/sv/accounts/me/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "sv"
    person.refresh_from_db()
    assert (person.display_name, person.preferred_language) == ("Aino A.", "sv")
    page = client.get(response["Location"])
    assert '<html lang="sv">' in page.content.decode()


def test_profile_save_with_bad_input_shows_errors(client, person):
    response = client.post(
        reverse("accounts:me"),
        {"action": "profile", "display_name": "", "preferred_language": "xx"},
    )
    assert response.status_code == 400
    person.refresh_from_db()
    assert person.display_name == "Aino"
    assert 'id="id_display_name_error"' in response.content.decode()


def test_background_is_saved_with_its_consent(client, person, kallio):
    response = _background(
        client,
        consent_age_band="on",
        age_band="30_44",
        consent_home_district="on",
        home_district=str(kallio.pk),
        first_language="",
    )
    assert response.status_code == 302
    background = BackgroundDetails.objects.get(user=person)
    assert (background.age_band, background.home_district) == ("30_44", kallio)
    assert services.consents_active(person) == {"age_band", "home_district"}
    html = client.get(reverse("accounts:me")).content.decode()
    assert f'<option value="{kallio.pk}" selected>' in html


def test_background_without_consent_box_is_refused_and_nothing_written(
    client, person, kallio
):
    response = _background(client, age_band="30_44", home_district=str(kallio.pk))
    assert response.status_code == 400
    assert not BackgroundDetails.objects.filter(user=person).exists()
    assert not Consent.objects.filter(user=person).exists()
    html = response.content.decode()
    assert 'id="id_age_band_error"' in html
    assert 'id="id_home_district_error"' in html


def test_withdraw_button_erases_the_detail(client, person, kallio):
    _background(client, consent_home_district="on", home_district=str(kallio.pk))
    response = client.post(
        reverse("accounts:me"), {"action": "withdraw", "purpose": "home_district"}
    )
    assert response.status_code == 302
    assert BackgroundDetails.objects.get(user=person).home_district is None
    consent = Consent.objects.get(user=person)
    assert consent.withdrawn_at is not None
    html = client.get(reverse("accounts:me")).content.decode()
    assert f'value="{kallio.pk}" selected' not in html
    assert 'name="action" value="withdraw"' not in html


def test_unticking_a_box_withdraws_and_erases(client, person):
    _background(client, consent_first_language="on", first_language="fi")
    _background(client, first_language="")
    assert BackgroundDetails.objects.get(user=person).first_language == ""
    assert services.consents_active(person) == set()


def test_one_cannot_withdraw_an_unknown_purpose(client, person):
    response = client.post(
        reverse("accounts:me"), {"action": "withdraw", "purpose": "everything"}
    )
    assert response.status_code == 302
    assert not Consent.objects.exists()


# --- personal data download --------------------------------------------------


def test_data_download_is_a_json_attachment_with_their_data_only(
    client, person, city, kallio
):
    services.role_grant(user=person, city=city, role=Role.MODERATOR)
    services.background_save(
        user=person, consented={"home_district"}, home_district=kallio
    )
    stranger = UserFactory(email="stranger@example.org", display_name="Stranger")
    kontula = DistrictFactory(city=city, name_fi="Kontula", name_en="Kontula")
    services.background_save(
        user=stranger, consented={"home_district"}, home_district=kontula
    )
    response = client.get(reverse("accounts:data"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    assert ".json" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["profile"]["email"] == "aino@example.org"
    assert data["profile"]["display_name"] == "Aino"
    assert data["roles"] == [{"city": city.slug, "role": "moderator"}]
    assert data["background_details"] == {
        "home_district": {
            "id": kallio.pk,
            "slug": "kallio",
            "city": city.slug,
            "name_fi": "Kallio",
            "name_sv": "Berghäll",
            "name_en": "Kallio",
        }
    }
    assert [c["purpose"] for c in data["consents"]] == ["home_district"]
    assert data["consents"][0]["given_at"]
    assert data["consents"][0]["withdrawn_at"] is None
    body = response.content.decode()
    assert "stranger@example.org" not in body
    assert "Kontula" not in body
    assert "password" not in body
    assert data["admin_profile"] == {}


def test_export_includes_what_the_admin_stores():
    from wagtail.users.models import UserProfile

    user = UserFactory()
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "sv"
    profile.save()
    data = personal_data_export(user)
    assert data["admin_profile"]["preferred_language"] == "sv"


def test_account_changes_are_rate_limited(client, person, monkeypatch):
    monkeypatch.setattr("accounts.views.ACCOUNT_WRITE_LIMIT", 2)
    for name in ("One", "Two", "Three"):
        client.post(
            reverse("accounts:me"),
            {"action": "profile", "display_name": name, "preferred_language": "fi"},
        )
    person.refresh_from_db()
    assert person.display_name == "Two"


def test_other_apps_add_sections_to_the_export():
    user = UserFactory()
    personal_data.register("comments", lambda u: [{"text": f"by {u.pk}"}])
    try:
        data = personal_data_export(user)
    finally:
        personal_data.unregister("comments")
    assert data["comments"] == [{"text": f"by {user.pk}"}]
    assert "comments" not in personal_data_export(user)


# --- account deletion --------------------------------------------------------


def test_delete_page_asks_for_the_password(client, person):
    response = client.get(reverse("accounts:delete"))
    assert response.status_code == 200
    assert 'autocomplete="current-password"' in response.content.decode()
    response = client.post(reverse("accounts:delete"), {"password": "wrong"})
    assert response.status_code == 400
    assert User.objects.filter(pk=person.pk).exists()


def test_delete_removes_everything_and_logs_out(client, person, city):
    services.role_grant(user=person, city=city, role=Role.EDITOR)
    services.background_save(user=person, consented={"age_band"}, age_band="18_29")
    pk = person.pk
    response = client.post(reverse("accounts:delete"), {"password": PASSWORD})
    assert response.status_code == 302
    assert not User.objects.filter(pk=pk).exists()
    assert not Consent.objects.filter(user_id=pk).exists()
    assert not BackgroundDetails.objects.filter(user_id=pk).exists()
    assert not User.groups.through.objects.filter(user_id=pk).exists()
    assert "_auth_user_id" not in client.session
    # The address no longer logs in.
    client.post(
        reverse("accounts:login"),
        {"username": "aino@example.org", "password": PASSWORD},
    )
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("accounts:me")).status_code == 302
