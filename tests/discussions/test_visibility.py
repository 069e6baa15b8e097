"""Who can read a comment: viewer × status × view, all decided by the one rule in
`participation/rules.py`. Hidden, pending and deleted comments were readable by
anyone through the edit and report pages (ids are sequential)."""

import uuid

import pytest
import rules
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from accounts.services import role_grant
from core.actors import SESSION_KEY, Actor
from discussions.models import Comment, CommentStatus
from discussions.rules import public_comments_q
from tests.factories import UserFactory

SECRET = "Salainen kommentti 7341"
ANON_KEY = uuid.UUID("6f0c7a52-1d1e-4a57-9c1b-2f1b8f3f5a10")
STATUSES = ["visible", "pending", "hidden", "deleted"]
VIEWERS = [
    "stranger",
    "resident",
    "author",
    "anonymous_author",
    "moderator",
    "other_moderator",
    "admin",
]


@pytest.fixture
def people(city, other_city, resident, resident2, moderator):
    other = UserFactory(email="muu@example.org")
    role_grant(user=other, city=other_city, role=Role.MODERATOR)
    admin = UserFactory(email="admin@example.org", is_superuser=True, is_staff=True)
    return {
        "resident": resident2,
        "author": resident,
        "moderator": moderator,
        "other_moderator": other,
        "admin": admin,
    }


def _comment(discussion, people, *, anonymous: bool, status: str) -> Comment:
    author = (
        {"anonymous_key": ANON_KEY, "nickname": "Nimimerkki"}
        if anonymous
        else {"author": people["author"]}
    )
    return Comment.objects.create(
        discussion=discussion,
        text=SECRET,
        status=status,
        first_published_at=None if status == "pending" else timezone.now(),
        **author,
    )


def _act_as(client, people, viewer: str) -> None:
    if viewer == "anonymous_author":
        session = client.session
        session[SESSION_KEY] = str(ANON_KEY)
        session.save()
    elif viewer in people:
        client.force_login(people[viewer])


def _may_view(viewer: str, status: str, owner: str) -> bool:
    if status == "visible":
        return True
    if viewer == owner and status == "pending":
        return True
    return viewer in ("moderator", "admin") and status != "deleted"


@pytest.mark.django_db
@pytest.mark.parametrize("viewer", VIEWERS)
def test_edit_page_shows_the_text_only_to_its_author(
    client, discussion, people, viewer
):
    _act_as(client, people, viewer)
    for owner in ("author", "anonymous_author"):
        for status in STATUSES:
            comment = _comment(
                discussion, people, anonymous=owner == "anonymous_author", status=status
            )
            url = reverse("discussions:comment_edit", args=[comment.pk])
            response = client.get(url)
            editable = viewer == owner and status in ("visible", "pending")
            assert response.status_code == (200 if editable else 404), (owner, status)
            assert (SECRET in response.content.decode()) is editable


@pytest.mark.django_db
@pytest.mark.parametrize("viewer", VIEWERS)
def test_report_page_shows_only_what_the_viewer_may_read(
    client, discussion, people, viewer
):
    _act_as(client, people, viewer)
    for status in STATUSES:
        comment = _comment(discussion, people, anonymous=False, status=status)
        url = reverse("discussions:comment_report", args=[comment.pk])
        response = client.get(url)
        body = response.content.decode()
        if not _may_view(viewer, status, "author"):
            assert response.status_code == 404, status
            assert SECRET not in body
            assert people["author"].display_name not in body
            # Posting a report is refused the same way, and nothing is recorded.
            assert client.post(url, {"reason": "Asiaton"}).status_code == 404
            assert not comment.reports.exists()
        elif status == "visible" and viewer != "author":
            assert response.status_code == 200, status
            assert SECRET in body
        else:
            # Readable by this viewer but not reportable by them: no form, no text.
            assert response.status_code == 302, status
            assert SECRET not in body


@pytest.mark.django_db
@pytest.mark.parametrize("viewer", VIEWERS)
def test_discussion_page_shows_the_text_as_the_rule_says(
    client, service, discussion, people, viewer
):
    _act_as(client, people, viewer)
    for status in STATUSES:
        comment = _comment(discussion, people, anonymous=False, status=status)
        body = client.get(service.url).content.decode()
        # Others' pending comments are listed to nobody, and hidden or deleted
        # ones as a placeholder without their text, moderators included (they
        # review them in the admin's queue).
        shown = status == "visible" or (status == "pending" and viewer == "author")
        assert (SECRET in body) is shown, status
        comment.delete()


@pytest.mark.django_db
def test_open_data_carries_only_public_comments(client, discussion, people):
    for status in STATUSES:
        comment = _comment(discussion, people, anonymous=False, status=status)
        body = client.get("/api/v1/comments/?format=json").content.decode()
        assert (SECRET in body) is (status == "visible"), status
        comment.delete()


@pytest.mark.django_db
def test_comments_of_an_unpublished_service_are_nobodys_to_read(
    client, service, discussion, people
):
    comment = _comment(discussion, people, anonymous=False, status="visible")
    service.unpublish()
    assert not rules.test_rule("discussions.view_comment", None, comment)
    assert (
        client.get(reverse("discussions:comment_report", args=[comment.pk])).status_code
        == 404
    )
    assert SECRET not in client.get("/api/v1/comments/?format=json").content.decode()
    # Its author and the city's moderators still reach it.
    assert rules.test_rule(
        "discussions.view_comment", Actor(user=people["author"]), comment
    )
    assert rules.test_rule(
        "discussions.view_comment", Actor(user=people["moderator"]), comment
    )


@pytest.mark.django_db
def test_the_rule_and_its_query_agree_for_a_stranger(discussion, people):
    """`public_comments_q` is the rule's public branch: a viewer with no special
    relation reads exactly the comments the filter lists."""
    stranger = Actor(user=people["resident"])
    for status in STATUSES:
        comment = _comment(discussion, people, anonymous=False, status=status)
        listed = Comment.objects.filter(public_comments_q(), pk=comment.pk).exists()
        assert rules.test_rule("discussions.view_comment", stranger, comment) is (
            listed
        )
        assert listed is (status == CommentStatus.VISIBLE)
