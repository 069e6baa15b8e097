"""Trending: `Dream.trend` counts the supports of the last days, kept by the
services as supports come and go, by the merge, and by the hourly job as the
window moves on; the list pages through it like through the other sorts."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from core import jobs
from core.actors import Actor
from ideas import selectors, services
from ideas.models import TRENDING_DAYS, Dream, DreamSupport
from tests.factories import UserFactory
from tests.ideas.factories import DreamFactory, TopicFactory

pytestmark = pytest.mark.django_db


def support(dream, user=None) -> DreamSupport:
    user = user or UserFactory()
    services.dream_support(dream=dream, participant=Actor(user=user))
    return DreamSupport.objects.get(dream=dream, user=user)


def age(*supports, days=TRENDING_DAYS + 1) -> None:
    """Move supports back out of the trending window."""
    DreamSupport.objects.filter(pk__in=[s.pk for s in supports]).update(
        created_at=timezone.now() - timedelta(days=days)
    )


def trends(*dreams) -> list[int]:
    return [Dream.objects.get(pk=d.pk).trend for d in dreams]


def trending(**filters) -> list[Dream]:
    return selectors.dream_list(sort="trending", **filters).dreams


def test_supports_order_the_trending_list(city):
    quiet = DreamFactory(city=city, support_count=50)
    rising, steady = DreamFactory(city=city), DreamFactory(city=city)
    for _ in range(3):
        support(rising)
    support(steady)

    assert trends(rising, steady, quiet) == [3, 1, 0]
    assert trending() == [rising, steady, quiet]
    assert [d.trend for d in trending()] == [3, 1, 0]
    assert selectors.dream_list(sort="supported").dreams[0] == quiet


def test_a_withdrawn_support_lowers_the_trend(city):
    dream, other = DreamFactory(city=city), DreamFactory(city=city)
    first, second = UserFactory(), UserFactory()
    support(dream, first)
    support(dream, second)
    support(other)
    assert trending()[:2] == [dream, other]

    assert services.dream_support_withdraw(dream=dream, participant=Actor(user=first))
    assert trends(dream, other) == [1, 1]
    # Equal trends: the newer dream first.
    assert trending()[:2] == [other, dream]
    # A support that aged out (and was counted out) takes nothing more away.
    age(DreamSupport.objects.get(dream=dream, user=second))
    services.dream_trends_refresh()
    assert services.dream_support_withdraw(dream=dream, participant=Actor(user=second))
    dream.refresh_from_db()
    assert (dream.trend, dream.support_count) == (0, 0)


def test_the_hourly_job_ages_supports_out(city):
    fading, lasting = DreamFactory(city=city), DreamFactory(city=city)
    old = [support(fading) for _ in range(3)]
    support(fading)
    support(lasting)
    support(lasting)
    age(*old)
    # The counts lag until the window is recounted.
    assert trends(fading, lasting) == [4, 2]

    assert "refresh_trends" in jobs.registered_jobs()
    assert jobs.run_due_jobs(only="refresh_trends", force=True) == {
        "refresh_trends": "ok"
    }
    assert trends(fading, lasting) == [1, 2]
    assert trending()[:2] == [lasting, fading]

    age(*DreamSupport.objects.filter(dream__in=[fading, lasting]))
    call_command("refresh_trends", verbosity=0)
    assert trends(fading, lasting) == [0, 0]


def test_the_job_recounts_in_two_updates_whatever_the_number_of_dreams(
    city, django_assert_max_num_queries
):
    dreams = [DreamFactory(city=city) for _ in range(12)]
    for n, dream in enumerate(dreams):
        supports = [support(dream) for _ in range(n % 3 + 1)]
        if n % 2:
            age(*supports)
        else:
            age(supports[0])
        # As if the counts had drifted (written past the services).
    Dream.objects.filter(pk__in=[d.pk for d in dreams[:3]]).update(trend=7)

    with django_assert_max_num_queries(10) as run:
        changed = services.dream_trends_refresh()
    updates = [q for q in run.captured_queries if q["sql"].startswith("UPDATE")]
    assert len(updates) == 2
    assert changed == 12
    for n, dream in enumerate(dreams):
        dream.refresh_from_db()
        assert dream.trend == (0 if n % 2 else n % 3), n
    # Nothing changed since: nothing written.
    assert services.dream_trends_refresh() == 0


def test_merging_recounts_the_trend(city, facilitator):
    source_author = UserFactory()
    source = DreamFactory(city=city, author=source_author)
    target = DreamFactory(city=city)
    both = UserFactory()
    support(target, both)
    support(source, both)
    support(source)
    age(support(source))

    services.dream_merge(source=source, target=target, by=facilitator)

    source.refresh_from_db()
    target.refresh_from_db()
    # both (once), the source's other recent supporter and its dreamer (now);
    # the aged-out support moved too but is not recent.
    assert (target.support_count, target.trend) == (4, 3)
    assert (source.support_count, source.trend) == (0, 0)
    assert trending() == [target]


def test_cursor_pages_through_trending_in_order(city):
    dreams = [DreamFactory(city=city) for _ in range(17)]
    for n, dream in enumerate(dreams):
        for _ in range(n % 4):
            support(dream)
    expected = sorted(dreams, key=lambda d: (-(dreams.index(d) % 4), -d.pk))

    seen, cursor = [], ""
    while True:
        page = selectors.dream_list(sort="trending", cursor=cursor, page_size=5)
        seen.extend(page.dreams)
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert seen == expected


def test_trending_list_runs_two_queries_whatever_the_rows(
    city, django_assert_num_queries
):
    topic = TopicFactory()
    for n in range(25):
        dream = DreamFactory(city=city if n % 3 else None)
        dream.topics.add(topic, TopicFactory())
        if n % 2:
            support(dream)
    with django_assert_num_queries(2):  # the dreams with their city, their topics
        first = selectors.dream_list(sort="trending", city=city, topic=topic)
    with django_assert_num_queries(2):
        second = selectors.dream_list(
            sort="trending", city=city, topic=topic, cursor=first.next_cursor
        )
    assert len(first.dreams) == 20 and len(second.dreams) == 5


@pytest.mark.parametrize(
    "cursor",
    ["garbage", "%%%", "W10", "WyJ4IiwiMSJd", "WzEsICIyIl0", "WyIyMDI2LTAxLTAxIiwxXQ"],
)
def test_a_bad_trending_cursor_is_no_error(client, city, cursor):
    dream = DreamFactory(city=city)
    support(dream)
    response = client.get("/dreams/", {"sort": "trending", "cursor": cursor})
    assert response.status_code == 200
    assert [d.pk for d in response.context["dreams"]] == [dream.pk]


# Well-formed but made up: beyond the column's range, below zero.
@pytest.mark.parametrize(
    "cursor",
    [
        "WzEwOTk1MTE2Mjc3NzYsMV0",
        "Wy01LDNd",
        "WzQ2MTE2ODYwMTg0MjczODc5MDQsNDYxMTY4NjAxODQyNzM4NzkwNF0",
    ],
)
def test_a_made_up_trending_cursor_is_no_error(client, city, cursor):
    DreamFactory(city=city)
    response = client.get("/dreams/", {"sort": "trending", "cursor": cursor})
    assert response.status_code == 200
