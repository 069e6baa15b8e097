"""Another app (ideas, for dreams) reuses discussions for its own objects."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from core.actors import Actor
from discussions.context import discussion_context
from discussions.services import comment_create, discussion_for

pytestmark = pytest.mark.django_db


def test_any_object_gets_a_discussion_and_the_include_renders(city, resident):
    # The City row stands in for a Dream: any model instance with a pk works.
    discussion = discussion_for(city, city=city, title="Unelma", url="/dreams/1/")
    assert discussion_for(city) == discussion  # found again, not duplicated
    comment_create(
        discussion=discussion, participant=Actor(user=resident), text="Hieno!"
    )
    request = RequestFactory().get("/dreams/1/")
    request.user = resident
    request.session = {}
    html = render_to_string(
        "discussions/includes/discussion.html",
        discussion_context(request, discussion),
        request=request,
    )
    assert "Hieno!" in html
    assert f"/discussions/{discussion.pk}/comments/" in html


def test_unknown_rule_is_refused(city):
    with pytest.raises(ValueError):
        discussion_for(city, colour="red")
