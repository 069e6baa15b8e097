"""The apps above tell discussions which of their targets are public."""

import pytest

from core.actors import Actor
from discussions import rules as discussion_rules
from discussions.models import Comment, Discussion
from discussions.rules import public_comments_q, register_target_visibility
from discussions.services import comment_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry():
    saved = dict(discussion_rules._public_targets)
    yield
    discussion_rules._public_targets.clear()
    discussion_rules._public_targets.update(saved)


def _comment(user, target_type, target_key):
    discussion = Discussion.objects.create(
        target_type=target_type, target_key=target_key, title="T"
    )
    return comment_create(
        discussion=discussion, participant=Actor(user=user), text="Hei"
    )


def test_unregistered_targets_are_public_and_registered_ones_follow_their_keys(
    registry, resident
):
    free = _comment(resident, "tests.thing", "1")
    shown = _comment(resident, "tests.guarded", "2")
    hidden = _comment(resident, "tests.guarded", "3")
    register_target_visibility(
        "tests.guarded",
        lambda: Discussion.objects.filter(target_key="2").values("target_key"),
    )
    public = set(
        Comment.objects.filter(public_comments_q()).values_list("pk", flat=True)
    )
    assert free.pk in public
    assert shown.pk in public
    assert hidden.pk not in public
