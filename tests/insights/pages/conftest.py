"""Fixtures of the pages' tests: a service, a workshop, dreams on a topic."""

import pytest
from django.utils import timezone

from accounts.models import Role
from accounts.services import role_grant
from ideas.models import DreamStatus, DreamStatusChange
from participation.services import service_discussions_sync
from tests.factories import UserFactory
from tests.ideas.factories import DreamFactory, TopicFactory
from tests.participation.factories import make_service
from workshops import services as workshop_services
from workshops.models import Card, Method


@pytest.fixture
def service(city_page):
    page = make_service(city_page, title="Kirjasto <script>x</script>")
    service_discussions_sync(page=page)
    return page


@pytest.fixture
def facilitator(city):
    user = UserFactory(display_name="Fasi")
    role_grant(user=user, city=city, role=Role.FACILITATOR)
    return user


@pytest.fixture
def workshop(facilitator, city):
    return workshop_services.workshop_create(
        user=facilitator,
        city=city,
        title="Kirjastojami <script>alert(1)</script>",
        starts_at=timezone.now(),
        method=Method.SERVICE_JAM,
    )


@pytest.fixture
def closed_workshop(workshop, facilitator):
    board = workshop.boards.get()
    column = board.columns.first()
    alice = workshop_services.participant_join(workshop=workshop, display_name="A")
    for i, text in enumerate(["Iltakirjasto", "Lainaa työkaluja", "Piilotettu"]):
        Card.objects.create(
            board=board,
            column=column,
            author=alice,
            text=text,
            position=i,
            hidden=text == "Piilotettu",
        )
    workshop_services.workshop_close(
        user=facilitator, workshop=workshop, summary="Yhteenveto <b>x</b>"
    )
    return workshop_services.workshop_publish(user=facilitator, workshop=workshop)


@pytest.fixture
def topic(db):
    return TopicFactory(slug="kulttuuri", name_en="Culture")


@pytest.fixture
def dreams(city, topic, other_city):
    made = [
        DreamFactory(city=city, status=status, support_count=supports)
        for status, supports in [
            (DreamStatus.NEW, 3),
            (DreamStatus.NEW, 4),
            (DreamStatus.REALISED, 10),
            (DreamStatus.MERGED, 50),
        ]
    ]
    elsewhere = DreamFactory(city=other_city, support_count=99)
    for dream in [*made, elsewhere]:
        dream.topics.add(topic)
    DreamStatusChange.objects.create(
        dream=made[2],
        from_status=DreamStatus.NEW,
        to_status=DreamStatus.REALISED,
        reason="Avattiin <i>syksyllä</i>",
    )
    return made
