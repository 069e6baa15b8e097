"""The knowledge base's pages: the list and its filters, one item, 404s, the
redirect of a merged duplicate, "me too" and comments."""

import datetime

import pytest
from django.urls import reverse

from core.actors import SESSION_KEY
from discussions.models import Comment, Discussion
from feedback.models import FeedbackSupport, Kind, Status, Visibility
from tests.feedback.factories import FeedbackItemFactory, FeedbackStatusChangeFactory

pytestmark = pytest.mark.django_db

LIST = "/feedback/"


def _at(day: int) -> datetime.datetime:
    return datetime.datetime(2026, 6, day, 12, tzinfo=datetime.UTC)


def test_list_shows_public_items_with_their_facts(client, service):
    item = FeedbackItemFactory(
        service=service,
        public_title="Kirjaston ovi jumissa",
        kind=Kind.FAULT,
        status=Status.DONE,
        answer="Ovi korjattiin maanantaina. " + "Lisää tekstiä. " * 30,
        requested_at=_at(3),
    )
    FeedbackItemFactory(
        service=service, public_title="Piilotettu", visibility=Visibility.PRIVATE
    )
    response = client.get(LIST)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Kirjaston ovi jumissa" in body
    assert item.get_absolute_url() in body
    assert "Piilotettu" not in body
    assert service.name_fi in body
    assert "Vikailmoitus" in body or "Fault report" in body
    assert "Ovi korjattiin maanantaina." in body
    assert "3.6.2026" in body
    # Only the start of a long answer.
    assert body.count("Lisää tekstiä.") < 20
    assert reverse("feedback:list") == LIST


def test_filter_form_works_without_javascript(client, service):
    body = client.get(LIST).content.decode()
    for name in ("q", "city", "service", "kind", "district", "status"):
        assert f'name="{name}"' in body
        assert f'for="id_{name}"' in body
    assert 'type="date"' in body and 'name="sent_from"' in body
    assert "<fieldset" in body and "<legend" in body
    assert 'method="get"' in body


def test_filters_and_search_narrow_the_list(client, service):
    question = FeedbackItemFactory(
        service=service,
        kind=Kind.QUESTION,
        public_title="Kirjasto auki",
        public_description="Milloin kirjasto aukeaa?",
    )
    FeedbackItemFactory(
        service=service,
        kind=Kind.PRAISE,
        public_title="Hieno uimahalli",
        public_description="Kiitos siisteydestä.",
    )
    body = client.get(LIST, {"kind": "question"}).content.decode()
    assert "Kirjasto auki" in body and "Hieno uimahalli" not in body
    response = client.get(LIST, {"q": "kirjastoon"})
    assert [i.pk for i in response.context["items"]] == [question.pk]
    response = client.get(LIST, {"city": service.city.slug, "status": "received"})
    assert len(response.context["items"]) == 2


def test_bad_filter_values_never_break_the_page(client, service):
    FeedbackItemFactory(service=service)
    for params in (
        {"city": "nowhere", "service": "x", "district": "99999", "kind": "<b>"},
        {"sent_from": "2026-13-45", "sent_to": "yesterday"},
        {"sent_from": "2026-06-10", "sent_to": "2026-06-01"},
        {"after": "garbage", "before": "%%%"},
        {"q": "x" * 5000},
    ):
        response = client.get(LIST, params)
        assert response.status_code == 200, params
    body = client.get(LIST, {"sent_from": "2026-06-10", "sent_to": "2026-06-01"})
    html = body.content.decode()
    assert "The end date must not be before the start date." in html or (
        "aria-invalid" in html
    )


def test_empty_and_no_results_states(client, service):
    english = "/en" + LIST
    assert "No feedback has been published yet." in client.get(english).content.decode()
    FeedbackItemFactory(service=service)
    body = client.get(english, {"q": "olematonsana"}).content.decode()
    assert "No feedback matches your search." in body


def test_next_and_previous_links_keep_the_filters(client, service, monkeypatch):
    monkeypatch.setattr("feedback.selectors.KB_PAGE_SIZE", 2)
    for day in range(1, 6):
        FeedbackItemFactory(service=service, requested_at=_at(day))
    first = client.get(LIST, {"kind": "complaint", "city": service.city.slug})
    next_query = first.context["next_query"]
    assert "kind=complaint" in next_query and "after=" in next_query
    assert first.context["previous_query"] is None
    second = client.get(f"{LIST}?{next_query}")
    previous_query = second.context["previous_query"]
    assert "kind=complaint" in previous_query and "before=" in previous_query
    assert "after=" not in previous_query
    back = client.get(f"{LIST}?{previous_query}")
    assert back.context["items"] == first.context["items"]
    assert 'rel="next"' in second.content.decode()


def test_list_query_count_is_fixed(client, service, django_assert_max_num_queries):
    for _ in range(2):
        FeedbackItemFactory(service=service, answer="Vastaus")
    with django_assert_max_num_queries(12) as few:
        client.get(LIST, {"q": "kirjasto", "city": service.city.slug})
    for _ in range(25):
        FeedbackItemFactory(service=service, answer="Vastaus")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(LIST, {"q": "kirjasto", "city": service.city.slug})
    assert response.context["next_query"]


def test_item_page_shows_the_public_record(client, service):
    item = FeedbackItemFactory(
        service=service,
        public_title="Valo ei pala",
        public_description="Katuvalo pimeänä <script>x</script>",
        status=Status.HANDLING,
        answer="Korjaamme valon.",
        answered_at=_at(5),
        lat=60.123456,
        long=24.987654,
        address="Mannerheimintie 1",
    )
    FeedbackStatusChangeFactory(item=item, status=Status.HANDLING, note="Työn alla")
    response = client.get(item.get_absolute_url())
    assert response.status_code == 200
    body = response.content.decode()
    assert "Valo ei pala" in body
    assert "Katuvalo pimeänä &lt;script&gt;x&lt;/script&gt;" in body
    assert "<script>x</script>" not in body
    assert "Korjaamme valon." in body and "Työn alla" in body
    assert service.name_fi in body
    # The coarse point, never the exact one nor the unconfirmed address.
    assert "60.123" in body and "60.123456" not in body and "24.987654" not in body
    assert "Mannerheimintie 1" not in body
    assert 'hreflang="sv"' in body and 'rel="alternate"' in body
    assert 'aria-label="Breadcrumb"' in body or "breadcrumbs" in body
    assert "<title>Valo ei pala" in body


def test_confirmed_place_shows_the_address(client, service):
    item = FeedbackItemFactory(
        service=service,
        lat=60.123456,
        long=24.987654,
        address="Mannerheimintie 1",
        place_confirmed=True,
    )
    body = client.get(item.get_absolute_url()).content.decode()
    assert "Mannerheimintie 1" in body and "60.123456" in body


@pytest.mark.parametrize(
    "fields",
    [
        {"visibility": Visibility.PRIVATE},
        {"visibility": Visibility.PENDING},
        {"withdrawn_at": _at(1)},
    ],
)
def test_hidden_items_are_404(client, service, fields):
    item = FeedbackItemFactory(service=service, **fields)
    assert client.get(item.get_absolute_url()).status_code == 404
    assert client.post(f"{item.get_absolute_url()}support/").status_code == 404
    assert client.post(f"{item.get_absolute_url()}comments/").status_code == 404


def test_made_up_ids_are_404(client, db):
    assert client.get("/feedback/999999/").status_code == 404
    assert client.get("/feedback/99999999999999999999999/").status_code == 404
    assert client.get("/feedback/abc/").status_code == 404


def test_merged_duplicate_redirects_permanently(client, service):
    stays = FeedbackItemFactory(service=service)
    duplicate = FeedbackItemFactory(service=service, merged_into=stays)
    response = client.get(duplicate.get_absolute_url())
    assert response.status_code == 301
    assert response["Location"] == stays.get_absolute_url()
    assert duplicate.pk not in [i.pk for i in client.get(LIST).context["items"]]


def test_support_twice_counts_once(client, service, resident):
    item = FeedbackItemFactory(service=service)
    client.force_login(resident)
    url = reverse("feedback:item_support", args=[item.pk])
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302
    item.refresh_from_db()
    assert item.support_count == 1
    body = client.get("/en" + item.get_absolute_url()).content.decode()
    assert "1 person has said" in body
    assert reverse("feedback:item_support_withdraw", args=[item.pk]) in body
    client.post(reverse("feedback:item_support_withdraw", args=[item.pk]))
    item.refresh_from_db()
    assert item.support_count == 0


def test_anonymous_visitor_supports_through_the_one_session_key(client, service):
    item = FeedbackItemFactory(service=service)
    response = client.post(reverse("feedback:item_support", args=[item.pk]))
    assert response.status_code == 302
    support = FeedbackSupport.objects.get(item=item)
    assert support.user is None
    assert str(support.anonymous_key) == client.session[SESSION_KEY]
    client.post(reverse("feedback:item_support", args=[item.pk]))
    item.refresh_from_db()
    assert item.support_count == 1
    page = client.get("/en" + item.get_absolute_url())
    assert "You have said" in page.content.decode()


def test_support_of_a_merged_duplicate_is_refused(client, service):
    stays = FeedbackItemFactory(service=service)
    duplicate = FeedbackItemFactory(service=service, merged_into=stays)
    response = client.post(reverse("feedback:item_support", args=[duplicate.pk]))
    assert response.status_code == 409
    assert not FeedbackSupport.objects.exists()


def test_support_is_post_only(client, service):
    item = FeedbackItemFactory(service=service)
    assert (
        client.get(reverse("feedback:item_support", args=[item.pk])).status_code == 405
    )


def test_first_comment_makes_the_thread_and_appears(client, service, resident):
    item = FeedbackItemFactory(service=service)
    body = client.get(item.get_absolute_url()).content.decode()
    assert reverse("feedback:item_comment", args=[item.pk]) in body
    assert not Discussion.objects.exists()  # a GET writes nothing
    client.force_login(resident)
    response = client.post(
        reverse("feedback:item_comment", args=[item.pk]),
        {"text": "Sama ongelma <b>täällä</b>", "next": item.get_absolute_url()},
    )
    assert response.status_code == 302
    discussion = Discussion.objects.get(target_type="feedback.feedbackitem")
    assert discussion.target_key == str(item.pk)
    assert discussion.city == service.city
    body = client.get(item.get_absolute_url()).content.decode()
    assert "Sama ongelma &lt;b&gt;täällä&lt;/b&gt;" in body
    assert reverse("discussions:comment_create", args=[discussion.pk]) in body
    # A second comment goes through the thread as on any page.
    client.post(
        reverse("discussions:comment_create", args=[discussion.pk]),
        {"text": "Toinen kommentti", "next": "/"},
    )
    assert Comment.objects.filter(discussion=discussion).count() == 2


def test_anonymous_visitor_may_comment(client, service):
    item = FeedbackItemFactory(service=service)
    response = client.post(
        reverse("feedback:item_comment", args=[item.pk]),
        {"text": "Nimetön havainto", "nickname": "Maija", "next": "/"},
    )
    assert response.status_code == 302
    assert Comment.objects.get().anonymous_key is not None


def test_comments_of_a_hidden_item_are_not_public(client, service, resident):
    from discussions.rules import public_comments_q

    item = FeedbackItemFactory(service=service)
    client.force_login(resident)
    client.post(
        reverse("feedback:item_comment", args=[item.pk]),
        {"text": "Näkyvä kommentti", "next": "/"},
    )
    assert Comment.objects.filter(public_comments_q()).count() == 1
    item.visibility = Visibility.PRIVATE
    item.save()
    assert Comment.objects.filter(public_comments_q()).count() == 0


def test_item_page_query_count_is_fixed(
    client, service, resident, django_assert_max_num_queries
):
    item = FeedbackItemFactory(service=service)
    for _ in range(5):
        FeedbackStatusChangeFactory(item=item)
    client.force_login(resident)
    client.post(
        reverse("feedback:item_comment", args=[item.pk]), {"text": "Eka", "next": "/"}
    )
    with django_assert_max_num_queries(30) as few:
        client.get(item.get_absolute_url())
    for _ in range(10):
        FeedbackStatusChangeFactory(item=item)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(item.get_absolute_url()).status_code == 200


def test_header_has_the_feedback_link(client, db):
    body = client.get(LIST).content.decode()
    assert f'<a href="{LIST}" aria-current="page">' in body


def test_swedish_list_is_translated_path(client, service):
    assert client.get("/sv/feedback/").status_code == 200


def test_follow_and_stop_following(client, service, resident):
    from notifications.selectors import is_following

    item = FeedbackItemFactory(service=service)
    url = reverse("feedback:item_follow", args=[item.pk])
    anonymous = client.post(url)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    client.force_login(resident)
    english = "/en" + item.get_absolute_url()
    assert "Follow this feedback" in client.get(english).content.decode()
    client.post(url)
    client.post(url)
    assert is_following(user=resident, target=item)
    assert "Stop following" in client.get(english).content.decode()
    client.post(url, {"stop": "1"})
    assert not is_following(user=resident, target=item)


def test_hidden_item_cannot_be_followed(client, service, resident):
    item = FeedbackItemFactory(service=service, visibility=Visibility.PRIVATE)
    client.force_login(resident)
    url = reverse("feedback:item_follow", args=[item.pk])
    assert client.post(url).status_code == 404


def test_home_page_shows_recently_answered_feedback(client, home_page, service):
    answered = FeedbackItemFactory(
        service=service,
        public_title="Vastattu palaute",
        answer="Kiitos, korjattu.",
        answered_at=_at(2),
    )
    FeedbackItemFactory(service=service, public_title="Vastaamaton palaute")
    FeedbackItemFactory(
        service=service,
        public_title="Yksityinen vastattu",
        answer="x",
        answered_at=_at(3),
        visibility=Visibility.PRIVATE,
    )
    body = client.get("/").content.decode()
    assert "Vastattu palaute" in body and answered.get_absolute_url() in body
    assert "Vastaamaton palaute" not in body and "Yksityinen vastattu" not in body


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_a_date_out_of_range_is_a_field_error_not_a_500(client, service, day):
    FeedbackItemFactory(service=service, title="Kirjaston ovi")
    response = client.get(LIST, {"sent_to": day, "sent_from": day})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kirjaston ovi" in html  # the bad filter is left out
    assert "1990" in html and "2100" in html  # and the field says why
