"""Comments on dreams reuse participation's discussions: one mechanism."""

import uuid

import pytest
from django.urls import reverse

from accounts.models import Role
from accounts.services import role_grant
from core.actors import SESSION_KEY, Actor
from discussions.models import Comment, CommentStatus, Discussion
from discussions.rules import is_comment_author
from discussions.selectors import moderation_queue
from discussions.services import comment_create
from ideas.models import DreamSupport
from ideas.selectors import dream_is_supported_by
from ideas.services import dream_discussion, dream_merge
from tests.factories import UserFactory
from tests.ideas.factories import DreamFactory, allow_anonymous

pytestmark = pytest.mark.django_db


def _post_comment(client, discussion, text, **extra):
    return client.post(
        reverse("discussions:comment_create", args=[discussion.pk]),
        {"text": text, "next": "/", **extra},
    )


def test_registered_user_comments_on_a_dream(client, city, resident):
    dream = DreamFactory(city=city)
    page = client.get(dream.get_absolute_url())
    discussion = Discussion.objects.get(
        target_type="ideas.dream", target_key=str(dream.pk)
    )
    assert discussion.city == city
    assert discussion.url == dream.get_absolute_url()
    assert "js/discussions/comments.js" in page.content.decode()

    client.force_login(resident)
    html = client.get(dream.get_absolute_url()).content.decode()
    assert reverse("discussions:comment_create", args=[discussion.pk]) in html
    response = _post_comment(client, discussion, "Tämä olisi <script>x</script>hyvä")
    assert response.status_code == 302
    comment = Comment.objects.get(discussion=discussion)
    assert comment.author == resident
    assert comment.text == "Tämä olisi <script>x</script>hyvä"  # as typed (#12)
    body = client.get(dream.get_absolute_url()).content.decode()
    assert "Tämä olisi &lt;script&gt;x&lt;/script&gt;hyvä" in body
    assert "<script>x</script>" not in body


def test_anonymous_cannot_comment_where_the_city_does_not_allow_it(client, city):
    dream = DreamFactory(city=city)
    body = client.get(dream.get_absolute_url()).content.decode()
    discussion = dream_discussion(dream=dream)
    assert not discussion.allow_anonymous
    assert reverse("accounts:login") in body
    _post_comment(client, discussion, "Nimetön kommentti", nickname="Maija")
    assert not Comment.objects.filter(discussion=discussion).exists()


def test_anonymous_comments_where_the_city_allows_it(client, city):
    allow_anonymous(city)
    dream = DreamFactory(city=city)
    client.get(dream.get_absolute_url())
    discussion = dream_discussion(dream=dream)
    assert discussion.allow_anonymous
    response = _post_comment(client, discussion, "Nimetön kommentti", nickname="Maija")
    assert response.status_code == 302
    comment = Comment.objects.get(discussion=discussion)
    assert comment.author is None
    assert comment.anonymous_key is not None


def test_merged_dream_shows_the_targets_thread(client, city, resident, facilitator):
    target, source = DreamFactory(city=city), DreamFactory(city=city)
    comment_create(
        discussion=dream_discussion(dream=target),
        participant=Actor(user=resident),
        text="Kohteen kommentti",
    )
    dream_merge(source=source, target=target, by=facilitator)
    response = client.get(source.get_absolute_url(), follow=True)
    assert "Kohteen kommentti" in response.content.decode()


def test_reported_dream_comment_reaches_its_citys_moderators(
    client, city, other_city, resident, other_resident
):
    dream = DreamFactory(city=city)
    comment = comment_create(
        discussion=dream_discussion(dream=dream),
        participant=Actor(user=resident),
        text="Asiaton kommentti",
    )
    client.force_login(other_resident)
    response = client.post(
        reverse("discussions:comment_report", args=[comment.pk]),
        {"reason": "Asiaton", "next": "/"},
    )
    assert response.status_code == 302
    moderator, elsewhere = UserFactory(), UserFactory()
    role_grant(user=moderator, city=city, role=Role.MODERATOR)
    role_grant(user=elsewhere, city=other_city, role=Role.MODERATOR)
    assert [c.pk for c in moderation_queue(user=moderator)] == [comment.pk]
    assert moderation_queue(user=elsewhere) == []
    comment.refresh_from_db()
    assert comment.status == CommentStatus.VISIBLE
    assert comment.report_count == 1


def test_dream_page_query_count_does_not_grow_with_comments(
    client, city, resident, django_assert_max_num_queries
):
    dream = DreamFactory(city=city)
    discussion = dream_discussion(dream=dream)
    comment_create(discussion=discussion, participant=Actor(user=resident), text="Eka")
    client.get(dream.get_absolute_url())  # warm caches (content types, settings)
    with django_assert_max_num_queries(40) as one:
        client.get(dream.get_absolute_url())
    for index in range(8):
        parent = comment_create(
            discussion=discussion,
            participant=Actor(user=UserFactory()),
            text=f"Kommentti {index}",
        )
        comment_create(
            discussion=discussion,
            participant=Actor(user=UserFactory()),
            text=f"Vastaus {index}",
            parent=parent,
        )
    with django_assert_max_num_queries(len(one.captured_queries)):
        body = client.get(dream.get_absolute_url()).content.decode()
    assert "Vastaus 7" in body


def _anonymous_key_of(client):
    return uuid.UUID(client.session[SESSION_KEY])


def test_anonymous_visitor_who_supports_and_comments_is_one_person(client, city):
    allow_anonymous(city)
    dream = DreamFactory(city=city)
    client.get(dream.get_absolute_url())
    discussion = dream_discussion(dream=dream)
    client.post(reverse("ideas:dream_support", args=[dream.pk]))
    _post_comment(client, discussion, "Kannatan ja kommentoin", nickname="Maija")

    support = DreamSupport.objects.get(dream=dream)
    comment = Comment.objects.get(discussion=discussion)
    key = _anonymous_key_of(client)
    assert support.anonymous_key == comment.anonymous_key == key
    # Both apps' "is it mine" checks see the same person.
    me, stranger = Actor(anonymous_key=key), Actor(anonymous_key=uuid.uuid4())
    assert dream_is_supported_by(dream=dream, anonymous_key=me.anonymous_key)
    assert is_comment_author.test(me, comment)
    assert not dream_is_supported_by(dream=dream, anonymous_key=stranger.anonymous_key)
    assert not is_comment_author.test(stranger, comment)
    page = client.get(dream.get_absolute_url()).content.decode()
    assert reverse("ideas:dream_withdraw", args=[dream.pk]) in page


def test_a_session_with_ideas_old_key_keeps_its_supports(client, city):
    allow_anonymous(city)
    dream = DreamFactory(city=city)
    old = uuid.uuid4()
    DreamSupport.objects.create(dream=dream, anonymous_key=old)
    session = client.session
    session["ideas_anonymous_key"] = str(old)
    session.save()
    page = client.get(dream.get_absolute_url()).content.decode()
    assert reverse("ideas:dream_withdraw", args=[dream.pk]) in page
    _post_comment(client, dream_discussion(dream=dream), "Hei", nickname="Maija")
    assert Comment.objects.get().anonymous_key == old == _anonymous_key_of(client)
    assert "ideas_anonymous_key" not in client.session
