import io

import pytest

from ideas import demo
from ideas.models import Dream, DreamLink, DreamStatus, DreamSupport
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_demo_load_is_idempotent(city, other_city, city_page):
    users = {
        name: UserFactory(email=f"{name}@example.org")
        for name in [
            "admin",
            "editor",
            "moderator",
            "facilitator",
            "resident",
            "resident2",
        ]
    }
    kwargs = {
        "cities": {"helsinki": city, "turku": other_city},
        "city_pages": {"helsinki": {"fi": city_page}},
        "users": users,
        "stdout": io.StringIO(),
    }
    demo.load(**kwargs)
    counts = (
        Dream.objects.count(),
        DreamSupport.objects.count(),
        DreamLink.objects.count(),
    )
    assert counts[0] >= 24
    assert Dream.objects.filter(city=city).exists()
    assert Dream.objects.filter(city=other_city).exists()
    assert Dream.objects.filter(city__isnull=True).exists()
    assert Dream.objects.values("status").distinct().count() >= 5
    merged = Dream.objects.filter(status=DreamStatus.MERGED)
    assert merged.count() == 2 and all(d.merged_into_id for d in merged)
    assert DreamLink.objects.filter(page=city_page).count() == 1
    for dream in Dream.objects.all():
        assert dream.support_count == dream.supports.count()

    demo.load(**kwargs)
    assert counts == (
        Dream.objects.count(),
        DreamSupport.objects.count(),
        DreamLink.objects.count(),
    )
