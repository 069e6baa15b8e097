import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.actors import Actor
from discussions import services
from discussions.models import Comment, CommentLike, CommentStatus
from participation import services as participation_services
from participation.models import Lifecycle
from tests.factories import UserFactory
from tests.participation.factories import SCRIPT, make_service

pytestmark = pytest.mark.django_db


def fill(discussion, n, author):
    comments = Comment.objects.bulk_create(
        Comment(discussion=discussion, author=author, text=f"Kommentti {i}")
        for i in range(n)
    )
    Comment.objects.bulk_create(
        Comment(discussion=discussion, parent=c, author=author, text="Vastaus")
        for c in comments[:5]
    )
    return comments


class TestServicePage:
    def test_renders_sections_and_comments_inert(
        self, client, service, discussion, resident
    ):
        services.comment_create(
            discussion=discussion,
            participant=Actor(user=resident),
            text=f"Hyvä {SCRIPT} <img src=x onerror=alert(1)> https://example.org",
        )
        response = client.get(service.url)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Mikä muuttuu" in html and "Mitä mieltä?" in html
        # What was typed is shown as typed, escaped: never a live element.
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;img src=x onerror=alert(1)&gt;" in html
        assert 'href="https://example.org" rel="nofollow noopener ugc"' in html
        assert "Resident &lt;b&gt;Riikka&lt;/b&gt;" in html
        assert "Log in to comment" in html or "Kirjaudu" in html

    def test_same_query_count_for_10_and_300_comments(
        self, client, service, discussion, resident
    ):
        client.force_login(resident)
        fill(discussion, 10, resident)
        client.get(service.url)  # warm-up (first view may create discussions)
        with CaptureQueriesContext(connection) as small:
            assert client.get(service.url).status_code == 200
        fill(discussion, 290, UserFactory())
        with CaptureQueriesContext(connection) as large:
            assert client.get(service.url).status_code == 200
        with CaptureQueriesContext(connection) as deep:
            first = client.get(service.url + "?order=oldest")
            cursor = re.search(r"after=([\w-]+)", first.content.decode()).group(1)
        with CaptureQueriesContext(connection) as deep:
            page2 = client.get(f"{service.url}?order=oldest&after={cursor}")
        assert page2.status_code == 200
        assert "Kommentti 20" in page2.content.decode()
        assert len(small) == len(large) == len(deep)

    def test_query_count_bound(
        self, client, service, discussion, resident, django_assert_max_num_queries
    ):
        fill(discussion, 50, resident)
        client.get(service.url)
        with django_assert_max_num_queries(25):
            client.get(service.url)

    def test_section_thread_is_separate(self, client, service, resident):
        threads = participation_services.service_discussions_sync(page=service)
        section = service.sections.first()
        services.comment_create(
            discussion=threads[section.discussion_key],
            participant=Actor(user=resident),
            text="Osion kommentti",
        )
        whole = client.get(service.url).content.decode()
        assert "Osion kommentti" not in whole
        part = client.get(f"{service.url}?section={section.key}").content.decode()
        assert "Osion kommentti" in part


class TestPosting:
    def test_no_js_comment_redirects_back(self, client, service, discussion, resident):
        client.force_login(resident)
        url = reverse("discussions:comment_create", args=[discussion.pk])
        response = client.post(
            url, {"text": "Hyvä!", "stance": "for", "next": service.url}
        )
        comment = Comment.objects.get()
        assert response.status_code == 302
        # Back at the confirmation (top of the page), not below it at the comment.
        assert response["Location"] == f"{service.url}#messages"
        assert comment.stance == "for"
        html = client.get(service.url).content.decode()
        assert "Hyvä!" in html
        confirmation = html[html.index('id="messages"') : html.index('id="main"')]
        assert f'href="{service.url}#comment-{comment.pk}"' in confirmation

    def test_open_redirect_is_refused(self, client, discussion, resident):
        client.force_login(resident)
        url = reverse("discussions:comment_create", args=[discussion.pk])
        response = client.post(url, {"text": "Hei", "next": "https://evil.example/"})
        assert not response["Location"].startswith("https://evil")

    def test_json_comment_and_reply(self, client, service, discussion, resident):
        client.force_login(resident)
        response = client.post(
            reverse("discussions:comment_create", args=[discussion.pk]),
            {"text": "Nopea"},
            HTTP_ACCEPT="application/json",
        )
        assert response.status_code == 201
        data = response.json()
        assert data["ok"] and 'id="comment-' in data["html"]
        reply = client.post(
            reverse("discussions:comment_reply", args=[data["id"]]),
            {"text": "Vastaus"},
            HTTP_ACCEPT="application/json",
        )
        assert reply.status_code == 201
        assert reply.json()["parent"] == data["id"]
        # The heading's count comes along, so the page shows it without a reload.
        assert (data["comment_count"], reply.json()["comment_count"]) == (1, 2)

    def test_invalid_comment_shows_errors_and_keeps_nothing(
        self, client, discussion, resident
    ):
        client.force_login(resident)
        response = client.post(
            reverse("discussions:comment_create", args=[discussion.pk]),
            {"text": "\u202e\u2066"},  # only bidi controls: nothing left
        )
        assert response.status_code == 400
        assert 'aria-invalid="true"' in response.content.decode()
        assert Comment.objects.count() == 0
        json = client.post(
            reverse("discussions:comment_create", args=[discussion.pk]),
            {"text": "a" * 6000},
            HTTP_ACCEPT="application/json",
        )
        assert json.status_code == 400
        assert "text" in json.json()["errors"]

    def test_anonymous_where_not_allowed(self, client, discussion):
        response = client.post(
            reverse("discussions:comment_create", args=[discussion.pk]),
            {"text": "Hei", "nickname": "Anne"},
            HTTP_ACCEPT="application/json",
        )
        assert response.status_code == 403
        assert Comment.objects.count() == 0

    def test_anonymous_where_allowed_gets_a_stable_key(self, client, city_page):
        page = make_service(city_page, title="Avoin", allow_anonymous=True)
        discussion = participation_services.service_discussions_sync(page=page)[
            page.discussion_key
        ]
        url = reverse("discussions:comment_create", args=[discussion.pk])
        client.post(url, {"text": "Yksi", "nickname": "Anne"})
        client.post(url, {"text": "Kaksi", "nickname": "Anne"})
        keys = set(Comment.objects.values_list("anonymous_key", flat=True))
        assert len(keys) == 1 and None not in keys
        html = client.get(page.url).content.decode()
        assert "Anne" in html

    def test_honeypot_refuses_bots(self, client, city_page):
        page = make_service(city_page, title="Avoin", allow_anonymous=True)
        discussion = participation_services.service_discussions_sync(page=page)[
            page.discussion_key
        ]
        response = client.post(
            reverse("discussions:comment_create", args=[discussion.pk]),
            {"text": "Buy", "nickname": "Bot", "website": "http://spam"},
        )
        assert response.status_code == 400
        assert Comment.objects.count() == 0

    def test_rate_limit_message(self, client, discussion, resident):
        client.force_login(resident)
        url = reverse("discussions:comment_create", args=[discussion.pk])
        for n in range(5):
            client.post(url, {"text": f"Viesti {n}"})
        response = client.post(url, {"text": "Liikaa"}, HTTP_ACCEPT="application/json")
        assert response.status_code == 429
        assert response.json()["message"]

    def test_like_toggle_json_and_no_js(self, client, discussion, resident, resident2):
        comment = services.comment_create(
            discussion=discussion, participant=Actor(user=resident), text="Tykkää"
        )
        client.force_login(resident2)
        url = reverse("discussions:comment_like", args=[comment.pk])
        data = client.post(
            url, {"action": "like"}, HTTP_ACCEPT="application/json"
        ).json()
        assert data == {"ok": True, "liked": True, "like_count": 1}
        assert client.post(url, {"action": "like"}).status_code == 302
        assert CommentLike.objects.count() == 1
        data = client.post(
            url, {"action": "unlike"}, HTTP_ACCEPT="application/json"
        ).json()
        assert data["like_count"] == 0

    def test_report_form_and_post(self, client, discussion, resident, resident2):
        comment = services.comment_create(
            discussion=discussion, participant=Actor(user=resident), text="Huono"
        )
        client.force_login(resident2)
        url = reverse("discussions:comment_report", args=[comment.pk])
        assert client.get(url).status_code == 200
        assert client.post(url, {"reason": "Sääntö 1"}).status_code == 302
        report = comment.reports.get()
        assert (report.reporter, report.reason) == (resident2, "Sääntö 1")
        again = client.post(url, {"reason": "Sääntö 1"})
        assert again.status_code == 400
        # Refused with the reason on the form, and still one report.
        assert again.context["form"].non_field_errors()
        assert comment.reports.count() == 1

    def test_support_buttons(self, client, service, discussion, resident):
        client.force_login(resident)
        url = reverse("discussions:discussion_support", args=[discussion.pk])
        assert client.post(url, {"value": "1"}).status_code == 302
        discussion.refresh_from_db()
        assert discussion.support_count == 1
        assert client.post(url, {"value": "zz"}).status_code == 302
        discussion.refresh_from_db()
        assert discussion.support_count == 1

    def test_edit_and_delete(self, client, service, discussion, resident):
        client.force_login(resident)
        comment = services.comment_create(
            discussion=discussion, participant=Actor(user=resident), text="Vanha"
        )
        edit = reverse("discussions:comment_edit", args=[comment.pk])
        assert client.get(edit).status_code == 200
        client.post(edit, {"text": "Uusi"})
        comment.refresh_from_db()
        assert comment.text == "Uusi"
        client.post(reverse("discussions:comment_delete", args=[comment.pk]))
        comment.refresh_from_db()
        assert comment.status == CommentStatus.DELETED


class TestModerationAdmin:
    def test_queue_and_hide_restore_block(
        self, client, discussion, resident, moderator
    ):
        comment = services.comment_create(
            discussion=discussion, participant=Actor(user=resident), text="Ruma"
        )
        services.comment_report(
            comment=comment, participant=Actor(user=UserFactory()), reason="Ruma"
        )
        client.force_login(moderator)
        queue = client.get(reverse("discussions_admin:moderation"))
        assert queue.status_code == 200
        assert "Ruma" in queue.content.decode()
        action = reverse("discussions_admin:moderation_action", args=[comment.pk])
        client.post(action, {"action": "hide", "reason": "Sääntö 2"})
        comment.refresh_from_db()
        assert comment.status == CommentStatus.HIDDEN
        page = client.get(discussion.url).content.decode()
        assert "Sääntö 2" in page and "Ruma" not in page.split('id="comments"')[1]
        client.post(action, {"action": "restore", "reason": "OK"})
        comment.refresh_from_db()
        assert comment.status == CommentStatus.VISIBLE
        client.post(action, {"action": "block", "reason": "Toistuva"})
        log = client.get(reverse("discussions_admin:moderation")).content.decode()
        assert "Toistuva" in log and "Sääntö 2" in log

    def test_non_moderator_is_refused(self, client, discussion, resident, editor):
        comment = services.comment_create(
            discussion=discussion, participant=Actor(user=resident), text="Ruma"
        )
        client.force_login(editor)
        assert client.get(reverse("discussions_admin:moderation")).status_code in (
            302,
            403,
        )
        response = client.post(
            reverse("discussions_admin:moderation_action", args=[comment.pk]),
            {"action": "hide", "reason": "x"},
        )
        assert response.status_code in (302, 403)
        comment.refresh_from_db()
        assert comment.status == CommentStatus.VISIBLE

    def test_answer_publish_view(self, client, service, editor, moderator):
        draft = service.get_latest_revision_as_object()
        draft.answer = "<p>Näin teimme.</p>"
        draft.save_revision(user=editor)
        url = reverse("participation_admin:answer_publish", args=[service.pk])
        client.force_login(moderator)
        assert client.get(url).status_code in (302, 403)
        client.force_login(editor)
        assert client.get(url).status_code == 200
        assert client.post(url).status_code == 302
        service.refresh_from_db()
        assert service.status == Lifecycle.ANSWERED
        assert "Näin teimme" in client.get(service.url).content.decode()


class TestIndexes:
    def test_city_page_filters(self, client, city_page):
        open_one = make_service(city_page, title="Avoin palvelu")
        make_service(city_page, title="Suljettu palvelu", status=Lifecycle.CLOSED)
        html = client.get(city_page.url).content.decode()
        assert "Avoin palvelu" in html and "Suljettu palvelu" in html
        html = client.get(city_page.url + "?open_now=on").content.decode()
        assert "Avoin palvelu" in html and "Suljettu palvelu" not in html
        html = client.get(city_page.url + "?status=closed").content.decode()
        assert "Avoin palvelu" not in html and "Suljettu palvelu" in html
        from core.models import Topic

        open_one.topics.add(Topic.objects.create(slug="kirjastot", name_fi="Kirjastot"))
        open_one.save_revision().publish()
        html = client.get(city_page.url + "?topic=kirjastot").content.decode()
        assert "Avoin palvelu" in html and "Suljettu palvelu" not in html

    def test_home_lists_open_services(self, client, home_page, city_page):
        make_service(city_page, title="Avoin palvelu")
        make_service(city_page, title="Suljettu palvelu", status=Lifecycle.CLOSED)
        html = client.get(home_page.url).content.decode()
        assert "Avoin palvelu" in html and "Suljettu palvelu" not in html


def test_city_page_district_filter_and_sort(client, city, city_page):
    from core.models import District

    east = District.objects.create(city=city, slug="ita", name_fi="Itä")
    first = make_service(city_page, title="Itäinen palvelu")
    first.districts.add(east)
    first.save_revision().publish()
    make_service(city_page, title="Läntinen palvelu")
    html = client.get(f"{city_page.url}?district={east.pk}").content.decode()
    assert "Itäinen palvelu" in html and "Läntinen palvelu" not in html
    html = client.get(f"{city_page.url}?order=title").content.decode()
    assert html.index("Itäinen palvelu") < html.index("Läntinen palvelu")


def test_preview_creates_no_discussions(client, city_page, django_user_model):
    from discussions.models import Discussion

    page = make_service(city_page, publish=False)
    request = client.get("/").wsgi_request
    request.is_preview = True
    Discussion.objects.all().delete()
    context = page.get_context(request)
    assert len(context["sections"]) == 2
    assert Discussion.objects.count() == 0
