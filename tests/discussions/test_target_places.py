"""Where a comment's target is (`discussions.targets.register_target_places`):
`comment_documents` asks each target type once for all its keys, so documents
for any number of comments cost one query plus one per target type."""

import pytest
from wagtail.models import Locale

from discussions.models import Comment, Discussion
from discussions.registrations import comment_documents
from discussions.targets import places_from_rows, target_places
from participation.selectors import PAGE_TARGET, SECTION_TARGET
from tests.feedback.factories import FeedbackItemFactory, FeedbackServiceFactory
from tests.ideas.factories import DreamFactory
from tests.participation.factories import make_service, translate

pytestmark = pytest.mark.django_db

# The comments, and one query per target type among them: planned services,
# their sections, dreams and feedback items (an unregistered type asks nothing).
QUERIES = 1 + 4


def _service(city_page, *, districts, topics, title):
    page = make_service(city_page, title=title, publish=False)
    page.districts = districts
    page.topics = topics
    page.save_revision().publish()
    return page


def _comment_on(target_type, key, city, count=1) -> list[int]:
    discussion, _ = Discussion.objects.get_or_create(
        target_type=target_type, target_key=str(key), defaults={"city": city}
    )
    return [
        Comment.objects.create(discussion=discussion, text=f"Kommentti {n}").pk
        for n in range(count)
    ]


@pytest.fixture
def targets(city, city_page, places):
    """Comments on two of each kind of target, and where each comment should be."""
    kallio, vallila = places["kallio"], places["vallila"]
    culture, mobility = places["culture"], places["mobility"]
    expected = {}

    def add(target_type, key, where, count=1):
        for pk in _comment_on(target_type, key, city, count):
            expected[pk] = where

    both = _service(
        city_page,
        districts=[kallio, vallila],
        topics=[culture, mobility],
        title="Kirjasto",
    )
    # A second live copy of the service: its places are not counted twice.
    sv = Locale.objects.get_or_create(language_code="sv")[0]
    city_page.copy_for_translation(sv, copy_parents=True).save_revision().publish()
    translate(both, "sv")
    nowhere = _service(city_page, districts=[], topics=[], title="Uimahalli")
    add(
        PAGE_TARGET,
        both.translation_key,
        ((kallio.pk, vallila.pk), tuple(sorted((culture.pk, mobility.pk)))),
        3,
    )
    add(PAGE_TARGET, nowhere.translation_key, ((), ()))
    for section in both.sections.all():
        add(
            SECTION_TARGET,
            section.key,
            ((kallio.pk, vallila.pk), tuple(sorted((culture.pk, mobility.pk)))),
        )
    add(SECTION_TARGET, nowhere.sections.first().key, ((), ()))

    dream = DreamFactory(city=city, district=kallio)
    dream.topics.add(culture)
    add("ideas.dream", dream.pk, ((kallio.pk,), (culture.pk,)), 2)
    add("ideas.dream", DreamFactory(city=city).pk, ((), ()))

    service = FeedbackServiceFactory(city=city)
    item = FeedbackItemFactory(service=service, district=vallila)
    add("feedback.feedbackitem", item.pk, ((vallila.pk,), ()))
    add("feedback.feedbackitem", FeedbackItemFactory(service=service).pk, ((), ()))

    add("test.thing", "anything", ((), ()))  # nobody registered its places
    return expected


def test_each_comment_carries_its_targets_districts_and_topics(
    targets, django_assert_num_queries
):
    with django_assert_num_queries(QUERIES):
        documents = comment_documents(list(targets))
    assert {
        doc.object_id: (doc.district_ids, doc.topic_ids) for doc in documents
    } == targets


def test_more_comments_on_more_targets_cost_no_more_queries(
    targets, city, places, django_assert_num_queries
):
    for _ in range(5):
        dream = DreamFactory(city=city, district=places["vallila"])
        targets.update(
            dict.fromkeys(
                _comment_on("ideas.dream", dream.pk, city, 3),
                ((places["vallila"].pk,), ()),
            )
        )
    with django_assert_num_queries(QUERIES):
        documents = comment_documents(list(targets))
    assert len(documents) == len(targets)


def test_keys_that_name_nothing_have_no_places(db, django_assert_num_queries):
    odd = ["", "abc", "12a", "²", "9" * 30, "00000000-0000-0000-0000-000000000000"]
    for target_type in (PAGE_TARGET, SECTION_TARGET, "ideas.dream"):
        assert target_places(target_type, odd) == {}
    with django_assert_num_queries(0):
        assert target_places("test.thing", ["1"]) == {}
        assert target_places("ideas.dream", []) == {}


def test_rows_fold_into_sorted_places_without_repeats():
    rows = [(7, 3, None), (7, None, 5), (7, 1, None), (7, 3, None), ("8", None, None)]
    assert places_from_rows(rows) == {"7": ((1, 3), (5,)), "8": ((), ())}
