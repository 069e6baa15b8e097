"""The apps' events reach the right people: follows by default, fan-out, staff
queues, and nothing twice by e-mail."""

import pytest
from django.utils import timezone

from accounts.models import Role
from accounts.services import role_grant
from core.actors import Actor
from discussions.models import Discussion
from discussions.services import comment_create, comment_reply
from ideas import services as ideas_services
from ideas.models import DreamStatus
from notifications import mail
from notifications.models import Delivery, Notification
from notifications.selectors import is_following
from notifications.services import follow_create
from tests.factories import UserFactory
from tests.feedback.factories import FeedbackServiceFactory
from tests.ideas.factories import DreamFactory

pytestmark = pytest.mark.django_db


def test_a_dream_told_is_followed_and_its_status_reaches_followers_once(city):
    dreamer = UserFactory()
    dream = ideas_services.dream_create(
        title="Iltakirjasto nuorille",
        description="Kirjasto, joka on auki myöhään illalla nuorille.",
        target_group="young_people",
        language="fi",
        city=city,
        author=dreamer,
    )
    assert is_following(user=dreamer, target=dream)
    follower = UserFactory()
    follow_create(user=follower, target=dream)
    facilitator = UserFactory()
    role_grant(user=facilitator, city=city, role=Role.FACILITATOR)
    ideas_services.dream_status_change(
        dream=dream, to_status=DreamStatus.UNDER_REVIEW, by=facilitator
    )
    notes = {n.recipient_id: n for n in Notification.objects.all()}
    assert set(notes) == {dreamer.pk, follower.pk}
    # The dreamer had the dream's own status e-mail: no digest repeats it.
    assert notes[dreamer.pk].emailed_at is not None
    assert notes[follower.pk].emailed_at is None
    assert mail.digests_send(period=Delivery.DAILY) == 1


def test_a_comment_follows_the_dream_and_a_reply_reaches_the_centre(city):
    dream = DreamFactory(city=city)
    discussion = ideas_services.dream_discussion(dream=dream)
    writer, replier = UserFactory(), UserFactory()
    comment = comment_create(
        discussion=discussion, participant=Actor(user=writer), text="Hyvä ajatus!"
    )
    assert is_following(user=writer, target=dream)
    comment_reply(parent=comment, participant=Actor(user=replier), text="Samaa mieltä")
    note = Notification.objects.get(kind="discussions.reply")
    assert note.recipient_id == writer.pk
    assert note.emailed_at is not None  # the reply e-mail already told them


def test_premoderated_comment_tells_the_citys_moderators_only(city, other_city):
    moderator, elsewhere = UserFactory(), UserFactory()
    role_grant(user=moderator, city=city, role=Role.MODERATOR)
    role_grant(user=elsewhere, city=other_city, role=Role.MODERATOR)
    discussion = Discussion.objects.create(
        city=city, target_type="test.thing", target_key="1", premoderated=True
    )
    comment_create(
        discussion=discussion,
        participant=Actor(user=UserFactory()),
        text="Odottaa tarkistusta",
    )
    assert list(
        Notification.objects.filter(kind="discussions.moderation_needed").values_list(
            "recipient_id", flat=True
        )
    ) == [moderator.pk]


def test_new_feedback_tells_the_citys_handlers_and_the_signed_in_sender_follows(
    city,
):
    from feedback.services import intake

    handler, sender = UserFactory(), UserFactory()
    role_grant(user=handler, city=city, role=Role.FEEDBACK_HANDLER)
    submitted = intake.feedback_submit(
        actor=Actor(user=sender),
        service=FeedbackServiceFactory(city=city),
        kind="idea",
        title="Penkki puistoon",
        description="Puistoon tarvitaan penkki.",
        language="fi",
    )
    note = Notification.objects.get(kind="feedback.new_item")
    assert note.recipient_id == handler.pk
    assert f"/{submitted.item.pk}/" in note.url
    assert is_following(user=sender, target=submitted.item)


def test_results_published_reach_signed_in_participants_once(city):
    from workshops import services as workshop_services
    from workshops.models import Method

    facilitator = UserFactory()
    role_grant(user=facilitator, city=city, role=Role.FACILITATOR)
    workshop = workshop_services.workshop_create(
        user=facilitator,
        city=city,
        title="Kirjastojami",
        starts_at=timezone.now(),
        method=Method.SERVICE_JAM,
    )
    joiner = UserFactory()
    workshop_services.participant_join(
        workshop=workshop, display_name="Anna", user=joiner
    )
    workshop_services.workshop_close(user=facilitator, workshop=workshop)
    workshop_services.workshop_publish(user=facilitator, workshop=workshop)
    workshop_services.workshop_publish(
        user=facilitator, workshop=workshop, published=False
    )
    workshop_services.workshop_publish(user=facilitator, workshop=workshop)
    notes = Notification.objects.filter(kind="workshops.results_published")
    assert list(notes.values_list("recipient_id", flat=True)) == [joiner.pk]
