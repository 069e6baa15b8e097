"""The desk's administration in the Wagtail admin: who sees and edits which rows
(supervisors their cities', advisors only themselves, site admins the shared
ones), adding an advisor with languages and cities, and bad input."""

import pytest
from django.urls import reverse

from accounts.models import Role
from accounts.roles import has_city_role
from accounts.services import role_grant
from advice.models import (
    AdviceCitySettings,
    AdviceTopic,
    AdvisorProfile,
    CannedAnswer,
    OpeningHours,
)
from tests.advice.ops_factories import advisor_make, supervisor_make
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
# The admin answers a refusal with a redirect to its dashboard (or a 403).
DENIED = (302, 403)


@pytest.fixture
def supervisor(city):
    return supervisor_make(city=city)


@pytest.fixture
def hours(city, other_city):
    return {
        place.slug: OpeningHours.objects.create(
            city=place, weekday=0, opens="09:00", closes="16:00"
        )
        for place in (city, other_city)
    }


def _url(viewset: str, action: str = "index", pk=None) -> str:
    args = [pk] if pk is not None else []
    return reverse(f"{viewset}:{action}", args=args)


def test_a_supervisor_sees_and_edits_only_its_cities_hours(client, supervisor, hours):
    client.force_login(supervisor)
    page = client.get(_url("advice_hours"))
    assert page.status_code == 200
    listed = list(page.context["object_list"])
    assert listed == [hours["helsinki"]]
    assert (
        client.get(_url("advice_hours", "edit", hours["turku"].pk)).status_code
        in DENIED
    )
    response = client.post(
        _url("advice_hours", "edit", hours["turku"].pk),
        {"city": hours["turku"].city_id, "language": "", "weekday": 1},
    )
    assert response.status_code in DENIED
    assert OpeningHours.objects.get(pk=hours["turku"].pk).weekday == 0


def test_hours_are_added_for_a_supervised_city_and_a_language(
    client, supervisor, city, other_city
):
    client.force_login(supervisor)
    data = {"language": "ru", "weekday": 2, "opens": "10:00", "closes": "12:00"}
    assert (
        client.post(_url("advice_hours", "add"), {**data, "city": city.pk}).status_code
        == 302
    )
    made = OpeningHours.objects.get()
    assert (made.city, made.language, made.weekday) == (city, "ru", 2)
    # Another city, an unknown language, closing before opening: form errors.
    for bad in (
        {**data, "city": other_city.pk},
        {**data, "city": city.pk, "language": "xx"},
        {**data, "city": city.pk, "opens": "13:00"},
        {**data, "city": city.pk, "weekday": 9},
    ):
        response = client.post(_url("advice_hours", "add"), bad)
        assert response.status_code == 200 and response.context["form"].errors
    assert OpeningHours.objects.count() == 1


def test_city_settings_keep_transcripts_for_a_valid_period(client, supervisor, city):
    client.force_login(supervisor)
    url = _url("advice_settings", "add")
    bad = client.post(url, {"city": city.pk, "transcript_retention_days": 0})
    assert bad.status_code == 200 and "transcript_retention_days" in (
        bad.context["form"].errors
    )
    assert (
        client.post(url, {"city": city.pk, "transcript_retention_days": 30}).status_code
        == 302
    )
    assert AdviceCitySettings.objects.get(city=city).transcript_retention_days == 30


def test_canned_answers_of_the_city_and_everyones(client, supervisor, city, other_city):
    shared = CannedAnswer.objects.create(language="fi", title="Yhteinen", text="x")
    own = CannedAnswer.objects.create(city=city, language="fi", title="Oma", text="x")
    theirs = CannedAnswer.objects.create(
        city=other_city, language="fi", title="Toisen", text="x"
    )
    client.force_login(supervisor)
    listed = set(client.get(_url("advice_canned")).context["object_list"])
    assert listed == {shared, own}
    assert client.get(_url("advice_canned", "edit", own.pk)).status_code == 200
    assert client.get(_url("advice_canned", "edit", shared.pk)).status_code in DENIED
    assert client.get(_url("advice_canned", "edit", theirs.pk)).status_code in DENIED
    # A supervisor writes its city's answers, never everyone's.
    data = {"language": "en", "title": "Hours", "text": "We are open <b>9–16</b>."}
    refused = client.post(_url("advice_canned", "add"), data)
    assert refused.status_code == 200
    client.post(_url("advice_canned", "add"), {**data, "city": city.pk})
    made = CannedAnswer.objects.get(title="Hours")
    assert made.city == city and made.text == "We are open <b>9–16</b>."
    admin = UserFactory(is_superuser=True)
    client.force_login(admin)
    client.post(_url("advice_canned", "add"), {**data, "title": "For all"})
    assert CannedAnswer.objects.get(title="For all").city is None


def test_topics_are_the_site_admins(client, supervisor):
    client.force_login(supervisor)
    assert client.get(_url("advice_topics")).status_code in DENIED
    admin = UserFactory(is_superuser=True)
    client.force_login(admin)
    response = client.post(
        _url("advice_topics", "add"),
        {
            "slug": "work",
            "name_fi": "Työ",
            "name_sv": "Arbete",
            "name_en": "Work",
            "position": 1,
            "active": "on",
        },
    )
    assert response.status_code == 302
    assert AdviceTopic.objects.get().name_sv == "Arbete"


def test_a_supervisor_adds_an_advisor_by_address(client, supervisor, city, other_city):
    person = UserFactory(email="uusi@example.org")
    client.force_login(supervisor)
    data = {
        "email": "UUSI@example.org",
        "display_name": "Uusi <b>",
        "languages": ["fi", "ar"],
        "max_chats": 2,
        "cities": [city.pk],
    }
    assert client.post(_url("advice_advisors", "add"), data).status_code == 302
    profile = AdvisorProfile.objects.get(user=person)
    assert profile.display_name == "Uusi <b>" and profile.max_chats == 2
    assert set(profile.languages.values_list("language", flat=True)) == {"fi", "ar"}
    assert has_city_role(person, city, Role.ADVISOR)
    person = type(person).objects.get(pk=person.pk)
    assert not has_city_role(person, other_city, Role.ADVISOR)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"email": "nobody@example.org"}, "email"),
        ({"languages": []}, "languages"),
        ({"languages": ["xx"]}, "languages"),
        ({"max_chats": 11}, "max_chats"),
        ({"cities": []}, "cities"),
        ({"display_name": "  "}, "display_name"),
    ],
)
def test_adding_an_advisor_refuses_bad_input(client, supervisor, city, change, field):
    UserFactory(email="uusi@example.org")
    client.force_login(supervisor)
    data = {
        "email": "uusi@example.org",
        "display_name": "Uusi",
        "languages": ["fi"],
        "max_chats": 2,
        "cities": [city.pk],
        **change,
    }
    response = client.post(_url("advice_advisors", "add"), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not AdvisorProfile.objects.exists()


def test_another_city_cannot_be_chosen(client, supervisor, other_city):
    UserFactory(email="uusi@example.org")
    client.force_login(supervisor)
    data = {
        "email": "uusi@example.org",
        "display_name": "Uusi",
        "languages": ["fi"],
        "max_chats": 2,
        "cities": [other_city.pk],
    }
    response = client.post(_url("advice_advisors", "add"), data)
    assert response.status_code == 200 and "cities" in response.context["form"].errors
    assert not AdvisorProfile.objects.exists()


def test_an_advisor_edits_itself_and_no_other(client, city):
    me = advisor_make(city=city, name="Minä")
    other = advisor_make(city=city, name="Toinen")
    client.force_login(me.user)
    listed = list(client.get(_url("advice_advisors")).context["object_list"])
    assert listed == [me]
    assert client.get(_url("advice_advisors", "edit", other.pk)).status_code in DENIED
    response = client.post(
        _url("advice_advisors", "edit", other.pk),
        {"display_name": "Hacked", "languages": ["fi"], "max_chats": 1},
    )
    assert response.status_code in DENIED
    assert AdvisorProfile.objects.get(pk=other.pk).display_name == "Toinen"
    assert client.post(_url("advice_advisors", "add"), {}).status_code in DENIED
    response = client.post(
        _url("advice_advisors", "edit", me.pk),
        {"display_name": "Aino", "languages": ["fi", "so"], "max_chats": 4},
    )
    assert response.status_code == 302
    me.refresh_from_db()
    assert (me.display_name, me.max_chats) == ("Aino", 4)
    assert set(me.languages.values_list("language", flat=True)) == {"fi", "so"}


def test_a_supervisor_edits_and_removes_its_cities_advisors(
    client, supervisor, city, other_city
):
    ours = advisor_make(city=city, name="Meidän")
    shared = advisor_make(city=[city, other_city], name="Yhteinen")
    theirs = advisor_make(city=other_city, name="Heidän")
    client.force_login(supervisor)
    listed = set(client.get(_url("advice_advisors")).context["object_list"])
    assert listed == {ours, shared}
    assert client.get(_url("advice_advisors", "edit", theirs.pk)).status_code in DENIED
    # Unticking the city takes the role there only: Turku's stays.
    response = client.post(
        _url("advice_advisors", "edit", shared.pk),
        {"display_name": "Yhteinen", "languages": ["fi"], "max_chats": 3, "cities": []},
    )
    assert response.status_code == 302
    user = type(shared.user).objects.get(pk=shared.user_id)
    assert not has_city_role(user, city, Role.ADVISOR)
    assert has_city_role(user, other_city, Role.ADVISOR)
    # Removing needs every one of the advisor's cities.
    role_grant(user=shared.user, city=city, role=Role.ADVISOR)
    assert (
        client.post(_url("advice_advisors", "delete", shared.pk)).status_code in DENIED
    )
    assert client.post(_url("advice_advisors", "delete", ours.pk)).status_code == 302
    assert not AdvisorProfile.objects.filter(pk=ours.pk).exists()
    user = type(ours.user).objects.get(pk=ours.user_id)
    assert not has_city_role(user, city, Role.ADVISOR)


def test_a_resident_reaches_none_of_it(client, hours):
    client.force_login(UserFactory())
    for viewset in ("advice_hours", "advice_advisors", "advice_canned"):
        assert client.get(_url(viewset)).status_code in DENIED
