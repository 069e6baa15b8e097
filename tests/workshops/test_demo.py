import io

import pytest

from accounts.models import Role
from accounts.services import role_grant
from tests.factories import UserFactory
from workshops import demo
from workshops.models import BoardEvent, Card, Workshop

pytestmark = pytest.mark.django_db


def test_demo_load_is_idempotent(city, other_city):
    facilitator = UserFactory()
    for c in (city, other_city):
        role_grant(user=facilitator, city=c, role=Role.FACILITATOR)
    kwargs = {
        "cities": {"helsinki": city, "turku": other_city},
        "city_pages": {},
        "users": {"facilitator": facilitator},
        "stdout": io.StringIO(),
    }
    demo.load(**kwargs)
    counts = (
        Workshop.objects.count(),
        Card.objects.count(),
        BoardEvent.objects.count(),
    )
    demo.load(**kwargs)
    assert (
        Workshop.objects.count(),
        Card.objects.count(),
        BoardEvent.objects.count(),
    ) == counts
    jam = Workshop.objects.get(join_code=demo.FINISHED_CODE)
    assert jam.is_closed and jam.results_published
    assert Card.objects.filter(board__workshop=jam).count() == 11
    upcoming = Workshop.objects.get(join_code=demo.UPCOMING_CODE)
    assert not upcoming.is_closed and upcoming.starts_at > jam.starts_at
