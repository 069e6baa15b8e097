"""Only rows that were once public come back as tombstones (issue #15).

For each dataset, a row nobody was shown (a comment rejected or withdrawn while it
awaited moderation, a workshop whose results were never published, a card never
revealed, a draft's section) gives no tombstone with `updated_since`, neither
derived from the live row nor recorded when it is deleted; a row that was public
and then went (hidden, withdrawn, deleted) does.
"""

import pytest
from django.utils import timezone

from accounts.models import Role
from accounts.services import role_grant
from core.actors import Actor
from discussions.models import Comment
from discussions.services import (
    comment_delete,
    comment_hide,
    comment_restore,
)
from ideas.models import Dream
from opendata.models import Tombstone
from participation.models import PlannedServicePage
from tests.factories import UserFactory
from tests.opendata.conftest import make_dream
from tests.opendata.test_api import api_rows, comment
from tests.participation.factories import make_service
from workshops import services as workshop_services
from workshops.models import Card, Workshop

SINCE = {"updated_since": "2000-01-01T00:00:00Z"}


def stones(client, name: str) -> set[int]:
    """The ids a mirror is told to delete."""
    return {row["id"] for row in api_rows(client, name, **SINCE) if row.get("removed")}


def recorded(name: str) -> set[int]:
    ids = Tombstone.objects.filter(dataset=name).values_list("object_id", flat=True)
    return set(ids)


# --- Comments -------------------------------------------------------------------


@pytest.fixture
def premoderated(setup):
    service, discussion, user, moderator = setup
    discussion.premoderated = True
    discussion.save(update_fields=["premoderated"])
    return discussion


def test_a_comment_rejected_while_pending_is_no_tombstone(client, setup, premoderated):
    _, _, user, moderator = setup
    rejected = comment(premoderated, user, "hylätään")
    withdrawn = comment(premoderated, user, "peruutan")
    assert rejected.status == "pending" and rejected.first_published_at is None
    comment_hide(comment=rejected, moderator=moderator, reason="asiaton")
    comment_delete(comment=withdrawn, participant=Actor(user=user))

    assert not stones(client, "comments") & {rejected.pk, withdrawn.pk}
    Comment.objects.filter(pk__in=[rejected.pk, withdrawn.pk]).delete()
    assert recorded("comments") == set()
    assert stones(client, "comments") == set()


def test_an_approved_comment_hidden_later_is_a_tombstone(client, setup, premoderated):
    _, _, user, moderator = setup
    approved = comment(premoderated, user, "hyväksytään")
    comment_restore(comment=approved, moderator=moderator)
    approved.refresh_from_db()
    shown_at = approved.first_published_at
    assert shown_at is not None
    [row] = api_rows(client, "comments")
    assert row["id"] == approved.pk

    comment_hide(comment=approved, moderator=moderator, reason="asiaton")
    comment_restore(comment=approved, moderator=moderator)
    comment_hide(comment=approved, moderator=moderator, reason="taas")
    approved.refresh_from_db()
    assert approved.first_published_at == shown_at  # the first showing is kept
    assert stones(client, "comments") == {approved.pk}


def test_a_shown_comment_deleted_from_the_database_is_recorded(client, setup):
    _, discussion, user, _ = setup
    shown = comment(discussion, user, "näkyy heti")  # no pre-moderation
    assert shown.first_published_at is not None
    Comment.objects.get(pk=shown.pk).delete()
    assert recorded("comments") == {shown.pk}
    assert stones(client, "comments") == {shown.pk}


def test_a_pending_comment_cannot_claim_to_have_been_shown(setup):
    """The database holds the record honest, whatever writes the row."""
    from django.db import IntegrityError, transaction

    _, discussion, user, _ = setup
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.create(
            discussion=discussion, author=user, text="odottaa", status="pending"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.create(
            discussion=discussion, author=user, text="näkyy", first_published_at=None
        )


# --- Workshops and cards ----------------------------------------------------------


@pytest.fixture
def facilitator(city):
    user = UserFactory(display_name="Fasilitaattori Fanni", email="fanni@example.org")
    role_grant(user=user, city=city, role=Role.FACILITATOR)
    return user


@pytest.fixture
def closed_workshop(facilitator, city):
    """A closed workshop with a revealed card and one never revealed."""
    workshop = workshop_services.workshop_create(
        user=facilitator, city=city, title="Kirjastojami", starts_at=timezone.now()
    )
    board = workshop.boards.get()
    alice = workshop_services.participant_join(
        workshop=workshop, display_name="Alice Aaltonen"
    )
    shown, hidden = (
        Card.objects.create(
            board=board, column=board.columns.first(), author=alice, text=text, **kw
        )
        for text, kw in (("näkyvä", {}), ("piilossa", {"hidden": True}))
    )
    workshop_services.workshop_close(user=facilitator, workshop=workshop)
    return workshop, shown, hidden


def test_a_workshop_never_published_is_no_tombstone(client, closed_workshop):
    workshop, shown, hidden = closed_workshop
    assert stones(client, "workshops") == set()
    assert stones(client, "cards") == set()

    Card.objects.filter(pk=shown.pk).delete()
    Workshop.objects.get(pk=workshop.pk).delete()  # takes the other card along
    assert recorded("workshops") == recorded("cards") == set()
    assert stones(client, "workshops") == stones(client, "cards") == set()


def test_a_withdrawn_workshop_keeps_its_first_publication(
    client, closed_workshop, facilitator
):
    workshop, shown, hidden = closed_workshop
    workshop_services.workshop_publish(user=facilitator, workshop=workshop)
    first = Workshop.objects.get(pk=workshop.pk).first_published_at
    assert first is not None
    stale = Workshop.objects.get(pk=workshop.pk)
    workshop_services.workshop_publish(
        user=facilitator, workshop=workshop, published=False
    )
    withdrawn = Workshop.objects.get(pk=workshop.pk)
    assert withdrawn.results_published_at is None
    assert withdrawn.first_published_at == first
    # Live-derived: the workshop and its shown card, never the unrevealed one.
    assert stones(client, "workshops") == {workshop.pk}
    assert stones(client, "cards") == {shown.pk}

    # Published again from a copy read earlier: the first time still stands.
    workshop_services.workshop_publish(user=facilitator, workshop=stale)
    assert Workshop.objects.get(pk=workshop.pk).first_published_at == first


def test_a_published_workshop_deleted_is_recorded_with_its_shown_cards(
    client, closed_workshop, facilitator
):
    workshop, shown, hidden = closed_workshop
    workshop_services.workshop_publish(user=facilitator, workshop=workshop)
    workshop_services.workshop_publish(
        user=facilitator, workshop=workshop, published=False
    )
    Workshop.objects.get(pk=workshop.pk).delete()
    assert recorded("workshops") == {workshop.pk}
    assert recorded("cards") == {shown.pk}
    assert stones(client, "workshops") == {workshop.pk}
    assert stones(client, "cards") == {shown.pk}


# --- Sections and services ------------------------------------------------------


def test_a_deleted_draft_leaves_no_tombstones(client, city_page):
    draft = make_service(city_page, title="Luonnos", publish=False, live=False)
    sections = set(draft.sections.values_list("pk", flat=True))
    assert sections
    PlannedServicePage.objects.get(pk=draft.pk).delete()
    assert recorded("sections") == recorded("services") == set()
    assert not stones(client, "sections") & sections


def test_a_published_service_deleted_tombstones_its_sections(client, city_page):
    service = make_service(city_page)
    sections = set(service.sections.values_list("pk", flat=True))
    PlannedServicePage.objects.get(pk=service.pk).delete()
    assert recorded("sections") >= sections
    assert stones(client, "sections") >= sections
    assert service.pk in stones(client, "services")


# --- Dreams ---------------------------------------------------------------------


def test_a_dream_is_public_from_its_creation_so_its_deletion_is_recorded(
    client, city, db
):
    dream = make_dream(city, UserFactory())
    [row] = api_rows(client, "dreams")
    assert row["id"] == dream.pk
    Dream.objects.get(pk=dream.pk).delete()
    assert recorded("dreams") == {dream.pk}
    assert stones(client, "dreams") == {dream.pk}
