"""Incremental sync: a mirror that applies the `updated_since` pages (rows, and
tombstones as deletions) equals the live data after creates, edits, hides, hard
deletions, account deletions and unpublishing."""

import pytest
from django.utils import timezone

from core.actors import Actor
from discussions.models import Comment
from discussions.services import comment_delete, comment_edit, comment_hide
from opendata.models import Tombstone
from opendata.pseudonyms import REMOVED
from participation.models import PlannedServicePage, PlannedServiceSection
from participation.services import service_discussions_sync
from tests.factories import UserFactory
from tests.opendata.conftest import make_dream, publish_workshop
from tests.opendata.test_api import api_rows, comment
from tests.participation.factories import make_service


class Mirror:
    """What an outside program keeps: rows by id, refreshed from `updated_since`."""

    def __init__(self, client, name: str, **params):
        self.client, self.name, self.params = client, name, params
        self.rows = {row["id"]: row for row in api_rows(client, name, **params)}
        self.since = max(
            (row["updated_at"] for row in self.rows.values()), default=None
        )
        self.since = self.since or "2000-01-01T00:00:00Z"

    def sync(self) -> list[dict]:
        changes = api_rows(
            self.client, self.name, updated_since=self.since, page_size=2, **self.params
        )
        for row in changes:
            if row.get("removed"):
                assert set(row) == {"id", "removed", "updated_at"}, row
                self.rows.pop(row["id"], None)
            else:
                self.rows[row["id"]] = row
            self.since = max(self.since, row["updated_at"])
        return changes

    def live(self) -> dict:
        return {
            row["id"]: row for row in api_rows(self.client, self.name, **self.params)
        }


def test_comments_mirror_after_every_kind_of_change(client, setup, city_page):
    service, discussion, user, moderator = setup
    other = UserFactory(display_name="Toinen Kirjoittaja")
    section = service.sections.first()
    section_discussion = service_discussions_sync(page=service)[str(section.key)]
    made = [comment(discussion, user, f"kommentti {i}") for i in range(4)]
    by_other = comment(section_discussion, other, "osion kommentti")
    mirror = Mirror(client, "comments")
    assert len(mirror.rows) == 5

    comment_edit(comment=made[0], participant=Actor(user=user), text="muokattu")
    comment_hide(comment=made[1], moderator=moderator, reason="asiaton")
    comment_delete(comment=made[2], participant=Actor(user=user))
    gone = made[3].pk
    Comment.objects.get(pk=gone).delete()  # hard deletion, e.g. in the admin
    new = comment(discussion, user, "uusi")
    other.delete()  # account deletion: the row stays, its author is removed
    changes = mirror.sync()
    assert {row["id"] for row in changes if row.get("removed")} >= {
        made[1].pk,
        made[2].pk,
        gone,
    }
    live = mirror.live()
    assert mirror.rows == live
    assert set(live) == {made[0].pk, new.pk, by_other.pk}
    assert live[by_other.pk]["author"] == REMOVED

    # A section removed from the service in a new revision takes its comments.
    page = PlannedServicePage.objects.get(pk=service.pk).get_latest_revision_as_object()
    page.sections = [s for s in page.sections.all() if s.pk != section.pk]
    page.save_revision().publish()
    mirror.sync()
    assert mirror.rows == mirror.live()
    assert by_other.pk not in mirror.rows

    # Unpublished without a new revision: the service's comments go with it.
    service.unpublish()
    mirror.sync()
    assert mirror.rows == mirror.live() == {}
    # Published again: they come back to mirrors that deleted them.
    PlannedServicePage.objects.get(pk=service.pk).save_revision().publish()
    mirror.sync()
    assert set(mirror.rows) == {made[0].pk, new.pk}
    assert mirror.rows == mirror.live()


def test_services_and_sections_mirror_after_edits_deletions_and_unpublish(
    client, city_page
):
    kept = make_service(city_page, title="Pysyvä palvelu")
    leaving = make_service(city_page, title="Poistuva palvelu")
    services = Mirror(client, "services")
    sections = Mirror(client, "sections")
    assert len(services.rows) == 2 and len(sections.rows) == 4

    # An edited section and a section removed in a new revision.
    page = kept.get_latest_revision_as_object()
    first, second = list(page.sections.all())
    first.title = "Uusi otsikko"
    page.sections = [first]
    page.save_revision().publish()
    assert not PlannedServiceSection.objects.filter(pk=second.pk).exists()
    added = make_service(city_page, title="Lisätty palvelu")
    leaving.unpublish()  # no new revision: nothing of it moves by itself
    for mirror in (services, sections):
        mirror.sync()
        assert mirror.rows == mirror.live()
    assert set(services.rows) == {kept.pk, added.pk}
    assert sections.rows[first.pk]["title"] == "Uusi otsikko"
    assert set(sections.rows) == {
        first.pk,
        *(s.pk for s in added.sections.all()),
    }

    # A page deleted outright in the admin.
    PlannedServicePage.objects.get(pk=added.pk).delete()
    for mirror in (services, sections):
        mirror.sync()
        assert mirror.rows == mirror.live()
    assert set(services.rows) == {kept.pk}
    assert set(sections.rows) == {first.pk}


def test_dreams_mirror_after_edits_and_deletions(client, city, setup):
    _, _, user, _ = setup
    dreamer = UserFactory(display_name="Poistuva Unelmoija")
    dreams = [make_dream(city, user) for _ in range(3)]
    leaving = make_dream(city, dreamer)
    mirror = Mirror(client, "dreams")
    assert len(mirror.rows) == 4

    dreams[0].title = "Muokattu unelma"
    dreams[0].save()
    dreams[1].delete()
    fresh = make_dream(city, user)
    dreamer.delete()  # account deletion: the dream stays, its author is removed
    mirror.sync()
    live = mirror.live()
    assert mirror.rows == live
    assert set(live) == {dreams[0].pk, dreams[2].pk, fresh.pk, leaving.pk}
    assert live[leaving.pk]["author"] == REMOVED
    assert live[dreams[0].pk]["title"] == "Muokattu unelma"
    assert live[fresh.pk]["topics"] == ["kulttuuri", "liikkuminen"]


def test_cards_and_workshops_mirror_after_deletions(client, city):
    workshop = publish_workshop(city)
    cards = Mirror(client, "cards")
    workshops = Mirror(client, "workshops")
    assert len(cards.rows) == 1 and len(workshops.rows) == 1
    workshop.boards.get().cards.get().delete()
    cards.sync()
    assert cards.rows == cards.live() == {}
    workshop.delete()
    workshops.sync()
    assert workshops.rows == workshops.live() == {}


def test_sync_cursor_is_exact_when_tombstones_and_rows_share_a_time(
    client, setup, django_assert_max_num_queries
):
    service, discussion, user, _ = setup
    made = [comment(discussion, user, f"k{i}") for i in range(9)]
    for c in made[::2]:
        Comment.objects.get(pk=c.pk).delete()
    moment = timezone.now()
    Comment.objects.update(updated_at=moment)
    Tombstone.objects.update(removed_at=moment)
    rows = api_rows(
        client, "comments", updated_since="2000-01-01T00:00:00Z", page_size=2
    )
    assert sorted(row["id"] for row in rows) == sorted(c.pk for c in made)
    assert {row["id"] for row in rows if row.get("removed")} == {
        c.pk for c in made[::2]
    }
    # A deep page costs what the first one does: rows + tombstones, keyset each.
    first = client.get(
        "/api/v1/comments/", {"updated_since": "2000-01-01", "page_size": 2}
    )
    with django_assert_max_num_queries(3):
        deep = client.get(first.json()["next"])
    assert deep.status_code == 200
    assert deep.json()["previous"] is None


def test_tombstones_follow_the_city_filter(client, setup, other_city):
    service, discussion, user, _ = setup
    gone = comment(discussion, user, "poistuu")
    Comment.objects.get(pk=gone.pk).delete()
    since = {"updated_since": "2000-01-01T00:00:00Z"}
    assert [
        r["id"] for r in api_rows(client, "comments", city="helsinki", **since)
    ] == [gone.pk]
    assert api_rows(client, "comments", city="turku", **since) == []


def test_empty_updated_since_lists_everything_with_tombstones(client, setup):
    service, discussion, user, _ = setup
    gone = comment(discussion, user, "poistuu")
    kept = comment(discussion, user, "jää")
    Comment.objects.get(pk=gone.pk).delete()
    rows = api_rows(client, "comments", updated_since="")
    assert [(r["id"], r.get("removed", False)) for r in rows] == [
        (kept.pk, False),
        (gone.pk, True),
    ]


def test_bad_sync_cursor_is_a_clear_400(client, db):
    """400 since #12 (it was a 404): a bad cursor is the client's mistake."""
    response = client.get(
        "/api/v1/comments/", {"updated_since": "2000-01-01", "cursor": "bm9uc2Vuc2U="}
    )
    assert response.status_code == 400
    assert response.json()["detail"]


@pytest.mark.parametrize("name", ["comments", "services", "sections", "dreams"])
@pytest.mark.parametrize("cursor", ["cD14", "cD1ub3c=", "%%%", "bm9uc2Vuc2U=", ""])
def test_a_crafted_cursor_is_a_clear_400_on_every_list(client, db, name, cursor):
    response = client.get(f"/api/v1/{name}/", {"cursor": cursor})
    assert response.status_code == 400
    assert response.json()["detail"]


@pytest.mark.parametrize("name", ["comments", "services", "sections", "dreams"])
def test_bad_updated_since_is_a_clear_400(client, db, name):
    response = client.get(f"/api/v1/{name}/", {"updated_since": "eilen"})
    assert response.status_code == 400
    assert "updated_since" in response.json()


def test_only_rows_that_were_public_come_back_as_tombstones(client, setup, city_page):
    """A mirror never hears of a draft or of a comment nobody was shown; it does
    hear that a published service was withdrawn or a shown comment hidden."""
    service, discussion, user, moderator = setup
    draft = make_service(city_page, title="Luonnos", publish=False, live=False)
    shown = comment(discussion, user, "näytetty")
    comment_hide(comment=shown, moderator=moderator, reason="asiaton")
    waiting = Comment.objects.create(
        discussion=discussion,
        author=user,
        text="odottaa",
        status="pending",
        first_published_at=None,
    )
    since = {"updated_since": "2000-01-01T00:00:00Z"}

    services = {row["id"] for row in api_rows(client, "services", **since)}
    sections = {row["id"] for row in api_rows(client, "sections", **since)}
    comments = {row["id"]: row for row in api_rows(client, "comments", **since)}
    assert service.pk in services and draft.pk not in services
    assert not {s.pk for s in draft.sections.all()} & sections
    assert waiting.pk not in comments
    assert comments[shown.pk]["removed"] is True

    draft.save_revision().publish()
    PlannedServicePage.objects.get(pk=draft.pk).unpublish()
    gone = {
        row["id"]: row
        for row in api_rows(client, "services", **since)
        if row.get("removed")
    }
    assert draft.pk in gone
