"""Each metric against figures worked out by hand on the world of conftest.py,
plus a crowd of five more people commenting on the planned service on 25 Nov."""

from datetime import date

import pytest

from core.errors import Invalid
from insights.metrics import (
    Scope,
    participation_by,
    participation_over_time,
    responsiveness,
)
from tests.insights.conftest import at

pytestmark = pytest.mark.django_db
NOV = {"start": date(2026, 11, 1), "end": date(2026, 11, 30)}


def _row(table, row_key):
    return {
        column: (None if cell.suppressed else cell.value)
        for column, cell in zip(
            table.column_keys, table.cells[table.row_keys.index(row_key)], strict=True
        )
    }


def test_over_time_by_month(crowd, world, django_assert_num_queries):
    with django_assert_num_queries(2):
        table = participation_over_time(Scope(world.city, **NOV))
    assert table.row_keys == ["2026-11-01"]
    row = _row(table, "2026-11-01")
    assert row["all.contributions"] == 22
    assert row["all.participants"] == 12
    assert row["web.contributions"] == 15
    assert row["web.participants"] == 9
    assert row["workshop_online.contributions"] == 3
    # Two people: hidden. Paper cards: no participants known (not hidden).
    assert row["workshop_online.participants"] is None
    assert table.cell("2026-11-01", "workshop_online.participants").suppressed
    cell = table.cell("2026-11-01", "workshop_in_person.participants")
    assert cell.value is None and not cell.suppressed
    assert row["workshop_in_person.contributions"] == 1
    assert row["advice_chat.contributions"] == 1


def test_over_time_by_week(crowd, world):
    table = participation_over_time(Scope(world.city, granularity="week", **NOV))
    assert table.row_keys == [
        "2026-10-26",
        "2026-11-02",
        "2026-11-09",
        "2026-11-16",
        "2026-11-23",
        "2026-11-30",
    ]
    contributions = [table.cell(k, "all.contributions").value for k in table.row_keys]
    assert contributions == [0, 7, 6, 3, 6, 0]
    assert table.cell("2026-11-23", "all.participants").value == 6
    assert table.cell("2026-11-02", "all.participants").suppressed  # four people


def test_public_only_leaves_out_what_nobody_may_see(crowd, world):
    # The workshop's results are unpublished and chats are private.
    table = participation_over_time(Scope(world.city, public_only=True, **NOV))
    assert table.cell("2026-11-01", "all.contributions").value == 17


def test_by_district_topic_service_and_channel(crowd, world, django_assert_num_queries):
    scope = Scope(world.city, **NOV)
    with django_assert_num_queries(3):
        districts = participation_by(scope, "district")
    assert districts.row_labels == ["Kallio", "Töölö"]
    assert _row(districts, str(world.kallio.pk)) == {
        "contributions": 16,
        "participants": 9,
    }
    assert _row(districts, str(world.toolo.pk)) == {
        "contributions": 0,
        "participants": 0,
    }
    topics = participation_by(scope, "topic")
    assert _row(topics, str(world.mobility.pk)) == {
        "contributions": 12,
        "participants": 9,
    }
    assert _row(topics, str(world.culture.pk)) == {
        "contributions": 3,
        "participants": None,
    }
    services = participation_by(scope, "service")
    assert services.row_labels == [world.service.title]
    assert _row(services, str(world.service.translation_key)) == {
        "contributions": 12,
        "participants": 9,
    }
    with django_assert_num_queries(2):
        channels = participation_by(scope, "channel")
    assert _row(channels, "web") == {"contributions": 15, "participants": 9}
    assert _row(channels, "feedback_api") == {"contributions": 1, "participants": None}


def test_an_object_scope(crowd, world, django_assert_num_queries):
    service = Scope(world.city, service=world.service.pk, **NOV)
    with django_assert_num_queries(3):
        channels = participation_by(service, "channel")
    assert _row(channels, "web") == {"contributions": 12, "participants": 9}
    assert _row(channels, "advice_chat") == {"contributions": 0, "participants": 0}
    with pytest.raises(Invalid):
        participation_by(service, "district")
    workshop = participation_over_time(Scope(world.city, workshop=world.workshop.pk))
    assert workshop.row_keys == ["2026-11-01"]  # its lifetime
    row = _row(workshop, "2026-11-01")
    assert row["workshop_online.contributions"] == 3
    assert row["workshop_in_person.contributions"] == 1
    assert row["web.contributions"] == 0
    topic = participation_over_time(Scope(world.city, dream_topic=world.culture.pk))
    assert topic.cell("2026-11-01", "all.contributions").value == 3


@pytest.mark.parametrize(
    "kwargs",
    [
        {"start": date(2026, 11, 2), "end": date(2026, 11, 30)},
        {"start": date(2026, 11, 1), "end": date(2026, 11, 29)},
        {"start": date(2026, 12, 1), "end": date(2026, 11, 30)},
        {"start": date(2026, 11, 1)},
        {"granularity": "day"},
        {"service": 1, "workshop": 1},
    ],
)
def test_only_fixed_scopes(city, kwargs):
    with pytest.raises(Invalid):
        Scope(city, **kwargs)


def test_no_data_gives_an_empty_table(city):
    table = participation_over_time(Scope(city))
    assert table.row_keys == [] and table.is_empty


def test_responsiveness(world, django_assert_num_queries):
    from feedback.models import FeedbackItem, FeedbackStatusChange, Status
    from participation.models import ServiceState

    ServiceState.objects.filter(pk=world.service.state_id).update(
        comments_close_at=at(20), answer_published_at=at(30)
    )
    item = FeedbackItem.objects.get(author=world.users[0])
    for status, day in ((Status.ALLOCATED, 21), (Status.DONE, 25)):
        FeedbackStatusChange.objects.create(
            item=item, status=status, created_at=at(day)
        )
    with django_assert_num_queries(3):
        summary, per_service, feedback, advice = responsiveness(
            Scope(world.city, **NOV)
        )
    assert _row(summary, "all") == {
        "services": 1,
        "median_days": 10.0,
        "p90_days": 10.0,
    }
    assert _row(per_service, str(world.service.translation_key)) == {"days": 10.0}
    assert _row(feedback, "allocated") == {
        "items": 1,
        "median_days": 1.0,
        "p90_days": 1.0,
    }
    assert _row(feedback, "done") == {"items": 1, "median_days": 5.0, "p90_days": 5.0}
    assert _row(feedback, "handling") == {
        "items": 0,
        "median_days": None,
        "p90_days": None,
    }
    # No chat was taken by an advisor: fewer than five, hidden.
    assert advice.cell("all", "chats").suppressed
    assert responsiveness(Scope(world.city, workshop=world.workshop.pk)) == []
