"""The index follows the services: each kind appears after its service call,
disappears at once when hidden, private or unpublished, and never holds what
was never public. The rebuild command repairs what changed behind the services."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import PageViewRestriction

from cms.models import ContentPage
from core.actors import Actor
from discussions.models import Comment
from discussions.services import comment_create, comment_hide
from feedback.models import FeedbackItem, Visibility
from feedback.services.handling import item_make_private, item_publish
from feedback.services.intake import feedback_submit
from ideas.models import Dream
from ideas.services import dream_create, dream_discussion, dream_merge
from search.models import SearchDocument
from tests.factories import UserFactory
from tests.feedback.factories import FeedbackServiceFactory
from tests.participation.factories import make_service
from tests.search.conftest import indexed
from workshops import services as workshop_services
from workshops.panels.services import panel_create

pytestmark = pytest.mark.django_db


def _dream(commit, city, **fields):
    defaults = {
        "title": "Kirjasto auki iltaisin <script>x</script>",
        "description": "Lainaa kirjoja myöhään.",
        "target_group": "everyone",
        "city": city,
        "language": "fi",
        "author": UserFactory(),
    }
    defaults.update(fields)
    return commit(dream_create, rate_limit=False, **defaults)


def test_a_dream_is_found_after_it_is_told_and_gone_when_merged(
    commit, city, facilitator
):
    first = _dream(commit, city)
    second = _dream(commit, city, title="Kirjasto auki sunnuntaisin")
    document = SearchDocument.objects.get(kind="dream", object_id=first.pk)
    assert document.title == first.title  # stored as typed, escaped on output
    assert document.city_id == city.pk
    assert document.url == first.get_absolute_url()
    assert " kirjasto " in document.search_terms

    commit(dream_merge, source=second, target=first, by=facilitator)
    assert indexed("dream") == {first.pk}


def test_a_comment_appears_when_shown_and_goes_when_hidden(
    commit, city, resident, moderator
):
    dream = _dream(commit, city)
    discussion = dream_discussion(dream=dream)
    comment = commit(
        comment_create,
        discussion=discussion,
        participant=Actor(user=resident),
        text="Kirjastoon pitäisi päästä myös iltaisin.",
    )
    document = SearchDocument.objects.get(kind="comment", object_id=comment.pk)
    assert document.url == f"{discussion.url}#comment-{comment.pk}"
    assert document.title == discussion.title

    commit(comment_hide, comment=comment, moderator=moderator, reason="Asiaton")
    assert indexed("comment") == set()


def test_a_comment_waiting_for_moderation_is_never_indexed(commit, city, resident):
    dream = _dream(commit, city)
    discussion = dream_discussion(dream=dream)
    discussion.premoderated = True
    discussion.save()
    comment = commit(
        comment_create,
        discussion=discussion,
        participant=Actor(user=resident),
        text="Odottaa tarkistusta",
    )
    assert comment.status == "pending"
    assert indexed("comment") == set()


def test_feedback_is_found_while_public_and_never_while_private(
    commit, city, handler, resident
):
    service = FeedbackServiceFactory(city=city)
    submitted = commit(
        feedback_submit,
        actor=Actor(user=resident),
        service=service,
        kind="idea",
        title="Kirjaston aukioloajat",
        description="Aukioloja lisää iltaan.",
        language="fi",
        email="resident@example.test",
    )
    item = submitted.item
    assert item.visibility == Visibility.PUBLIC
    document = SearchDocument.objects.get(kind="feedback", object_id=item.pk)
    assert "resident@example.test" not in document.body + document.title

    commit(item_make_private, item=item, user=handler)
    assert indexed("feedback") == set()
    # Published again by a handler, it is found again.
    commit(item_publish, item=FeedbackItem.objects.get(pk=item.pk), user=handler)
    assert indexed("feedback") == {item.pk}


def test_a_planned_service_and_its_sections_follow_its_publication(
    commit, city_page, resident
):
    page = commit(make_service, city_page, title="Kirjaston uudet aukioloajat")
    assert indexed("service") == {page.pk}
    sections = set(page.sections.values_list("pk", flat=True))
    assert indexed("section") == sections
    document = SearchDocument.objects.get(kind="service", object_id=page.pk)
    assert document.language == "fi" and document.url == page.url

    section = page.sections.first()
    from discussions.services import discussion_for

    thread = discussion_for(section, city=page.city, title=section.title, url=page.url)
    comment = commit(
        comment_create,
        discussion=thread,
        participant=Actor(user=resident),
        text="Hyvä suunnitelma",
    )
    assert indexed("comment") == {comment.pk}

    commit(page.unpublish)
    assert indexed("service") == set()
    assert indexed("section") == set()
    assert indexed("comment") == set()  # the thread is no longer public either


def test_a_draft_service_is_never_indexed(commit, city_page):
    commit(make_service, city_page, publish=False)
    assert indexed("service") == set()
    assert indexed("section") == set()


def test_workshop_results_are_found_once_published(commit, city, facilitator):
    workshop = commit(
        workshop_services.workshop_create,
        user=facilitator,
        city=city,
        title="Kirjastojami",
        starts_at=timezone.now(),
    )
    assert indexed("workshop") == set()
    commit(
        workshop_services.workshop_close,
        user=facilitator,
        workshop=workshop,
        summary="Ideoita kirjastoon",
    )
    assert indexed("workshop") == set()
    commit(workshop_services.workshop_publish, user=facilitator, workshop=workshop)
    assert indexed("workshop") == {workshop.pk}
    commit(
        workshop_services.workshop_publish,
        user=facilitator,
        workshop=workshop,
        published=False,
    )
    assert indexed("workshop") == set()


def test_a_customer_panel_is_found_from_its_creation(commit, city, facilitator):
    panel = commit(
        panel_create,
        user=facilitator,
        city=city,
        theme="Kirjastojen asiakasraati",
        size=12,
        term_starts_on=date.today() + timedelta(days=30),
        term_ends_on=date.today() + timedelta(days=400),
        applications_close_at=timezone.now() + timedelta(days=14),
        criteria=[],
    )
    assert indexed("panel") == {panel.pk}


def test_a_content_page_is_found_while_public_and_never_when_private(commit, home_page):
    page = home_page.add_child(
        instance=ContentPage(title="Saavutettavuusseloste", slug="saavutettavuus")
    )
    commit(page.save_revision().publish)
    assert indexed("page") == {page.pk}

    private = home_page.add_child(
        instance=ContentPage(title="Sisäinen ohje", slug="sisainen")
    )
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.LOGIN
    )
    commit(private.save_revision().publish)
    assert indexed("page") == {page.pk}


def test_the_rebuild_repairs_what_changed_behind_the_services(commit, city):
    kept = _dream(commit, city)
    gone = _dream(commit, city, title="Poistettu unelma")
    SearchDocument.objects.filter(kind="dream", object_id=kept.pk).delete()
    Dream.objects.filter(pk=gone.pk).delete()  # a script, not a service

    call_command("rebuild_search_index", "--incremental", verbosity=0)
    assert indexed("dream") == {kept.pk}

    SearchDocument.objects.all().delete()
    call_command("rebuild_search_index", verbosity=0)
    assert indexed("dream") == {kept.pk}


def test_the_rebuild_refuses_an_unknown_kind(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("rebuild_search_index", "--kind", "secrets")


def test_a_failing_index_write_never_breaks_the_users_change(commit, city, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("index down")

    monkeypatch.setattr("search.services.documents_write", broken)
    dream = _dream(commit, city)
    assert Dream.objects.filter(pk=dream.pk).exists()
    assert not Comment.objects.exists()
