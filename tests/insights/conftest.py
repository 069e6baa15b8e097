"""A small hand-built world whose figures are worked out by hand in the tests.

Everything happens in November 2026 (Helsinki time), on the days named:

- a planned service (district Kallio, topic liikkuminen): comments by U1 (3rd),
  U2 (10th), an anonymous actor A (10th) and U2 on a section (17th); U1's reply
  (3rd); U3's comment hidden by a moderator (not counted); U1 supports and U3
  opposes it (4th);
- a dream by U2 (5th, district Kallio, topic kulttuuri), supported by U1 and A
  (6th); a dream made from a workshop card (not counted);
- a workshop (12th): a card by U3, one by the name-only participant "Nimi", one by
  the facilitator F (their own kind), one typed in from paper, one hidden card
  (not counted);
- feedback (20th): U1's through the form (district Kallio), one through the API
  with no account, one withdrawn (not counted);
- an advice chat (24th) by a resident without an account, and a blocked one
  (not counted).
"""

from datetime import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

HELSINKI = ZoneInfo("Europe/Helsinki")


def at(day: int, hour: int = 12) -> datetime:
    return datetime(2026, 11, day, hour, tzinfo=HELSINKI)


def _dated(obj, day: int, field: str = "created_at") -> None:
    type(obj).objects.filter(pk=obj.pk).update(**{field: at(day)})


@pytest.fixture
def world(city, city_page):
    import uuid

    from accounts.models import Role
    from accounts.services import role_grant
    from advice.models import Chat
    from core.models import District, Topic
    from discussions.models import Comment, CommentStatus, DiscussionSupport
    from feedback.models import Channel as FeedbackChannel
    from ideas.models import Dream, DreamSource, DreamSupport
    from participation.services import service_discussions_sync
    from tests.factories import UserFactory
    from tests.feedback.factories import FeedbackItemFactory, FeedbackServiceFactory
    from tests.participation.factories import make_service
    from workshops import services as workshop_services
    from workshops.models import Card
    from workshops.models import Channel as CardChannel

    kallio = District.objects.create(city=city, slug="kallio", name_fi="Kallio")
    toolo = District.objects.create(city=city, slug="toolo", name_fi="Töölö")
    mobility = Topic.objects.create(slug="liikkuminen", name_fi="Liikkuminen")
    culture = Topic.objects.create(slug="kulttuuri", name_fi="Kulttuuri")
    u1, u2, u3 = (UserFactory() for _ in range(3))
    anon = uuid.uuid4()

    service = make_service(city_page)
    service.districts.set([kallio])
    service.topics.set([mobility])
    service.save_revision().publish()
    discussions = service_discussions_sync(page=service)
    page_thread = discussions[service.discussion_key]
    section_thread = discussions[service.sections.first().discussion_key]

    def comment(thread, day, **fields):
        c = Comment.objects.create(discussion=thread, text="<b>x</b>", **fields)
        _dated(c, day)
        return c

    first = comment(page_thread, 3, author=u1)
    comment(page_thread, 3, author=u1, parent=first)
    comment(page_thread, 10, author=u2)
    comment(page_thread, 10, anonymous_key=anon, nickname="A")
    comment(section_thread, 17, author=u2)
    comment(page_thread, 11, author=u3, status=CommentStatus.HIDDEN)
    for user, value in ((u1, 1), (u3, -1)):
        _dated(
            DiscussionSupport.objects.create(
                discussion=page_thread, user=user, value=value
            ),
            4,
        )

    dream = Dream.objects.create(
        city=city, title="Unelma", description="d", author=u2, district=kallio
    )
    dream.topics.set([culture])
    _dated(dream, 5)
    for fields in ({"user": u1}, {"anonymous_key": anon}):
        _dated(DreamSupport.objects.create(dream=dream, **fields), 6)
    _dated(
        Dream.objects.create(
            city=city, title="Kortista", description="d", source=DreamSource.WORKSHOP
        ),
        12,
    )

    facilitator = UserFactory()
    role_grant(user=facilitator, city=city, role=Role.FACILITATOR)
    workshop = workshop_services.workshop_create(
        user=facilitator, city=city, title="Paja", starts_at=at(12)
    )
    board = workshop.boards.get()
    column = board.columns.first()
    by_u3 = workshop_services.participant_join(
        workshop=workshop, display_name="U3", user=u3
    )
    by_name = workshop_services.participant_join(workshop=workshop, display_name="Nimi")
    by_facilitator = workshop_services.participant_join(
        workshop=workshop, display_name="F", user=facilitator
    )
    for fields in (
        {"author": by_u3},
        {"author": by_name},
        {"author": by_facilitator},
        {"channel": CardChannel.IN_PERSON, "meeting": "Kirjasto"},
        {"author": by_name, "hidden": True},
    ):
        _dated(Card.objects.create(board=board, column=column, text="k", **fields), 12)

    feedback_service = FeedbackServiceFactory(city=city)
    for fields in (
        {"author": u1, "district": kallio},
        {"channel": FeedbackChannel.API},
        {"author": u2, "withdrawn_at": at(21)},
    ):
        FeedbackItemFactory(service=feedback_service, requested_at=at(20), **fields)

    for n, blocked in ((1, False), (2, True)):
        _dated(
            Chat.objects.create(
                city=city,
                language="fi",
                status="closed",
                resident_key_hash=f"h{n}",
                blocked=blocked,
            ),
            24,
        )
    return SimpleNamespace(
        city=city,
        service=service,
        dream=dream,
        workshop=workshop,
        kallio=kallio,
        toolo=toolo,
        mobility=mobility,
        culture=culture,
        users=(u1, u2, u3),
        facilitator=facilitator,
    )


@pytest.fixture
def crowd(world):
    """Five more people comment on the planned service on 25 Nov; rollups built."""
    from discussions.models import Comment
    from participation.services import service_discussions_sync
    from tests.factories import UserFactory

    thread = service_discussions_sync(page=world.service)[world.service.discussion_key]
    people = [UserFactory() for _ in range(5)]
    for person in people:
        comment = Comment.objects.create(discussion=thread, author=person, text="c")
        Comment.objects.filter(pk=comment.pk).update(created_at=at(25))
    from insights.rollups import refresh

    refresh(full=True)
    return people
