"""The site header: links registered by the apps, shown by role."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts import header
from accounts.models import Role
from accounts.services import role_grant
from discussions.models import Comment, CommentStatus, Discussion
from notifications.models import Notification
from tests.factories import UserFactory

PAGE = reverse("accounts:me")


def _account_nav(client, user=None) -> str:
    if user is not None:
        client.force_login(user)
    html = client.get(PAGE if user else reverse("accounts:login")).content.decode()
    match = re.search(r'<nav class="account-nav".*?</nav>', html, re.S)
    assert match, "the account navigation landmark is missing"
    return match.group(0)


def _main_nav() -> str:
    html = Client().get(reverse("accounts:login")).content.decode()
    return re.search(r'<nav class="site-nav".*?</nav>', html, re.S).group(0)


def _pending(city, *, count: int) -> None:
    discussion = Discussion.objects.create(
        city=city, target_type="test.thing", target_key=city.slug, title="Aihe"
    )
    for _ in range(count):
        Comment.objects.create(
            discussion=discussion,
            text="Odottaa",
            status=CommentStatus.PENDING,
            first_published_at=None,
        )
    Comment.objects.create(discussion=discussion, text="Näkyy")  # nothing to do


def test_anonymous_sees_the_public_links_and_log_in(client, db):
    main = _main_nav()
    assert main.startswith('<nav class="site-nav" aria-label="Päävalikko">')
    for label in ("Etusivu", "Palvelu-unelmat", "Liity työpajaan"):
        assert f">{label}</a></li>" in main
    account = _account_nav(client)
    assert "Kirjaudu sisään" in account
    assert "Oma toimintani" not in account


def test_resident_sees_activity_but_not_moderation(client, city):
    _pending(city, count=2)
    account = _account_nav(client, UserFactory())
    assert f'<a href="{reverse("accounts:activity")}">Oma toimintani</a>' in account
    assert "Moderointi" not in account
    assert "Omat työpajat" not in account
    assert "Ylläpito" not in account


def test_moderator_sees_moderation_with_the_pending_count(client, city, other_city):
    moderator = UserFactory()
    role_grant(user=moderator, city=city, role=Role.MODERATOR)
    _pending(city, count=2)
    _pending(other_city, count=5)  # not theirs to moderate

    account = _account_nav(client, moderator)

    link = re.search(r'<a href="([^"]+)">Moderointi <span class="badge">(\d+)', account)
    assert link, account
    assert link.group(1) == reverse("discussions_admin:moderation")
    assert link.group(2) == "2"
    assert "Oma toimintani" in account


def test_each_count_tells_screen_readers_what_it_counts(client, city):
    moderator = UserFactory()
    role_grant(user=moderator, city=city, role=Role.MODERATOR)
    _pending(city, count=2)
    Notification.objects.bulk_create(
        Notification(recipient=moderator, kind="test.news", text=f"Uutinen {n}")
        for n in range(3)
    )
    client.force_login(moderator)
    with translation.override("en"):
        html = client.get(reverse("accounts:me")).content.decode()
    account = re.search(r'<nav class="account-nav".*?</nav>', html, re.S).group(0)

    hidden = '<span class="visually-hidden"> {}</span>'
    assert f'Notifications <span class="badge">3{hidden.format("unread")}' in account
    assert f'Moderation <span class="badge">2{hidden.format("waiting")}' in account


def test_moderator_with_nothing_waiting_sees_no_number(client, city):
    moderator = UserFactory()
    role_grant(user=moderator, city=city, role=Role.MODERATOR)
    account = _account_nav(client, moderator)
    assert "Moderointi</a>" in account
    assert "badge" not in account


def test_facilitator_and_editor_links_follow_their_roles(client, city):
    facilitator, editor = UserFactory(), UserFactory()
    role_grant(user=facilitator, city=city, role=Role.FACILITATOR)
    role_grant(user=editor, city=city, role=Role.EDITOR)

    facilitator_nav = _account_nav(client, facilitator)
    assert f'href="{reverse("workshops:list")}">Omat työpajat' in facilitator_nav
    assert "Ylläpito" not in facilitator_nav

    editor_nav = _account_nav(client, editor)
    assert f'href="{reverse("wagtailadmin_home")}">Ylläpito' in editor_nav
    assert "Omat työpajat" not in editor_nav


def test_an_app_registering_nothing_breaks_nothing(client, city):
    saved = header.registered()
    for name in [n for n in saved if n.startswith("workshops.")]:
        header.unregister(name)
    try:
        facilitator = UserFactory()
        role_grant(user=facilitator, city=city, role=Role.FACILITATOR)
        account = _account_nav(client, facilitator)
        assert "Omat työpajat" not in account
        assert "Oma toimintani" in account
        assert "Liity työpajaan" not in _main_nav()
    finally:
        for link in saved.values():
            header.register(
                link.name,
                label=link.label,
                url=link.url,
                section=link.section,
                rule=link.rule,
                count=link.count,
                order=link.order,
                count_label=link.count_label,
            )
    assert header.registered() == saved


def test_links_are_a_list_inside_labelled_navigation(client, db):
    account = _account_nav(client, UserFactory())
    assert re.match(r'<nav class="account-nav" aria-label="[^"]+">\s*<ul>', account)
    assert "<li><form" in account  # logging out is a plain form: no script needed


def test_an_unknown_section_is_refused():
    with pytest.raises(ValueError):
        header.register("x.y", label="x", url="accounts:me", section="footer")
    assert "x.y" not in header.registered()
