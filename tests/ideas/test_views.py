import pytest
from django.urls import reverse
from django.utils.html import escape

from core.actors import Actor
from ideas.models import Dream, DreamStatus, DreamSupport
from ideas.services import dream_merge, dream_support
from tests.factories import UserFactory
from tests.ideas.factories import DreamFactory, TopicFactory, allow_anonymous

pytestmark = pytest.mark.django_db

NEW_URL = "/dreams/new/"


def _form_data(city, **overrides):
    data = {
        "title": "Iltakirjasto nuorille",
        "description": "Kirjasto, joka on auki myöhään illalla nuorille.",
        "target_group": "young_people",
        "what_would_change": "",
        "city": city.slug,
        "district": "",
        "language": "fi",
        "website": "",
    }
    data.update(overrides)
    return data


# --- Browsing ----------------------------------------------------------------


def test_list_renders_payloads_inert(client, city):
    DreamFactory(city=city, title="<script>alert('x')</script>Unelma")
    response = client.get("/dreams/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<script>alert('x')</script>" not in body
    assert "&lt;script&gt;" in body


def test_list_query_count_does_not_grow_with_rows(
    client, city, django_assert_max_num_queries
):
    topic = TopicFactory()
    for _n in range(3):
        DreamFactory(city=city).topics.add(topic)
    # 4 for the dreams, their topics and the filter choices; the rest is the
    # base layout (navigation pages) and the lookups of the chosen filters.
    with django_assert_max_num_queries(12) as few:
        client.get(f"/dreams/?city={city.slug}&topic={topic.slug}&sort=trending")
    for _n in range(30):
        DreamFactory(city=city).topics.add(topic, TopicFactory())
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(
            f"/dreams/?city={city.slug}&topic={topic.slug}&sort=trending"
        )
    assert response.status_code == 200
    assert response.context["next_query"]


def test_list_next_page_link_follows_the_cursor(client, city):
    for n in range(25):
        DreamFactory(city=city, title=f"Unelma numero {n}")
    first = client.get("/dreams/?sort=newest")
    second = client.get(f"/dreams/?{first.context['next_query']}")
    ids = [d.pk for d in first.context["dreams"]] + [
        d.pk for d in second.context["dreams"]
    ]
    assert len(set(ids)) == 25
    assert second.context["next_query"] is None


def test_bad_filters_are_ignored_not_errors(client, city):
    dream = DreamFactory(city=city)
    response = client.get("/dreams/?city=nowhere&sort=evil&status=x&cursor=%%%")
    assert response.status_code == 200
    # Ignored, not applied: the unfiltered list still shows the dream.
    assert list(response.context["dreams"]) == [dream]


def test_detail_shows_history_and_links(client, city, facilitator, city_page):
    from ideas.services import dream_link_add, dream_status_change

    dream = DreamFactory(city=city)
    dream_status_change(
        dream=dream,
        to_status="not_pursued",
        by=facilitator,
        reason="Ei rahaa <script>alert(1)</script>tänä vuonna.",
    )
    dream_link_add(dream=dream, by=facilitator, page=city_page)
    response = client.get(dream.get_absolute_url())
    body = response.content.decode()
    assert "Ei rahaa &lt;script&gt;alert(1)&lt;/script&gt;tänä vuonna." in body
    assert city_page.url in body
    assert "<script>alert" not in body


def test_detail_query_count_is_fixed(client, city, django_assert_max_num_queries):
    dream = DreamFactory(city=city)
    for _ in range(5):
        DreamSupport.objects.create(dream=dream, user=UserFactory())
    dream.topics.add(TopicFactory(), TopicFactory())
    # 14 for the dream itself, 2 for its comment thread (see test_comments.py for
    # the count staying the same however many comments there are).
    with django_assert_max_num_queries(16):
        assert client.get(dream.get_absolute_url()).status_code == 200


def test_merged_dream_redirects_to_target_and_says_so(client, city, facilitator):
    target, source = DreamFactory(city=city), DreamFactory(city=city, title="Vanha")
    dream_merge(source=source, target=target, by=facilitator)
    response = client.get(source.get_absolute_url(), follow=True)
    assert response.redirect_chain[-1][0] == target.get_absolute_url()
    assert "Vanha" in response.content.decode()


def test_unknown_dream_is_404(client, db):
    assert client.get("/dreams/999999/").status_code == 404


def test_swedish_and_english_urls(client, city):
    dream = DreamFactory(city=city)
    swedish = client.get(f"/sv/dreams/{dream.pk}/")
    assert swedish.status_code == 200
    assert '<html lang="sv">' in swedish.content.decode()
    assert escape(dream.title) in swedish.content.decode()
    english = client.get("/en/dreams/")
    assert english.status_code == 200
    assert '<html lang="en">' in english.content.decode()
    assert list(english.context["dreams"]) == [dream]


# --- Telling a dream -----------------------------------------------------------


def test_anonymous_visitor_is_asked_to_log_in(client, city):
    response = client.get(NEW_URL)
    assert response.status_code == 200
    assert reverse("accounts:login") in response.content.decode()
    assert b'name="title"' not in response.content


def test_new_dream_without_similar_ones_is_saved_at_once(client, city, resident):
    client.force_login(resident)
    response = client.post(NEW_URL, _form_data(city))
    dream = Dream.objects.get()
    assert response.status_code == 302
    assert response["Location"] == dream.get_absolute_url()
    assert dream.author == resident


def test_without_js_similar_dreams_are_shown_before_saving(client, city, resident):
    existing = DreamFactory(city=city, title="Iltakirjasto nuorille kaikille")
    topic = TopicFactory()
    client.force_login(resident)
    response = client.post(NEW_URL, _form_data(city, topics=[topic.slug]))
    assert response.status_code == 200
    assert existing.get_absolute_url() in response.content.decode()
    assert Dream.objects.count() == 1
    # The confirmation step carries the values: posting it saves the dream.
    confirm = response.context["form"]
    data = {
        name: confirm[name].value()
        for name in confirm.fields
        if name not in {"website", "similar_seen"}
    }
    data["confirmed"] = "1"
    data["topics"] = [topic.slug]
    data["city"] = city.slug
    response = client.post(NEW_URL, data)
    assert response.status_code == 302
    saved = Dream.objects.exclude(pk=existing.pk).get()
    assert list(saved.topics.all()) == [topic]


def test_with_js_the_similar_seen_flag_skips_the_confirmation(client, city, resident):
    DreamFactory(city=city, title="Iltakirjasto nuorille kaikille")
    client.force_login(resident)
    response = client.post(NEW_URL, _form_data(city, similar_seen="True"))
    assert response.status_code == 302
    assert Dream.objects.count() == 2


def test_honeypot_saves_nothing(client, city, resident):
    client.force_login(resident)
    response = client.post(NEW_URL, _form_data(city, website="http://spam.example"))
    assert response.status_code == 400
    assert Dream.objects.count() == 0


@pytest.mark.parametrize(
    "overrides",
    [{"title": ""}, {"description": ""}, {"title": "x" * 121}, {"target_group": "x"}],
)
def test_bad_form_shows_errors_tied_to_fields(client, city, resident, overrides):
    client.force_login(resident)
    response = client.post(NEW_URL, _form_data(city, **overrides))
    assert response.status_code == 400
    field = next(iter(overrides))
    body = response.content.decode()
    assert f'id="id_{field}_errors"' in body
    assert f'aria-describedby="id_{field}_errors' in body
    assert Dream.objects.count() == 0


def test_service_errors_reach_the_form(client, city, resident):
    client.force_login(resident)
    # The form takes it; the service, having removed the bidi controls, finds
    # the title too short (a typed "<b></b>" would count as text since #12).
    response = client.post(NEW_URL, _form_data(city, title="\u202e\u2066abc"))
    assert response.status_code == 400
    assert Dream.objects.count() == 0


def test_anonymous_dream_with_nickname_where_allowed(client, city):
    allow_anonymous(city)
    response = client.get(NEW_URL)
    assert b'name="nickname"' in response.content
    response = client.post(NEW_URL, _form_data(city, nickname="Maija"))
    assert response.status_code == 302
    dream = Dream.objects.get()
    assert dream.nickname == "Maija" and dream.anonymous_key is not None
    # The same visitor cannot support their own dream.
    client.post(reverse("ideas:dream_support", args=[dream.pk]))
    assert not DreamSupport.objects.exists()


def test_similar_endpoint_returns_json(client, city):
    dream = DreamFactory(city=city, title="Iltakirjasto <script>x</script>nuorille")
    response = client.get(
        "/dreams/similar/", {"title": "iltakirjasto", "city": city.slug}
    )
    assert response.status_code == 200
    results = response.json()["results"]
    assert results[0]["id"] == dream.pk
    assert results[0]["url"] == dream.get_absolute_url()
    assert client.get("/dreams/similar/").json() == {"results": []}


def test_similar_endpoint_is_rate_limited(client, city):
    for _ in range(120):
        client.get("/dreams/similar/", {"title": "x"})
    assert client.get("/dreams/similar/", {"title": "x"}).status_code == 429


# --- Supporting -------------------------------------------------------------------


def test_support_and_withdraw_without_js(client, city, resident):
    dream = DreamFactory(city=city)
    client.force_login(resident)
    support_url = reverse("ideas:dream_support", args=[dream.pk])
    response = client.post(support_url)
    assert response.status_code == 302
    client.post(support_url)  # twice: still one
    dream.refresh_from_db()
    assert dream.support_count == 1
    page = client.get(dream.get_absolute_url()).content.decode()
    assert reverse("ideas:dream_withdraw", args=[dream.pk]) in page
    client.post(reverse("ideas:dream_withdraw", args=[dream.pk]))
    dream.refresh_from_db()
    assert dream.support_count == 0


def test_support_needs_post_and_login(client, city):
    dream = DreamFactory(city=city)
    url = reverse("ideas:dream_support", args=[dream.pk])
    assert client.get(url).status_code == 405
    client.post(url)
    assert not DreamSupport.objects.exists()


def test_support_redirect_ignores_foreign_next(client, city, resident):
    dream = DreamFactory(city=city)
    client.force_login(resident)
    response = client.post(
        reverse("ideas:dream_support", args=[dream.pk]),
        {"next": "https://evil.example/"},
    )
    assert response["Location"] == dream.get_absolute_url()


def test_support_requires_csrf(city, resident):
    from django.test import Client

    dream = DreamFactory(city=city)
    client = Client(enforce_csrf_checks=True)
    client.force_login(resident)
    response = client.post(reverse("ideas:dream_support", args=[dream.pk]))
    assert response.status_code == 403
    assert not DreamSupport.objects.exists()


# --- Opportunities and home page ------------------------------------------------


def test_opportunities_page(client, city, django_assert_max_num_queries):
    topic = TopicFactory(name_fi="Liikkuminen")
    for _ in range(3):
        DreamFactory(city=city, target_group="seniors").topics.add(topic)
    with django_assert_max_num_queries(10):
        response = client.get(f"/dreams/opportunities/?city={city.slug}")
    body = response.content.decode()
    assert "Liikkuminen" in body
    assert "/api/v1/dreams/" in body


def test_home_page_shows_popular_dreams(client, home_page, city):
    dream = DreamFactory(city=city, support_count=5, title="Suosittu unelma")
    DreamFactory(city=city, support_count=9, status=DreamStatus.MERGED)
    response = client.get(home_page.url)
    body = response.content.decode()
    assert "Suosittu unelma" in body
    assert dream.get_absolute_url() in body
    assert reverse("ideas:dream_list") in body  # main navigation


def test_other_supporters_counted(client, city, resident, other_resident):
    dream = DreamFactory(city=city)
    dream_support(dream=dream, participant=Actor(user=other_resident))
    client.force_login(resident)
    client.post(reverse("ideas:dream_support", args=[dream.pk]))
    dream.refresh_from_db()
    assert dream.support_count == 2


def test_optional_fields_say_so_once(client, city, resident):
    client.force_login(resident)
    html = client.get("/en" + NEW_URL).content.decode()
    assert "District <span" in html  # the label, then one "(optional)"
    assert "(optional) <span" not in html and "(optional)</span> <span" not in html
    assert html.count("(optional)") == html.count('class="meta">(optional)')


def test_a_visitor_learns_which_cities_take_anonymous_dreams_before_writing(
    client, city, other_city
):
    allow_anonymous(city)
    html = client.get("/en" + NEW_URL).content.decode()
    notice = html[html.index('id="anonymous-notice"') : html.index('name="title"')]
    assert "Without an account you can tell a dream" in notice
    assert city.name_en in notice
    assert other_city.name_fi not in notice
    assert "/en/accounts/login/?next=" in notice
    # Arriving from a city that takes no anonymous dreams: told at once.
    response = client.get("/en" + NEW_URL, {"city": other_city.slug})
    assert "takes dreams only from signed-in residents" in response.content.decode()
    assert b'name="title"' not in response.content


def test_an_anonymous_dream_for_a_closed_city_is_refused_at_the_city_field(
    client, city, other_city
):
    DreamFactory(city=other_city, title="Iltakirjasto nuorille")  # a similar one
    allow_anonymous(city)
    response = client.post("/en" + NEW_URL, _form_data(other_city, nickname="Maija"))
    assert response.status_code == 400
    form = response.context["form"]
    assert "city" in form.errors and "nickname" not in form.errors
    used = {template.name for template in response.templates}
    assert "ideas/dream_confirm.html" not in used  # not after the similar step
    assert Dream.objects.count() == 1
