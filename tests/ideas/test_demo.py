import io

import pytest

from discussions.models import Comment, Discussion
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
        Comment.objects.count(),
    )
    assert counts[0] >= 24
    # Comments on dreams live in participation's discussions, keyed by the dream.
    commented = Discussion.objects.filter(target_type="ideas.dream")
    assert commented.count() == 2
    assert all(d.comment_count == 2 for d in commented)
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
        Comment.objects.count(),
    )
