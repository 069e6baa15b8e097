"""Open data test fixtures."""

import pytest

from participation.services import service_discussions_sync
from tests.factories import UserFactory
from tests.participation.factories import make_service

NAME = "Ainomaija Tunnistettava"
EMAIL = "aino.tunnistettava@example.org"


@pytest.fixture
def setup(city_page, city):
    from accounts.models import Role
    from accounts.services import role_grant

    service = make_service(city_page)
    discussion = service_discussions_sync(page=service)[service.discussion_key]
    user = UserFactory(display_name=NAME, email=EMAIL)
    moderator = UserFactory(display_name="Moderaattori Mikko", email="mm@example.org")
    role_grant(user=moderator, city=city, role=Role.MODERATOR)
    return service, discussion, user, moderator


def publish_workshop(city):
    """A closed workshop with one card by "Alice Aaltonen", results published."""
    from django.utils import timezone

    from accounts.models import Role
    from accounts.services import role_grant
    from workshops import services
    from workshops.models import Card

    facilitator = UserFactory(display_name="Fasi Fanni", email="fanni@example.org")
    role_grant(user=facilitator, city=city, role=Role.FACILITATOR)
    workshop = services.workshop_create(
        user=facilitator, city=city, title="Jami", starts_at=timezone.now()
    )
    board = workshop.boards.get()
    alice = services.participant_join(workshop=workshop, display_name="Alice Aaltonen")
    Card.objects.create(
        board=board, column=board.columns.first(), author=alice, text="@kortti"
    )
    services.workshop_close(user=facilitator, workshop=workshop)
    services.workshop_publish(user=facilitator, workshop=workshop)
    return workshop


def make_dream(city, user):
    """A dream written straight to the table (the ideas services have their own
    tests); its author is recognisable on purpose."""
    from core.models import Topic
    from ideas.models import Dream

    dream = Dream.objects.create(
        city=city,
        title="Unelma <script>alert(1)</script>",
        description="+Kirjastobussi",
        author=user,
    )
    dream.topics.set(
        [
            Topic.objects.get_or_create(slug=slug, defaults={"name_fi": slug})[0]
            for slug in ("liikkuminen", "kulttuuri")
        ]
    )
    return dream


def make_feedback(city):
    """A published feedback item whose sender left contact details (the feedback
    datasets have their own tests, tests/opendata/test_feedback.py)."""
    from tests.feedback.factories import FeedbackItemFactory, FeedbackServiceFactory

    service = FeedbackServiceFactory(city=city)
    return FeedbackItemFactory(
        service=service,
        email="fanni@example.org",
        first_name="Fasi",
        last_name="Fanni",
    )


def make_panel(city):
    """A drawn customer panel whose applicant is recognisable on purpose (the
    panels dataset has its own tests, tests/opendata/test_panels.py)."""
    from datetime import date, timedelta

    from django.utils import timezone

    from accounts.models import Role
    from accounts.services import role_grant
    from workshops.panels import services
    from workshops.panels.models import Panel

    facilitator = UserFactory(display_name="Fasi Fanni", email="fanni@example.org")
    role_grant(user=facilitator, city=city, role=Role.FACILITATOR)
    panel = services.panel_create(
        user=facilitator,
        city=city,
        theme="Raati",
        size=3,
        term_starts_on=date(2027, 1, 1),
        term_ends_on=date(2027, 6, 1),
        applications_close_at=timezone.now() + timedelta(days=1),
        criteria=["gender"],
    )
    services.panel_apply(
        user=UserFactory(display_name="Hakija Heikki", email="heikki@example.org"),
        panel=panel,
        answers={"gender": "male"},
        availability=[],
        consent=True,
    )
    Panel.objects.filter(pk=panel.pk).update(applications_close_at=timezone.now())
    panel.refresh_from_db()
    services.panel_draw(user=facilitator, panel=panel)
    return panel


def make_advice(city, n: int = 5):
    """`n` closed chats in one advice-stats cell, their texts, address and rating
    comment personal (advice-stats has its own tests, tests/opendata/test_advice.py)."""
    from tests.advice.ops_factories import advisor_make, chat_make

    advisor = advisor_make(city=city, name="Neuvoja Nelli")
    return [
        chat_make(
            city=city,
            advisor=advisor,
            email="asukas.advice@example.org",
            texts=("Salainen kysymys advice",),
            rating=4,
            rating_comment="Salainen arvio advice",
            origin_path="/salainen-sivu/",
        )
        for _ in range(n)
    ]
