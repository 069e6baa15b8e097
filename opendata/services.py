"""Open data's writes: what keeps mirrors in sync. Tombstones for rows that leave
the database or stop being public without their own change time moving, and
touches for rows whose public form changes without them being saved. (API keys
are issued and revoked by `core.apikeys`.)

Called from signal receivers (`opendata.apps`): deletions and Wagtail's
(un)publishing happen in the admin, in cascades and in other apps' services, and
open data must hear of every one of them. Each function runs inside the
transaction of the change that called it, so a rolled-back deletion leaves no
tombstone.
"""

from collections.abc import Iterable

from django.utils import timezone

from opendata.models import Tombstone

SERVICE_TARGETS = (
    "participation.plannedservicepage",
    "participation.plannedservicesection",
)


def tombstones_record(*, dataset: str, ids: Iterable[int], city: str | None) -> None:
    """Record that rows `ids` of `dataset` are gone (never anything of their text)."""
    Tombstone.objects.bulk_create(
        [Tombstone(dataset=dataset, object_id=pk, city=city or "") for pk in ids]
    )


def _discussion_city(discussion_id: int) -> str | None:
    from discussions.models import Discussion

    return (
        Discussion.objects.filter(pk=discussion_id)
        .values_list("city__slug", flat=True)
        .first()
    )


def comment_removed(*, comment) -> None:
    if comment.first_published_at is None:
        return  # never shown (pending, or rejected while pending)
    tombstones_record(
        dataset="comments",
        ids=[comment.pk],
        city=_discussion_city(comment.discussion_id),
    )


def dream_removed(*, dream) -> None:
    """Every dream is public from its creation: always a tombstone."""
    from core.models import City

    city = City.objects.filter(pk=dream.city_id).values_list("slug", flat=True)
    tombstones_record(dataset="dreams", ids=[dream.pk], city=city.first())


def workshop_removed(*, workshop) -> None:
    from core.models import City

    if workshop.first_published_at is None:
        return  # its results were never published

    city = City.objects.filter(pk=workshop.city_id).values_list("slug", flat=True)
    tombstones_record(dataset="workshops", ids=[workshop.pk], city=city.first())


def panel_removed(*, panel) -> None:
    """Every panel is public from its creation: a deleted one is a tombstone."""
    from core.models import City

    city = City.objects.filter(pk=panel.city_id).values_list("slug", flat=True)
    tombstones_record(dataset="panels", ids=[panel.pk], city=city.first())


def card_removed(*, card) -> None:
    """Only a card shown with published results (see the cards dataset)."""
    from workshops.models import Board

    if card.hidden:
        return
    city = (
        Board.objects.filter(
            pk=card.board_id, workshop__first_published_at__isnull=False
        )
        .values_list("workshop__city__slug", flat=True)
        .first()
    )
    if city is None:
        return  # its workshop's results were never published
    tombstones_record(dataset="cards", ids=[card.pk], city=city)


def section_removed(*, section) -> None:
    """A section left its page (deleted in a new revision, or with the page).

    When no language version keeps a published section with the same key, the
    comments on it stop being public too (see the comments dataset)."""
    from discussions.models import Comment
    from participation.models import PlannedServicePage, PlannedServiceSection

    page = PlannedServicePage.objects.filter(pk=section.page_id).first()
    if page is not None and page.first_published_at is None:
        return  # a draft's section was never public
    city = page.city.slug if page and page.city else None
    tombstones_record(dataset="sections", ids=[section.pk], city=city)
    still_public = (
        PlannedServiceSection.objects.filter(key=section.key, page__live=True)
        .exclude(pk=section.pk)
        .exists()
    )
    if still_public or not (page and page.live):
        return  # an unpublished page's comments were recorded when it went
    comments = Comment.objects.filter(
        discussion__target_type=SERVICE_TARGETS[1],
        discussion__target_key=str(section.key),
        status="visible",
    ).values_list("pk", flat=True)
    tombstones_record(dataset="comments", ids=comments.iterator(), city=city)


def _service_keys(page) -> list[str]:
    """The discussion keys of a service and its sections (shared by translations)."""
    return [page.discussion_key, *(str(s.key) for s in page.sections.all())]


def service_withdrawn(*, page) -> None:
    """`page` was unpublished (or is being deleted while live).

    Its own row, its city response and its sections stop being public; and if
    no other language version stays published, so do the comments on it. None of
    these rows changes on its own (an unpublish makes no revision), so each gets a
    tombstone.
    """
    from discussions.models import Comment
    from participation.models import PlannedServicePage

    city = page.city.slug if page.city else None
    tombstones_record(dataset="services", ids=[page.pk], city=city)
    if page.answer_published_at is not None:
        tombstones_record(dataset="responses", ids=[page.pk], city=city)
    tombstones_record(
        dataset="sections",
        ids=[section.pk for section in page.sections.all()],
        city=city,
    )
    other_live = (
        PlannedServicePage.objects.filter(
            translation_key=page.translation_key, live=True
        )
        .exclude(pk=page.pk)
        .exists()
    )
    if other_live:
        return
    comments = Comment.objects.filter(
        discussion__target_type__in=SERVICE_TARGETS,
        discussion__target_key__in=_service_keys(page),
        status="visible",
    ).values_list("pk", flat=True)
    tombstones_record(dataset="comments", ids=comments.iterator(), city=city)


def service_republished(*, page) -> None:
    """`page` was published again after being withdrawn: its comments are public
    again, and their change time moves so that mirrors that deleted them fetch
    them anew. (Its own row and sections move with the publication.)"""
    from discussions.models import Comment
    from participation.models import PlannedServicePage

    translations = PlannedServicePage.objects.filter(
        translation_key=page.translation_key
    ).values_list("pk", flat=True)
    if not Tombstone.objects.filter(
        dataset="services", object_id__in=list(translations)
    ).exists():
        return  # first publication: nothing was withdrawn
    Comment.objects.filter(
        discussion__target_type__in=SERVICE_TARGETS,
        discussion__target_key__in=_service_keys(page),
        status="visible",
    ).update(updated_at=timezone.now())


def author_removed(*, user) -> None:
    """An account is being deleted: its rows stay, but their `author` becomes
    `removed`; their change time moves so that mirrors replace the pseudonym."""
    from discussions.models import Comment
    from ideas.models import Dream
    from workshops.models import Card

    now = timezone.now()
    Comment.objects.filter(author=user).update(updated_at=now)
    Dream.objects.filter(author=user).update(updated_at=now)
    Card.objects.filter(author__user=user).update(updated_at=now)


FEEDBACK_TARGET = "feedback.feedbackitem"


def _feedback_comments(item):
    """The visible comments on a feedback item (public while the item is)."""
    from discussions.models import Comment

    return Comment.objects.filter(
        discussion__target_type=FEEDBACK_TARGET,
        discussion__target_key=str(item.pk),
        status="visible",
    )


def feedback_removed(*, item) -> None:
    """Only an item that was once public (its `published_at` is kept); the
    comments on it go with it."""
    from core.models import City

    if item.published_at is None:
        return
    city = City.objects.filter(pk=item.city_id).values_list("slug", flat=True).first()
    tombstones_record(dataset="feedback", ids=[item.pk], city=city)
    comments = _feedback_comments(item).values_list("pk", flat=True)
    tombstones_record(dataset="comments", ids=comments.iterator(), city=city)


def feedback_visibility_changed(*, item) -> None:
    """An item was saved with a new visibility or withdrawn. Its own row moved
    with the save; the comments on it follow it without changing themselves.

    Left the public: a tombstone for each (a handler keeping an item private
    again records them again: a tombstone too many costs an id). Public again:
    their change time moves, so mirrors that deleted them fetch them anew."""
    from core.models import City

    if item.published_at is None:
        return  # never public: no comments either
    comments = _feedback_comments(item)
    if item.is_public:
        comments.update(updated_at=timezone.now())
        return
    city = City.objects.filter(pk=item.city_id).values_list("slug", flat=True).first()
    ids = comments.values_list("pk", flat=True)
    tombstones_record(dataset="comments", ids=ids.iterator(), city=city)


def feedback_service_removed(*, service) -> None:
    """Every feedback service is public: always a tombstone."""
    from core.models import City

    city = City.objects.filter(pk=service.city_id).values_list("slug", flat=True)
    tombstones_record(dataset="feedback-services", ids=[service.pk], city=city.first())
