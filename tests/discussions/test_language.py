"""The language of a comment: the page's when posted, chosen on the form, corrected
by its author or a moderator (nobody else), marked up with lang, guessed for the
comments from before it was recorded, and published in the open data."""

import importlib

import pytest
from django.apps import apps
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from accounts.models import Role
from accounts.services import role_grant
from core.actors import Actor
from core.errors import Forbidden
from discussions import services
from discussions.models import Comment
from opendata.participation_datasets import comments as comments_dataset
from tests.factories import CityFactory, UserFactory

pytestmark = pytest.mark.django_db


def _create_url(discussion, language: str) -> str:
    with translation.override(language):
        return reverse("discussions:comment_create", args=[discussion.pk])


def test_a_comment_posted_on_the_swedish_page_is_swedish(client, discussion, resident):
    client.force_login(resident)
    url = _create_url(discussion, "sv")
    assert url.startswith("/sv/")
    response = client.post(url, {"text": "Bra plan för biblioteket"})
    assert response.status_code == 302
    assert Comment.objects.get().language == "sv"


def test_the_form_chooses_another_language(client, discussion, resident):
    client.force_login(resident)
    client.post(
        _create_url(discussion, "fi"), {"text": "A good plan", "language": "en"}
    )
    assert Comment.objects.get().language == "en"


def test_an_unknown_language_is_refused_clearly(client, discussion, resident):
    client.force_login(resident)
    response = client.post(
        _create_url(discussion, "fi"), {"text": "Hyvä", "language": "xx"}
    )
    assert response.status_code == 400
    assert not Comment.objects.exists()
    with pytest.raises(ValidationError) as error:
        services.comment_create(
            discussion=discussion,
            participant=Actor(user=resident),
            text="Hyvä",
            language="de",
        )
    assert "language" in error.value.message_dict


def test_the_service_takes_the_active_language_unless_told(discussion, resident):
    with translation.override("en"):
        comment = services.comment_create(
            discussion=discussion, participant=Actor(user=resident), text="Nice"
        )
    assert comment.language == "en"
    reply = services.comment_reply(
        parent=comment, participant=Actor(user=resident), text="Hej", language="sv"
    )
    assert reply.language == "sv"


def test_the_page_marks_the_text_and_preselects_its_language(
    client, service, discussion, resident
):
    services.comment_create(
        discussion=discussion,
        participant=Actor(user=resident),
        text="Bra plan för biblioteket",
        language="sv",
    )
    client.force_login(resident)
    body = client.get(service.url).content.decode()
    assert 'data-comment-text lang="sv">' in body
    assert 'name="language"' in body
    # The comment form on the Finnish page defaults to Finnish.
    assert '<option value="fi" selected>' in body


def _comment(discussion, user, language="fi"):
    return services.comment_create(
        discussion=discussion,
        participant=Actor(user=user),
        text="Bra plan",
        language=language,
    )


def test_the_author_corrects_the_language_on_the_edit_page(
    client, discussion, resident, resident2
):
    comment = _comment(discussion, resident)
    url = reverse("discussions:comment_edit", args=[comment.pk])
    client.force_login(resident2)
    assert client.post(url, {"text": "Bra plan", "language": "sv"}).status_code == 404
    client.force_login(resident)
    page = client.get(url).content.decode()
    assert '<option value="fi" selected>' in page
    response = client.post(url, {"text": "Bra plan", "language": "sv"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.language == "sv"
    # An edit that does not say (the page's script) keeps the language.
    client.post(url, {"text": "Bra plan!"})
    comment.refresh_from_db()
    assert (comment.text, comment.language) == ("Bra plan!", "sv")


def test_a_moderator_corrects_it_from_the_queue(
    client, discussion, resident, moderator
):
    comment = _comment(discussion, resident)
    client.force_login(moderator)
    queue = client.get(reverse("discussions_admin:moderation"))
    assert f'id="language-{comment.pk}"' not in queue.content.decode()  # not queued
    services.comment_report(
        comment=comment, participant=Actor(user=UserFactory()), reason="Fel språk"
    )
    queue = client.get(reverse("discussions_admin:moderation")).content.decode()
    assert f'<select id="language-{comment.pk}" name="language">' in queue
    assert '<span lang="fi">Bra plan</span>' in queue
    response = client.post(
        reverse("discussions_admin:moderation_action", args=[comment.pk]),
        {"action": "language", "language": "sv"},
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.language == "sv"


def test_nobody_else_corrects_it(client, discussion, resident, resident2):
    comment = _comment(discussion, resident)
    elsewhere = UserFactory()
    role_grant(user=elsewhere, city=CityFactory(slug="oulu"), role=Role.MODERATOR)
    for user in (resident, resident2, elsewhere):
        with pytest.raises(Forbidden):
            services.comment_language_set(
                comment=comment, moderator=user, language="sv"
            )
    client.force_login(elsewhere)
    response = client.post(
        reverse("discussions_admin:moderation_action", args=[comment.pk]),
        {"action": "language", "language": "sv"},
    )
    assert response.status_code == 302
    with translation.override("fi"):
        refused = translation.gettext("Only the city's moderators can do that.")
    assert [str(m) for m in get_messages(response.wsgi_request)] == [refused]
    comment.refresh_from_db()
    assert comment.language == "fi"


def test_a_bad_language_from_the_queue_is_refused(discussion, resident, moderator):
    comment = _comment(discussion, resident)
    with pytest.raises(ValidationError):
        services.comment_language_set(
            comment=comment, moderator=moderator, language="<b>"
        )
    comment.refresh_from_db()
    assert comment.language == "fi"


def test_the_migration_guesses_the_language_of_existing_comments(discussion, resident):
    swedish = _comment(discussion, resident)
    Comment.objects.filter(pk=swedish.pk).update(
        text="Det här är en mycket bra plan för biblioteket och för barnen"
    )
    english = services.comment_create(
        discussion=discussion,
        participant=Actor(user=resident),
        text="This is a very good plan for the library and for the children",
    )
    short = services.comment_create(
        discussion=discussion, participant=Actor(user=resident), text="OK!"
    )
    migration = importlib.import_module(
        "discussions.migrations.0002_comment_language"
    ).Migration
    guess = migration.operations[-1]
    guess.code(apps, None)
    languages = dict(Comment.objects.values_list("pk", "language"))
    assert languages == {swedish.pk: "sv", english.pk: "en", short.pk: "fi"}


def test_the_open_data_comments_carry_their_language():
    assert "language" in comments_dataset.column_names
    assert "language" in comments_dataset.flat_fields
