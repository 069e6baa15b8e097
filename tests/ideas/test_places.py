"""Dreams name one of their city's translated districts and shared topics:
the form offers them in the page's language, the service checks them, the list
filters by them in a fixed number of queries."""

import pytest

from core.errors import Invalid
from core.models import District
from ideas import services
from ideas.models import Dream
from tests.ideas.factories import DreamFactory, TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def kallio(city):
    return District.objects.create(
        city=city, slug="kallio", name_fi="Kallio", name_sv="Berghäll", name_en="Kallio"
    )


@pytest.fixture
def nummi(other_city):
    return District.objects.create(
        city=other_city, slug="nummi", name_fi="Nummi", name_sv="Nummis"
    )


def _data(city, **overrides):
    data = {
        "title": "Iltakirjasto nuorille",
        "description": "Kirjasto, joka on auki myöhään illalla nuorille.",
        "target_group": "young_people",
        "city": city.slug,
        "district": "",
        "language": "fi",
        "website": "",
        "similar_seen": "1",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("prefix", "district", "city_name", "topic"),
    [("", "Kallio", "Helsinki", "Aihe"), ("/sv", "Berghäll", "Helsingfors", "Tema")],
)
def test_the_form_offers_districts_by_city_in_the_page_language(
    client, resident, kallio, nummi, prefix, district, city_name, topic
):
    TopicFactory()
    client.force_login(resident)
    html = client.get(f"{prefix}/dreams/new/").content.decode()
    assert f'<optgroup label="{city_name}">' in html
    assert f'<option value="{kallio.pk}">{district}</option>' in html
    assert f"{topic} " in html


def test_a_dream_keeps_its_district(client, resident, city, kallio):
    client.force_login(resident)
    response = client.post("/dreams/new/", _data(city, district=str(kallio.pk)))
    assert response.status_code == 302
    dream = Dream.objects.get()
    assert dream.district == kallio
    page = client.get(dream.get_absolute_url()).content.decode()
    assert "Helsinki, Kallio" in page
    page = client.get("/sv" + dream.get_absolute_url()).content.decode()
    assert "Helsingfors, Berghäll" in page


@pytest.mark.parametrize("value", ["nummi", "999999", "<script>", "1 OR 1=1"])
def test_another_citys_or_an_unknown_district_is_a_clear_error(
    client, resident, city, nummi, value
):
    client.force_login(resident)
    if value == "nummi":
        value = str(nummi.pk)
    response = client.post("/dreams/new/", _data(city, district=value))
    assert response.status_code == 400
    assert "district" in response.context["form"].errors
    assert not Dream.objects.exists()


def test_the_service_refuses_a_district_outside_the_dreams_city(city, resident, nummi):
    for dream_city in (city, None):
        with pytest.raises(Invalid) as info:
            services.dream_create(
                title="Iltakirjasto nuorille",
                description="Kirjasto auki myöhään illalla.",
                target_group="young_people",
                city=dream_city,
                district=nummi,
                author=resident,
            )
        assert "district" in info.value.message_dict
    assert not Dream.objects.exists()


def test_the_list_filters_by_district_and_topic_in_fixed_queries(
    client, city, kallio, django_assert_max_num_queries
):
    topic = TopicFactory()
    DreamFactory(city=city, title="Kallion unelma", district=kallio).topics.add(topic)
    DreamFactory(city=city, title="Muu unelma").topics.add(topic)
    url = f"/dreams/?city={city.slug}&district={kallio.pk}&topic={topic.slug}"
    with django_assert_max_num_queries(13) as few:
        html = client.get(url).content.decode()
    # Read now: the connection (and its query log) closes with the next request.
    queries = len(few.captured_queries)
    assert "Kallion unelma" in html and "Muu unelma" not in html
    # An unknown district is dropped, not a 500; the other filters still apply.
    html = client.get(f"/dreams/?district=abc&topic={topic.slug}").content.decode()
    assert "Kallion unelma" in html and "Muu unelma" in html
    for n in range(20):
        DreamFactory(city=city, title=f"Unelma {n}", district=kallio).topics.add(
            topic, TopicFactory()
        )
    with django_assert_max_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200


def test_the_personal_data_export_names_the_district(city, resident, kallio):
    from django.utils import translation

    from accounts.selectors import personal_data_export

    DreamFactory(city=city, author=resident, district=kallio)
    DreamFactory(city=city, author=resident)
    with translation.override("sv"):
        dreams = personal_data_export(resident)["ideas"]["dreams"]
    assert sorted(d["district"] for d in dreams) == ["", "Berghäll"]


def test_a_district_a_dream_names_is_not_deleted(client, city, kallio):
    from django.urls import reverse

    from tests.factories import UserFactory

    DreamFactory(city=city, district=kallio)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.post(reverse("places_districts:delete", args=[kallio.pk]))
    assert response.status_code == 302
    assert District.objects.filter(pk=kallio.pk).exists()
    html = client.get(response.url).content.decode()
    assert "is still in use" in html or "on yhä käytössä" in html
