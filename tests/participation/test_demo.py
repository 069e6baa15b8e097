import io

import pytest

from discussions.models import Comment, CommentStatus
from participation import demo
from participation.models import Lifecycle, PlannedServicePage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_demo_loads_once(city, city_page):
    from accounts.models import Role
    from accounts.services import role_grant

    users = {
        name: UserFactory(email=f"{name}@example.org", display_name=name.title())
        for name in (
            "admin",
            "editor",
            "moderator",
            "facilitator",
            "resident",
            "resident2",
        )
    }
    role_grant(user=users["editor"], city=city, role=Role.EDITOR)
    role_grant(user=users["moderator"], city=city, role=Role.MODERATOR)
    arguments = {
        "cities": {"helsinki": city},
        "city_pages": {"helsinki": {"fi": city_page}},
        "users": users,
        "stdout": io.StringIO(),
    }
    demo.load(**arguments)
    pages = PlannedServicePage.objects.all()
    assert pages.count() == 2
    assert pages.filter(state__status=Lifecycle.ANSWERED).count() == 1
    # Each service is discussed on its own subject (the youth centre's page once
    # carried the library's comments).
    youth = pages.get(slug="nuorisotalon-toiminta")
    said = " ".join(
        Comment.objects.filter(
            discussion__target_key=str(youth.translation_key)
        ).values_list("text", flat=True)
    )
    assert "Perjantai-illat" in said and "kirjasto" not in said.lower()
    assert Comment.objects.filter(status=CommentStatus.HIDDEN).count() == 2
    assert Comment.objects.filter(parent__isnull=False).count() == 4
    counts = (PlannedServicePage.objects.count(), Comment.objects.count())
    demo.load(**arguments)
    assert (PlannedServicePage.objects.count(), Comment.objects.count()) == counts
