"""The dashboards' cache: one query when warm, fresh figures after a refresh."""

from datetime import date

import pytest

from insights.cache import cached
from insights.metrics import Scope, participation_by, participation_over_time
from insights.rollups import refresh
from tests.insights.conftest import at

pytestmark = pytest.mark.django_db


def test_cached_until_the_rollups_change(world, django_assert_num_queries):
    from discussions.models import Comment

    refresh(full=True)
    scope = Scope(world.city, start=date(2026, 11, 1), end=date(2026, 11, 30))
    first = cached(participation_over_time, scope)
    with django_assert_num_queries(1):
        again = cached(participation_over_time, scope)
    assert again == first
    assert cached(participation_by, scope, "channel").key == "participation_by_channel"
    comment = Comment.objects.filter(parent=None).first()
    Comment.objects.create(
        discussion=comment.discussion, author=comment.author, text="x"
    )
    Comment.objects.filter(text="x").update(created_at=at(28))
    refresh(full=True)
    fresh = cached(participation_over_time, scope)
    assert (
        fresh.cell("2026-11-01", "all.contributions").value
        == first.cell("2026-11-01", "all.contributions").value + 1
    )


def test_a_whole_dashboard_in_one_query_when_warm(world, django_assert_num_queries):
    from insights.cache import cached_many
    from insights.metrics import segments

    refresh(full=True)
    scope = Scope(world.city, start=date(2026, 11, 1), end=date(2026, 11, 30))
    calls = [(participation_over_time, ()), (participation_by, ("channel",))]
    calls.append((segments, ("gender",)))
    first = cached_many(scope, calls)
    assert [t.key for t in first] == [
        "participation_over_time",
        "participation_by_channel",
        "segments_gender",
    ]
    with django_assert_num_queries(1):
        assert cached_many(scope, calls) == first
