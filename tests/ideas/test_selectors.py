from datetime import timedelta

import pytest
from django.utils import timezone

from ideas import selectors, services
from ideas.models import DreamStatus, DreamSupport
from tests.factories import UserFactory
from tests.ideas.factories import DreamFactory, TopicFactory

pytestmark = pytest.mark.django_db


def test_similar_dreams_ranks_the_closest_first(city, other_city):
    library = DreamFactory(
        city=city,
        title="Iltakirjasto nuorille",
        description="Kirjasto auki myöhään illalla, pelejä ja läksyapua.",
    )
    DreamFactory(
        city=city,
        title="Kirjastoauto kyliin",
        description="Auto tuo kirjat syrjäkylille.",
    )
    DreamFactory(
        city=city,
        title="Uimahalli aamuisin",
        description="Uimahalli avautuisi kuudelta.",
    )
    merged = DreamFactory(
        city=city,
        title="Iltakirjasto",
        description="Kirjasto iltaisin nuorille",
        status=DreamStatus.MERGED,
    )
    elsewhere = DreamFactory(
        city=other_city, title="Iltakirjasto nuorille Turussa", description="Sama"
    )

    results = selectors.similar_dreams(
        "Kirjasto iltaisin", "Nuorille paikka olla illalla kirjastossa", city=city
    )
    assert results[0] == library
    assert merged not in results
    assert elsewhere not in results
    assert all("Uimahalli" not in d.title for d in results)
    assert len(selectors.similar_dreams("kirjasto", limit=1)) == 1


def test_similar_dreams_needs_real_words(city):
    DreamFactory(city=city, title="Iltakirjasto nuorille")
    assert selectors.similar_dreams("", "") == []
    assert selectors.similar_dreams("ja on", "the and") == []
    assert selectors.similar_dreams("!!! ' | & :* ()", "") == []


def test_list_filters(city, other_city):
    topic = TopicFactory()
    mine = DreamFactory(city=city, target_group="seniors", title="Kotiapu senioreille")
    mine.topics.add(topic)
    DreamFactory(city=city, target_group="children", title="Leikkipuisto")
    everywhere = DreamFactory(city=None, target_group="seniors", title="Kaikille")
    DreamFactory(city=other_city, target_group="seniors", title="Turun kotiapu")
    DreamFactory(city=city, status=DreamStatus.MERGED, title="Yhdistetty kotiapu")

    def titles(**filters):
        return {d.title for d in selectors.dream_list(**filters).dreams}

    assert titles(city=city) == {"Kotiapu senioreille", "Leikkipuisto", "Kaikille"}
    assert titles(city=city, target_group="seniors") == {
        "Kotiapu senioreille",
        "Kaikille",
    }
    assert titles(topic=topic) == {"Kotiapu senioreille"}
    assert titles(q="kotiapu") == {"Kotiapu senioreille", "Turun kotiapu"}
    assert titles(q="kotiapu turun") == {"Turun kotiapu"}
    assert titles(status="new", city=other_city) == {"Turun kotiapu", everywhere.title}


def test_cursor_pagination_walks_every_dream_once(city):
    for n in range(25):
        DreamFactory(city=city, support_count=n % 4)
    for sort in selectors.SORTS:
        seen, cursor = [], ""
        while True:
            page = selectors.dream_list(sort=sort, cursor=cursor, page_size=7)
            seen.extend(d.pk for d in page.dreams)
            if not page.next_cursor:
                break
            cursor = page.next_cursor
        assert len(seen) == 25 and len(set(seen)) == 25, sort


def test_sorting_by_support_and_trending(city):
    old_favourite = DreamFactory(city=city, support_count=10)
    rising = DreamFactory(city=city, support_count=3)
    for _ in range(3):
        DreamSupport.objects.create(dream=rising, user=UserFactory())
    week_ago = timezone.now() - timedelta(days=9)
    for _ in range(10):
        support = DreamSupport.objects.create(dream=old_favourite, user=UserFactory())
        DreamSupport.objects.filter(pk=support.pk).update(created_at=week_ago)

    # Supports written past the services count once the window is recounted.
    services.dream_trends_refresh()
    assert selectors.dream_list(sort="supported").dreams[0] == old_favourite
    trending = selectors.dream_list(sort="trending").dreams
    assert trending[0] == rising and trending[0].trend == 3
    newest = selectors.dream_list(sort="newest").dreams
    assert newest[0] == rising


def test_bad_cursor_starts_from_the_beginning(city):
    DreamFactory(city=city)
    for cursor in ["garbage", "W10", "WyJ4IiwiMSJd", "!!!"]:
        assert len(selectors.dream_list(cursor=cursor).dreams) == 1


def test_opportunities_group_by_topic_and_target_group(city):
    mobility, culture = TopicFactory(), TopicFactory()
    a = DreamFactory(city=city, target_group="seniors", support_count=2)
    a.topics.add(mobility)
    b = DreamFactory(city=city, target_group="seniors", support_count=3)
    b.topics.add(mobility, culture)
    DreamFactory(city=city, target_group="seniors", status=DreamStatus.MERGED)
    DreamSupport.objects.create(dream=b, user=UserFactory())
    rows = {
        (o.topic, o.target_group): o for o in selectors.dream_opportunities(city=city)
    }
    assert rows[(mobility, "seniors")].dreams == 2
    assert rows[(mobility, "seniors")].supports == 5
    assert rows[(mobility, "seniors")].recent_supports == 1
    assert rows[(culture, "seniors")].dreams == 1
    assert rows[(culture, "seniors")].trend == 1
