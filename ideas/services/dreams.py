"""Telling dreams (from the website or a workshop card) and their comment threads."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

import rules
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from core import searchables
from core.actors import Actor
from core.errors import Forbidden, clean_field, invalid_fields
from core.models import City, District, Topic
from core.ratelimit import check_rate
from core.text.analysis import document
from core.text.fields import current_text_language
from discussions.models import Discussion
from discussions.services import discussion_for
from ideas.models import (
    CHANGE_MAX_LENGTH,
    DESCRIPTION_MAX_LENGTH,
    MAX_TOPICS,
    NICKNAME_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Dream,
    DreamLink,
    DreamLinkKind,
    DreamSource,
    TargetGroup,
)
from ideas.rules import anonymous_allowed
from notifications.services import follow_default

# Writes allowed per person and per IP address in one hour.
DREAMS_PER_PERSON_PER_HOUR = 5
DREAMS_PER_IP_PER_HOUR = 20
TITLE_MIN_LENGTH = 5
DESCRIPTION_MIN_LENGTH = 10


def dream_search_terms(dream: Dream) -> str:
    """The analysed text a dream is found by (`core.text.analysis.document`): its
    title (weighing most), description and what it would change, each in the
    dream's language, and the title and description of the dreams merged into it,
    so that a search for a duplicate's words finds the dream that took it in."""
    parts = [
        (dream.title, dream.language, 3),
        (dream.description, dream.language, 1),
        (dream.what_would_change, dream.language, 1),
    ]
    if dream.pk is not None:
        for other in Dream.objects.filter(merged_into=dream.pk).order_by("pk"):
            parts.append((other.title, other.language, 1))
            parts.append((other.description, other.language, 1))
    return document(*parts)


def dream_search_terms_refresh(dream: Dream) -> None:
    """Write `dream.search_terms` afresh; the caller holds the dream's row."""
    dream.search_terms = dream_search_terms(dream)
    Dream.objects.filter(pk=dream.pk).update(search_terms=dream.search_terms)
    searchables.reindex_on_commit("dream", dream.pk)


@transaction.atomic
def dream_discussion(*, dream: Dream) -> Discussion:
    """The dream's comment thread (created if missing, its rules brought up to date).

    The thread follows the dream's city rules (anonymous comments only where the
    city allows anonymous participation), and its moderators are that city's. A
    write: pages read the thread with `selectors.dream_discussion_get`.
    """
    return discussion_for(
        dream,
        city=dream.city,
        title=dream.title,
        url=dream.get_absolute_url(),
        allow_anonymous=anonymous_allowed(dream.city_id),
    )


@transaction.atomic
def city_dream_discussions_sync(*, city: City) -> int:
    """Bring the city's dream threads in line with its settings (anonymous or not);
    the number of dreams looked at. Called when the city's ideas settings change."""
    count = 0
    for dream in Dream.objects.filter(city=city).iterator(chunk_size=500):
        dream_discussion(dream=dream)
        count += 1
    return count


@transaction.atomic
def dream_create(
    *,
    title: str,
    description: str,
    target_group: str,
    what_would_change: str = "",
    city: City | None = None,
    district: District | None = None,
    topics: Iterable[Topic] = (),
    language: str | None = None,
    author=None,
    nickname: str = "",
    anonymous_key: uuid.UUID | None = None,
    ip: str | None = None,
    source: str = DreamSource.WEB,
    rate_limit: bool = True,
) -> Dream:
    """Tell a dream, as a user (`author`) or an anonymous participant (nickname+key).

    `source` says where it came from: the website, a workshop card or an import;
    only website dreams need a dreamer and count against the rate limits. The
    dream's comment thread is created with it. `language` is the text's language,
    the page's (`current_text_language`) when not given.
    """
    if language is None:
        language = current_text_language()
    errors: dict[str, tuple[str, str]] = {}
    title = clean_field(
        errors,
        "title",
        title,
        max_length=TITLE_MAX_LENGTH,
        min_length=TITLE_MIN_LENGTH,
        multiline=False,
    )
    description = clean_field(
        errors,
        "description",
        description,
        max_length=DESCRIPTION_MAX_LENGTH,
        min_length=DESCRIPTION_MIN_LENGTH,
    )
    what_would_change = clean_field(
        errors,
        "what_would_change",
        what_would_change,
        max_length=CHANGE_MAX_LENGTH,
        required=False,
    )
    if district is not None and (city is None or district.city_id != city.pk):
        errors["district"] = (
            _("Choose a district of the city the dream is for."),
            "invalid",
        )
    nickname = clean_field(
        errors,
        "nickname",
        nickname,
        max_length=NICKNAME_MAX_LENGTH,
        multiline=False,
        required=False,
    )
    if target_group not in TargetGroup.values:
        errors["target_group"] = (_("Choose who the service is for."), "invalid")
    if language not in dict(settings.LANGUAGES):
        errors["language"] = (_("Choose a language."), "invalid")
    topics = list(topics)
    if len(topics) > MAX_TOPICS:
        errors["topics"] = (
            _("Choose at most %(n)d topics.") % {"n": MAX_TOPICS},
            "too_many",
        )
    if source not in DreamSource.values:
        errors["source"] = (_("Unknown source."), "invalid")

    is_user = author is not None and author.is_authenticated
    person = Actor(user=author if is_user else None, anonymous_key=anonymous_key)
    if source == DreamSource.WEB and not is_user:
        may_tell = rules.has_perm("ideas.tell_dream", person, city)
        if anonymous_key is None or not may_tell:
            errors["nickname"] = (
                _(
                    "Please log in to tell a dream: this city does not take "
                    "anonymous dreams."
                ),
                "login_required",
            )
        elif not nickname and "nickname" not in errors:
            errors["nickname"] = (_("Please give a nickname."), "required")
    if errors:
        raise invalid_fields(errors)

    if rate_limit and source == DreamSource.WEB:
        check_rate(f"dream-create:{person.identity}", limit=DREAMS_PER_PERSON_PER_HOUR)
        if ip:
            check_rate(f"dream-create-ip:{ip}", limit=DREAMS_PER_IP_PER_HOUR)

    dream = Dream(
        title=title,
        description=description,
        target_group=target_group,
        what_would_change=what_would_change,
        city=city,
        district=district,
        language=language,
        author=author if is_user else None,
        nickname="" if is_user else nickname,
        anonymous_key=None if is_user else anonymous_key,
        source=source,
    )
    dream.search_terms = dream_search_terms(dream)
    dream.save(force_insert=True)
    if topics:
        dream.topics.set(topics)
    # The thread exists as soon as the dream does: its page only reads.
    dream_discussion(dream=dream)
    if is_user:
        follow_default(user=author, target=dream)  # daily digest unless chosen
    searchables.reindex_on_commit("dream", dream.pk)
    return dream


@transaction.atomic
def dream_create_from_card(
    *,
    card_text: str,
    title: str,
    city: City | None,
    facilitator,
    workshop_ref: int | None = None,
    target_group: str = TargetGroup.EVERYONE,
    language: str | None = None,
) -> Dream:
    """Turn a workshop card into a dream (called by the workshops app).

    The facilitator must triage dreams of `city` (`ideas.triage_dream`); the card's
    text becomes the description, and `workshop_ref` (a `workshops.Workshop` id)
    is recorded as a `DreamLink`. The dream's author stays empty: the card's writer
    is a workshop participant, not the facilitator.
    """
    if not rules.has_perm("ideas.triage_dream", facilitator, city):
        raise Forbidden(_("Only the city's facilitators can do that."))
    dream = dream_create(
        title=title,
        description=card_text,
        target_group=target_group,
        city=city,
        language=language,
        source=DreamSource.WORKSHOP,
        rate_limit=False,
    )
    if workshop_ref is not None:
        DreamLink.objects.create(
            dream=dream,
            kind=DreamLinkKind.WORKSHOP,
            workshop_id=workshop_ref,
            created_by=facilitator,
        )
    return dream
