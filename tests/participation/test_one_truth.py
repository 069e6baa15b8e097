"""One planned service, one truth in three languages (#15).

A service published in Finnish, Swedish and English: the status, the comment
period, the discussion rules and the city's answer are one shared record, so
every page, list, open data row and e-mail tells the same.
"""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import Role
from accounts.services import role_grant
from core.actors import Actor
from discussions import services as discussions_services
from discussions.models import Discussion
from participation.models import Lifecycle, PlannedServicePage, ServiceState
from participation.services import (
    service_answer_publish,
    service_discussions_sync,
    service_status_set,
)
from tests.factories import UserFactory
from tests.opendata.test_api import api_rows
from tests.participation.factories import TITLES, make_service, translate

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(city):
    user = UserFactory(display_name="Editor Eero", email="eero@example.org")
    role_grant(user=user, city=city, role=Role.EDITOR)
    return user


def html(client, page):
    return client.get(page.url).content.decode()


def test_copies_share_one_state(copies):
    states = {p.state_id for p in copies.values()}
    assert len(states) == 1 and None not in states
    state = ServiceState.objects.get()
    assert state.translation_key == copies["fi"].translation_key
    assert state.status == Lifecycle.OPEN


def test_status_and_period_agree_on_every_page(client, copies, editor):
    # The pages show the date in Helsinki time: late in the UTC evening it is
    # already the next day there.
    close_at = timezone.localtime(copies["fi"].comments_close_at)
    for page in copies.values():
        text = html(client, page)
        assert "badge--open" in text
        assert close_at.strftime("%-d.%-m.%Y") in text
    service_status_set(page=copies["en"], user=editor, status=Lifecycle.CLOSED)
    for language, page in copies.items():
        page = PlannedServicePage.objects.get(pk=page.pk)
        assert page.status == Lifecycle.CLOSED, language
        assert not page.comments_accepted_now()
        assert "badge--open" not in html(client, page)
    # The shared discussions follow too: nobody comments on any version.
    threads = service_discussions_sync(page=copies["sv"])
    assert not any(d.is_open for d in threads.values())


def test_commenting_rules_are_the_shared_ones(copies):
    copies["sv"].allow_anonymous = True
    copies["sv"].save_revision().publish()
    assert PlannedServicePage.objects.get(pk=copies["en"].pk).allow_anonymous
    discussion = Discussion.objects.get(
        target_key=copies["fi"].discussion_key, target_type__endswith="page"
    )
    assert discussion.allow_anonymous


def test_answer_on_every_page_in_its_language_or_marked(client, copies, editor):
    resident = UserFactory(email="riikka@example.org", preferred_language="sv")
    discussions_services.discussion_support(
        discussion=service_discussions_sync(page=copies["fi"])[
            copies["fi"].discussion_key
        ],
        participant=Actor(user=resident),
        value=1,
    )
    fi = copies["fi"].get_latest_revision_as_object()
    fi.answer = "<p>Aukioloajat pitenevät.</p>"
    fi.save_revision()
    en = copies["en"]
    en.answer = "<p>Opening hours get longer.</p>"
    en.save_revision().publish()
    service_answer_publish(page=copies["fi"], user=editor)

    fi_html = html(client, copies["fi"])
    assert "Aukioloajat pitenevät." in fi_html
    en_html = html(client, copies["en"])
    assert "Opening hours get longer." in en_html and "pitenevät" not in en_html
    # The Swedish version has no translated answer: the Finnish one, marked.
    sv_html = html(client, copies["sv"])
    assert '<div lang="fi"><p>Aukioloajat pitenevät.</p></div>' in sv_html
    assert "Svaret finns endast på finska." in sv_html
    for page in copies.values():
        assert PlannedServicePage.objects.get(pk=page.pk).answer_is_public


def test_answer_mail_links_to_the_recipients_language(
    copies, editor, django_capture_on_commit_callbacks
):
    thread = service_discussions_sync(page=copies["fi"])[copies["fi"].discussion_key]
    for language in ("fi", "sv", "en"):
        person = UserFactory(
            email=f"{language}@example.org", preferred_language=language
        )
        discussions_services.discussion_support(
            discussion=thread, participant=Actor(user=person), value=1
        )
    draft = copies["fi"].get_latest_revision_as_object()
    draft.answer = "<p>Vastaus.</p>"
    draft.save_revision()
    with django_capture_on_commit_callbacks(execute=True):
        service_answer_publish(page=copies["fi"], user=editor)
    by_address = {m.to[0]: m for m in mail.outbox}
    for language, page in copies.items():
        message = by_address[f"{language}@example.org"]
        assert page.url in message.body, language
        assert TITLES[language] in message.subject
    assert "/sv/" in by_address["sv@example.org"].body
    assert "/en/" in by_address["en@example.org"].body
    assert "Staden har svarat" in by_address["sv@example.org"].subject


def test_lists_show_each_service_once_in_the_visitors_language(
    client, home_page, city_pages, copies
):
    only_finnish = make_service(city_pages["fi"], title="Vain suomeksi")
    for language in copies:
        prefix = "" if language == "fi" else f"/{language}"
        for url in (f"{prefix}/", city_pages[language].url):
            text = client.get(url).content.decode()
            assert text.count(f">{TITLES[language]}</a>") == 1, (language, url)
            for other in set(TITLES) - {language}:
                assert TITLES[other] not in text, (language, url)
            # The Finnish-only service is listed once, marked as Finnish.
            assert text.count(">Vain suomeksi</a>") == 1, (language, url)
            if language != "fi":
                assert f'<h3 lang="fi"><a href="{only_finnish.url}"' in text
    assert "Endast på finska" in client.get("/sv/").content.decode()
    assert "Only in Finnish" in client.get("/en/").content.decode()


def test_home_counts_agree_between_languages(client, home_page, city_pages, copies):
    counts = {}
    for language in ("fi", "sv", "en"):
        prefix = "" if language == "fi" else f"/{language}"
        counts[language] = (
            client.get(f"{prefix}/").content.decode().count("service-card")
        )
    assert counts["fi"] == counts["sv"] == counts["en"] > 0


def test_lists_have_a_fixed_number_of_queries(
    client, city_pages, copies, django_assert_max_num_queries
):
    url = city_pages["en"].url
    client.get(url)
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    for index in range(4):
        page = make_service(city_pages["fi"], title=f"Palvelu {index}")
        if index % 2:
            translate(page, "en")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_open_data_rows_agree_on_status(client, copies, editor):
    service_status_set(page=copies["sv"], user=editor, status=Lifecycle.CLOSED)
    rows = api_rows(client, "services")
    assert sorted(row["language"] for row in rows) == ["en", "fi", "sv"]
    assert {row["status"] for row in rows} == {"closed"}
    assert len({row["comments_close_at"] for row in rows}) == 1
    assert {r["language"] for r in api_rows(client, "services", status="closed")} == {
        "en",
        "fi",
        "sv",
    }


def test_status_change_moves_every_rows_updated_at(client, copies, editor):
    since = max(row["updated_at"] for row in api_rows(client, "services"))
    service_status_set(page=copies["fi"], user=editor, status=Lifecycle.CLOSED)
    changed = api_rows(client, "services", updated_since=since)
    assert sorted(row["language"] for row in changed) == ["en", "fi", "sv"]


def as_post_data(form) -> dict:
    """What the browser would send back for `form` as rendered."""
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None or value is False:
            continue
        if not isinstance(value, list):
            value = field.widget.format_value(value)
        if value is not None:
            data[form.add_prefix(name)] = value
    return data


def test_admin_edit_of_any_copy_edits_the_one_record(client, copies, city):
    admin = UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)
    client.force_login(admin)
    en = copies["en"]
    response = client.get(f"/admin/pages/{en.pk}/edit/")
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["status"] == Lifecycle.OPEN
    data = as_post_data(form)
    for formset in ("sections", "attachments"):
        inline = form.formsets[formset]
        data.update(
            {
                f"{inline.prefix}-{key}": value
                for key, value in inline.management_form.initial.items()
            }
        )
        for subform in inline.forms:
            data.update(as_post_data(subform))
    data["status"] = Lifecycle.CLOSED
    data["premoderated"] = "on"
    data["action-publish"] = "action-publish"
    response = client.post(f"/admin/pages/{en.pk}/edit/", data)
    assert response.status_code == 302, response.context["form"].errors
    state = ServiceState.objects.get()
    assert (state.status, state.premoderated) == (Lifecycle.CLOSED, True)
    for page in copies.values():
        page = PlannedServicePage.objects.get(pk=page.pk)
        assert page.status == Lifecycle.CLOSED and page.premoderated
    assert Discussion.objects.filter(premoderated=True).exists()


def test_admin_form_refuses_a_period_that_ends_before_it_starts(copies):
    form_class = PlannedServicePage.get_edit_handler().get_form_class()
    now = timezone.now()
    form = form_class(
        instance=copies["fi"],
        for_user=None,
        data={
            "comments_open_at": now,
            "comments_close_at": now - timedelta(days=1),
        },
    )
    assert not form.is_valid()
    assert "comments_close_at" in form.errors


def test_a_plain_copy_gets_its_own_state(copies, city_pages):
    clone = copies["fi"].copy(
        update_attrs={"slug": "kopio", "title": "Kopio"}, keep_live=False
    )
    clone = PlannedServicePage.objects.get(pk=clone.pk)
    assert clone.state_id != copies["fi"].state_id
    assert clone.status == Lifecycle.OPEN
    assert ServiceState.objects.count() == 2


def test_status_change_is_in_the_page_history(copies, editor):
    from wagtail.models import PageLogEntry

    service_status_set(page=copies["sv"], user=editor, status=Lifecycle.CLOSED)
    entry = PageLogEntry.objects.get(action="participation.status_set")
    assert (entry.page_id, entry.user_id) == (copies["sv"].pk, editor.pk)
    assert entry.data == {"status": "closed"}


def test_city_filter_offers_the_topics_of_fallback_services(client, city_pages):
    from core.models import Topic

    page = make_service(city_pages["fi"], title="Vain suomeksi")
    page.topics.add(Topic.objects.create(slug="kirjastot", name_fi="Kirjastot"))
    page.save_revision().publish()
    text = client.get(city_pages["en"].url + "?topic=kirjastot").content.decode()
    assert 'value="kirjastot" selected' in text
    assert ">Vain suomeksi</a>" in text


def test_demo_copies_share_the_state_and_the_answer(client, city, city_pages):
    import io

    from participation import demo

    users = {
        name: UserFactory(email=f"{name}@example.org", display_name=name.title())
        for name in ("editor", "moderator", "facilitator", "resident", "resident2")
    }
    role_grant(user=users["editor"], city=city, role=Role.EDITOR)
    role_grant(user=users["moderator"], city=city, role=Role.MODERATOR)
    demo.load(
        cities={"helsinki": city},
        city_pages={"helsinki": city_pages},
        users=users,
        stdout=io.StringIO(),
    )
    assert PlannedServicePage.objects.count() == 6
    assert ServiceState.objects.count() == 2
    youth = PlannedServicePage.objects.filter(slug="nuorisotalon-toiminta")
    assert {page.status for page in youth} == {Lifecycle.ANSWERED}
    english = youth.get(locale__language_code="en")
    text = html(client, english)
    assert '<div lang="fi"><p>Kiitos kommenteista!' in text
    assert "The answer is in Finnish." in text
    assert "badge--open" not in text
