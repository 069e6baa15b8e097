"""Every write to dreams: telling, supporting, following through, merging, linking.

Each function is keyword-only, runs in one transaction, checks its inputs (and, for
facilitator actions, the role) and raises `ValidationError` / `PermissionDenied`
having written nothing. E-mails are queued in the e-mail outbox (`core.mail`) in
the same transaction and sent in batches after commit.
"""

import uuid
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.roles import cities_with_role, has_city_role
from core.actors import Actor
from core.mail import outbox_kick, outbox_mail
from core.models import City, OutgoingMail
from core.ratelimit import limit_exceeded
from core.sanitize import clean_text
from discussions.services import discussion_for
from ideas.models import (
    ALLOWED_TRANSITIONS,
    CHANGE_MAX_LENGTH,
    DESCRIPTION_MAX_LENGTH,
    DISTRICT_MAX_LENGTH,
    MAX_TOPICS,
    NICKNAME_MAX_LENGTH,
    REASON_MAX_LENGTH,
    REASON_REQUIRED,
    TITLE_MAX_LENGTH,
    Dream,
    DreamLink,
    DreamLinkKind,
    DreamSource,
    DreamStatus,
    DreamStatusChange,
    DreamSupport,
    IdeasCitySettings,
    TargetGroup,
    Topic,
)

# Writes allowed per person and per IP address in one hour.
DREAMS_PER_PERSON_PER_HOUR = 5
DREAMS_PER_IP_PER_HOUR = 20
SUPPORTS_PER_PERSON_PER_HOUR = 100
SUPPORTS_PER_IP_PER_HOUR = 300
HOUR = 3600
TRIAGE_ROLES = (Role.FACILITATOR, Role.EDITOR)
TITLE_MIN_LENGTH = 5
DESCRIPTION_MIN_LENGTH = 10


def anonymous_allowed(city: City | None) -> bool:
    """Anonymous dreams and supports are allowed only where a city switched them on."""
    if city is None:
        return False
    return IdeasCitySettings.objects.filter(city=city, allow_anonymous=True).exists()


def dream_discussion(*, dream: Dream):
    """The dream's comment thread: the discussions app, one mechanism.

    The thread follows the dream's city rules (anonymous comments only where the
    city allows anonymous participation), and its moderators are that city's.
    """
    return discussion_for(
        dream,
        city=dream.city,
        title=dream.title,
        url=dream.get_absolute_url(),
        allow_anonymous=anonymous_allowed(dream.city),
    )


def can_triage(user, dream: Dream) -> bool:
    """Facilitators and editors of the dream's city (any city for all-city dreams)."""
    if dream.city_id is not None:
        return has_city_role(user, dream.city_id, *TRIAGE_ROLES)
    if user is not None and user.is_authenticated and user.is_superuser:
        return True
    return cities_with_role(user, *TRIAGE_ROLES).exists()


def _check_rate(key: str, *, limit: int) -> None:
    if limit_exceeded(key, limit=limit, window_seconds=HOUR):
        raise ValidationError(
            _("You have done that many times in a short while. Try again later."),
            code="rate_limited",
        )


def _clean_field(
    errors: dict,
    name: str,
    value: str,
    *,
    max_length: int,
    min_length: int = 0,
    multiline: bool = True,
    required: bool = True,
) -> str:
    cleaned = clean_text(value, multiline=multiline)
    if required and not cleaned:
        errors[name] = _("This field is required.")
    elif cleaned and len(cleaned) < min_length:
        errors[name] = _("Please write at least %(n)d characters.") % {"n": min_length}
    elif len(cleaned) > max_length:
        errors[name] = _("Please keep this under %(n)d characters.") % {"n": max_length}
    return cleaned


@transaction.atomic
def dream_create(
    *,
    title: str,
    description: str,
    target_group: str,
    what_would_change: str = "",
    city: City | None = None,
    district: str = "",
    topics: Iterable[Topic] = (),
    language: str = "fi",
    author=None,
    nickname: str = "",
    anonymous_key: uuid.UUID | None = None,
    ip: str | None = None,
    source: str = DreamSource.WEB,
    rate_limit: bool = True,
) -> Dream:
    """Tell a dream, as a user (`author`) or an anonymous participant (nickname+key).

    `source` says where it came from: the website, a workshop card or an import;
    only website dreams need a dreamer and count against the rate limits.
    """
    errors: dict[str, str] = {}
    title = _clean_field(
        errors,
        "title",
        title,
        max_length=TITLE_MAX_LENGTH,
        min_length=TITLE_MIN_LENGTH,
        multiline=False,
    )
    description = _clean_field(
        errors,
        "description",
        description,
        max_length=DESCRIPTION_MAX_LENGTH,
        min_length=DESCRIPTION_MIN_LENGTH,
    )
    what_would_change = _clean_field(
        errors,
        "what_would_change",
        what_would_change,
        max_length=CHANGE_MAX_LENGTH,
        required=False,
    )
    district = _clean_field(
        errors,
        "district",
        district,
        max_length=DISTRICT_MAX_LENGTH,
        multiline=False,
        required=False,
    )
    nickname = _clean_field(
        errors,
        "nickname",
        nickname,
        max_length=NICKNAME_MAX_LENGTH,
        multiline=False,
        required=False,
    )
    if target_group not in TargetGroup.values:
        errors["target_group"] = _("Choose who the service is for.")
    if language not in dict(settings.LANGUAGES):
        errors["language"] = _("Choose a language.")
    topics = list(topics)
    if len(topics) > MAX_TOPICS:
        errors["topics"] = _("Choose at most %(n)d topics.") % {"n": MAX_TOPICS}
    if source not in DreamSource.values:
        errors["source"] = _("Unknown source.")

    is_user = author is not None and author.is_authenticated
    if source == DreamSource.WEB and not is_user:
        if anonymous_key is None or not anonymous_allowed(city):
            errors["nickname"] = _(
                "Please log in to tell a dream: this city does not take "
                "anonymous dreams."
            )
        elif not nickname and "nickname" not in errors:
            errors["nickname"] = _("Please give a nickname.")
    if errors:
        raise ValidationError(errors)

    if rate_limit and source == DreamSource.WEB:
        person = Actor(user=author if is_user else None, anonymous_key=anonymous_key)
        _check_rate(f"dream-create:{person.identity}", limit=DREAMS_PER_PERSON_PER_HOUR)
        if ip:
            _check_rate(f"dream-create-ip:{ip}", limit=DREAMS_PER_IP_PER_HOUR)

    dream = Dream.objects.create(
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
    if topics:
        dream.topics.set(topics)
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
    language: str = "fi",
) -> Dream:
    """Turn a workshop card into a dream (called by the workshops app).

    The facilitator must hold a facilitator or editor role in `city`; the card's
    text becomes the description, and `workshop_ref` (a `workshops.Workshop` id)
    is recorded as a `DreamLink`. The dream's author stays empty: the card's writer
    is a workshop participant, not the facilitator.
    """
    probe = Dream(city=city)
    if not can_triage(facilitator, probe):
        raise PermissionDenied(_("Only the city's facilitators can do that."))
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


def _lock(dream: Dream) -> Dream:
    return Dream.objects.select_for_update().get(pk=dream.pk)


@transaction.atomic
def dream_support(*, dream: Dream, participant: Actor, ip: str | None = None) -> bool:
    """Support `dream` once; True when a new support was recorded.

    Supporting twice is a no-op (False). People cannot support their own dream:
    their dream already says they want it. Closed dreams take no supports.
    """
    if not participant.is_registered:
        if participant.anonymous_key is None or not anonymous_allowed(dream.city):
            raise PermissionDenied(_("Please log in to support dreams."))
    current = (
        Dream.objects.filter(pk=dream.pk)
        .values("status", "author_id", "anonymous_key")
        .first()
    )
    if current is None:
        raise ValidationError(_("That dream no longer exists."), code="not_found")
    if current["status"] in (DreamStatus.MERGED, DreamStatus.NOT_PURSUED):
        raise ValidationError(_("This dream takes no more supports."), code="closed")
    if (participant.is_registered and current["author_id"] == participant.user.pk) or (
        not participant.is_registered
        and current["anonymous_key"] is not None
        and current["anonymous_key"] == participant.anonymous_key
    ):
        raise ValidationError(_("You cannot support your own dream."), code="own")
    _check_rate(
        f"dream-support:{participant.identity}", limit=SUPPORTS_PER_PERSON_PER_HOUR
    )
    if ip:
        _check_rate(f"dream-support-ip:{ip}", limit=SUPPORTS_PER_IP_PER_HOUR)
    try:
        # The unique constraints decide races; the savepoint keeps the outer
        # transaction usable when a concurrent request won.
        with transaction.atomic():
            DreamSupport.objects.create(
                dream_id=dream.pk,
                user=participant.user if participant.is_registered else None,
                anonymous_key=None
                if participant.is_registered
                else participant.anonymous_key,
            )
    except IntegrityError:
        return False
    Dream.objects.filter(pk=dream.pk).update(support_count=F("support_count") + 1)
    return True


@transaction.atomic
def dream_support_withdraw(*, dream: Dream, participant: Actor) -> bool:
    """Withdraw one's support; True when there was one to withdraw."""
    if participant.is_registered:
        supports = DreamSupport.objects.filter(dream_id=dream.pk, user=participant.user)
    elif participant.anonymous_key is not None:
        supports = DreamSupport.objects.filter(
            dream_id=dream.pk, anonymous_key=participant.anonymous_key
        )
    else:
        return False
    deleted, _details = supports.delete()
    if deleted:
        Dream.objects.filter(pk=dream.pk).update(
            support_count=F("support_count") - deleted
        )
    return bool(deleted)


def _queue_status_mail(dream: Dream, change: DreamStatusChange) -> None:
    """Queue the status e-mail to the dreamer and supporters in this transaction.

    The rows exist exactly when the change does; after commit the outbox sends
    them in batches, each in its recipient's language (`core.mail`).
    """
    # Supporters of a merged dream now sit on the target dream; tell them too.
    supporters_of = dream.pk
    if change.to_status == DreamStatus.MERGED and dream.merged_into_id:
        supporters_of = dream.merged_into_id
    recipients = (
        User.objects.filter(
            Q(pk=dream.author_id) | Q(dream_supports__dream_id=supporters_of),
            is_active=True,
        )
        .exclude(email="")
        .distinct()
        .only("email", "preferred_language", "display_name")
    )
    context = {
        "dream": dream,
        "change": change,
        "to_label": DreamStatus(change.to_status).label,
        "url": settings.SITE_URL.rstrip("/") + dream.get_absolute_url(),
    }
    rows = [
        outbox_mail(user, "ideas/email/status_change.txt", {**context, "user": user})
        for user in recipients.iterator(chunk_size=500)
    ]
    if rows:
        OutgoingMail.objects.bulk_create(rows, batch_size=500)
        transaction.on_commit(outbox_kick)


def _record_change(
    *, dream: Dream, to_status: str, by, reason: str
) -> DreamStatusChange:
    change = DreamStatusChange.objects.create(
        dream=dream,
        from_status=dream.status,
        to_status=to_status,
        changed_by=by,
        reason=reason,
    )
    dream.status = to_status
    dream.save(update_fields=["status", "updated_at"])
    _queue_status_mail(dream, change)
    return change


def _clean_reason(reason: str, *, to_status: str) -> str:
    reason = clean_text(reason)
    if to_status in REASON_REQUIRED and not reason:
        raise ValidationError(
            {"reason": _("Please give the public reason for this change.")}
        )
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {
                "reason": _("Please keep this under %(n)d characters.")
                % {"n": REASON_MAX_LENGTH}
            }
        )
    return reason


@transaction.atomic
def dream_status_change(
    *, dream: Dream, to_status: str, by, reason: str = ""
) -> DreamStatusChange:
    """Move `dream` to `to_status` (an allowed step) and notify the people in it."""
    locked = _lock(dream)
    if not can_triage(by, locked):
        raise PermissionDenied(
            _("Only the city's facilitators and editors can do that.")
        )
    if to_status not in DreamStatus.values or to_status == DreamStatus.MERGED:
        raise ValidationError({"to_status": _("Choose a status.")})
    if to_status not in ALLOWED_TRANSITIONS[locked.status]:
        raise ValidationError(
            {
                "to_status": _("A dream cannot go from “%(from)s” to “%(to)s”.")
                % {
                    "from": DreamStatus(locked.status).label,
                    "to": DreamStatus(to_status).label,
                }
            }
        )
    reason = _clean_reason(reason, to_status=to_status)
    change = _record_change(dream=locked, to_status=to_status, by=by, reason=reason)
    dream.status = locked.status
    return change


@transaction.atomic
def dream_merge(*, source: Dream, target: Dream, by, reason: str = "") -> Dream:
    """Merge the duplicate `source` into `target`; returns the updated target.

    People who supported both count once; the source's dreamer becomes a supporter
    of the target (unless they wrote it). Dreams merged earlier into `source` now
    point at `target`. The source keeps its text and redirects to the target.
    """
    if source.pk == target.pk:
        raise ValidationError(_("A dream cannot be merged into itself."), code="self")
    # Lock both rows in id order so two merges cannot deadlock.
    locked = {
        d.pk: d
        for d in Dream.objects.select_for_update()
        .filter(pk__in=[source.pk, target.pk])
        .order_by("pk")
    }
    if len(locked) != 2:
        raise ValidationError(_("That dream no longer exists."), code="not_found")
    src, dst = locked[source.pk], locked[target.pk]
    if not (can_triage(by, src) and can_triage(by, dst)):
        raise PermissionDenied(
            _("Only the city's facilitators and editors can do that.")
        )
    if src.status == DreamStatus.MERGED:
        raise ValidationError(_("This dream has already been merged."), code="merged")
    if dst.status == DreamStatus.MERGED:
        raise ValidationError(
            _("A dream cannot be merged into a dream that was itself merged."),
            code="target_merged",
        )
    reason = clean_text(reason) or _("Merged into “%(title)s”.") % {"title": dst.title}
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {
                "reason": _("Please keep this under %(n)d characters.")
                % {"n": REASON_MAX_LENGTH}
            }
        )

    source_supports = DreamSupport.objects.filter(dream=src)
    # Supports by people already behind the target, or by the target's own
    # dreamer, would count twice (or support their own dream): drop them.
    duplicates = source_supports.filter(
        Q(
            user__isnull=False,
            user__in=DreamSupport.objects.filter(dream=dst, user__isnull=False).values(
                "user"
            ),
        )
        | Q(
            anonymous_key__isnull=False,
            anonymous_key__in=DreamSupport.objects.filter(
                dream=dst, anonymous_key__isnull=False
            ).values("anonymous_key"),
        )
    )
    if dst.author_id is not None:
        duplicates = duplicates | source_supports.filter(user_id=dst.author_id)
    if dst.anonymous_key is not None:
        duplicates = duplicates | source_supports.filter(
            anonymous_key=dst.anonymous_key
        )
    duplicates.delete()
    source_supports.update(dream=dst)
    # The source's dreamer wanted this too.
    if src.author_id is not None and src.author_id != dst.author_id:
        DreamSupport.objects.get_or_create(dream=dst, user_id=src.author_id)
    elif (
        src.author_id is None
        and src.anonymous_key is not None
        and src.anonymous_key != dst.anonymous_key
    ):
        DreamSupport.objects.get_or_create(dream=dst, anonymous_key=src.anonymous_key)
    Dream.objects.filter(merged_into=src).update(merged_into=dst)
    dst.support_count = DreamSupport.objects.filter(dream=dst).count()
    dst.save(update_fields=["support_count", "updated_at"])
    src.merged_into = dst
    src.support_count = 0
    src.save(update_fields=["merged_into", "support_count", "updated_at"])
    _record_change(dream=src, to_status=DreamStatus.MERGED, by=by, reason=reason)
    source.status, source.merged_into_id = src.status, dst.pk
    return dst


@transaction.atomic
def dream_link_add(
    *, dream: Dream, by, page=None, workshop_id: int | None = None, label: str = ""
) -> DreamLink:
    """Link `dream` to the planned service `page` or the workshop it went into."""
    if not can_triage(by, dream):
        raise PermissionDenied(
            _("Only the city's facilitators and editors can do that.")
        )
    if (page is None) == (workshop_id is None):
        raise ValidationError(_("Link the dream to either a page or a workshop."))
    label = clean_text(label, multiline=False)[:200]
    if page is not None:
        link, _created = DreamLink.objects.get_or_create(
            dream=dream,
            page=page,
            defaults={
                "kind": DreamLinkKind.PLANNED_SERVICE,
                "label": label,
                "created_by": by,
            },
        )
    else:
        link, _created = DreamLink.objects.get_or_create(
            dream=dream,
            workshop_id=workshop_id,
            defaults={"kind": DreamLinkKind.WORKSHOP, "label": label, "created_by": by},
        )
    return link
