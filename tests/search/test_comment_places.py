"""A comment is found where what it discusses is: the district and topic
filters find the comments on a planned service (and its sections), a dream or a
feedback item of that district or topic, and follow the target when an editor
moves it elsewhere."""

import pytest

from core import searchables
from core.actors import Actor
from discussions.models import Discussion
from discussions.services import comment_create
from feedback.services.intake import feedback_submit
from feedback.services.supports import item_discussion
from ideas.models import Dream
from ideas.services import dream_create, dream_discussion
from participation.models import PlannedServicePage
from participation.selectors import PAGE_TARGET, SECTION_TARGET
from tests.feedback.factories import FeedbackServiceFactory
from tests.participation.factories import make_service

pytestmark = pytest.mark.django_db

URL = "/search/"
WORD = "pyöräparkki"


def _comment(commit, discussion, resident, text=f"Kirjaston eteen {WORD}!"):
    return commit(
        comment_create,
        discussion=discussion,
        participant=Actor(user=resident),
        text=text,
    )


def _found(client, **filters) -> set[int]:
    response = client.get(URL, {"q": WORD, "kind": "comment", **filters})
    assert response.status_code == 200
    return {item.document.object_id for item in response.context["result"].results}


def _publish(commit, page, *, districts, topics):
    """What an editor does: choose the places in the admin and publish."""
    page.districts = districts
    page.topics = topics
    commit(page.save_revision().publish)
    return PlannedServicePage.objects.get(pk=page.pk)


def _service_comments(commit, city_page, resident, places):
    page = make_service(city_page, publish=False)
    page = _publish(
        commit, page, districts=[places["kallio"]], topics=[places["culture"]]
    )
    on_page = Discussion.objects.get(
        target_type=PAGE_TARGET, target_key=page.discussion_key
    )
    on_section = Discussion.objects.get(
        target_type=SECTION_TARGET, target_key=page.sections.first().discussion_key
    )
    comments = {
        _comment(commit, on_page, resident).pk,
        _comment(commit, on_section, resident).pk,
    }
    return page, comments


def test_comments_on_a_planned_service_are_found_in_its_district_and_topic(
    client, commit, city_page, resident, places
):
    _, comments = _service_comments(commit, city_page, resident, places)

    assert _found(client) == comments
    assert _found(client, district=places["kallio"].pk) == comments
    assert _found(client, district=places["vallila"].pk) == set()
    assert _found(client, topic=places["culture"].pk) == comments
    assert _found(client, topic=places["mobility"].pk) == set()


def _dream(commit, city, resident, **where) -> Dream:
    return commit(
        dream_create,
        title="Pyöräily kirjastoon",
        description="Turvallinen reitti ja katos.",
        target_group="everyone",
        city=city,
        language="fi",
        author=resident,
        rate_limit=False,
        **where,
    )


def test_comments_on_a_dream_are_found_in_its_district_and_topic(
    client, commit, city, resident, places
):
    dream = _dream(
        commit, city, resident, district=places["vallila"], topics=[places["mobility"]]
    )
    comment = _comment(commit, dream_discussion(dream=dream), resident)

    assert _found(client, district=places["vallila"].pk) == {comment.pk}
    assert _found(client, district=places["kallio"].pk) == set()
    assert _found(client, topic=places["mobility"].pk) == {comment.pk}
    assert _found(client, topic=places["culture"].pk) == set()


def test_comments_on_feedback_are_found_in_its_district(
    client, commit, city, resident, places
):
    submitted = commit(
        feedback_submit,
        actor=Actor(user=resident),
        service=FeedbackServiceFactory(city=city),
        kind="idea",
        title="Pyörille katos",
        description="Kirjaston pyörät kastuvat.",
        district=places["kallio"],
        language="fi",
    )
    comment = _comment(commit, item_discussion(item=submitted.item), resident)

    assert _found(client, district=places["kallio"].pk) == {comment.pk}
    assert _found(client, district=places["vallila"].pk) == set()
    # Feedback has no topics, so neither have its comments.
    assert _found(client, topic=places["culture"].pk) == set()


def test_moving_a_planned_service_moves_its_comments_in_the_search(
    client, commit, city_page, resident, places
):
    page, comments = _service_comments(commit, city_page, resident, places)

    _publish(commit, page, districts=[places["vallila"]], topics=[places["mobility"]])

    assert _found(client, district=places["vallila"].pk) == comments
    assert _found(client, district=places["kallio"].pk) == set()
    assert _found(client, topic=places["mobility"].pk) == comments
    assert _found(client, topic=places["culture"].pk) == set()


def test_whatever_rereads_a_dream_rereads_its_comments(
    client, commit, city, resident, places
):
    dream = _dream(commit, city, resident, district=places["kallio"])
    comment = _comment(commit, dream_discussion(dream=dream), resident)
    # No service moves a dream today; a script (or a future edit) that does and
    # asks for the dream to be reread brings its comments along.
    Dream.objects.filter(pk=dream.pk).update(district=places["vallila"])
    commit(searchables.reindex_on_commit, "dream", dream.pk)

    assert _found(client, district=places["vallila"].pk) == {comment.pk}
    assert _found(client, district=places["kallio"].pk) == set()
