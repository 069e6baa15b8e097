"""Every write to themes: recomputation (`themes_refresh`, the daily job) and the
staff's edits (rename, hide, merge), which recomputation keeps.

Recomputation groups each scope's texts afresh (`core.text.themes`) and then
finds each new group's theme of the last run by member overlap: the old theme
with the highest Jaccard index (|A∩B| / |A∪B|) of at least `MATCH_THRESHOLD`
keeps its id, label and hiding and takes the new members; a theme staff merged
others into also takes every new group mostly (≥ `MATCH_THRESHOLD`) inside it,
so a merge holds when the texts split again. Groups that match nothing become
new themes; old themes that match nothing (their texts gone or regrouped) are
deleted with what was merged into them.
"""

from __future__ import annotations

import rules
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Forbidden, Invalid
from core.locking import lock_rows
from core.models import City
from core.sanitize import clean_text
from core.text.themes import group_texts
from insights.themes import sources
from insights.themes.models import LABEL_MAX, Theme, ThemeMember
from insights.themes.rules import MANAGE_THEMES

MATCH_THRESHOLD = 0.5


def _match(new_groups: list[set[str]], old: dict[int, set[str]], targets: set[int]):
    """Old theme id (or None) for each new group, as the module docstring says."""
    pairs = []
    for index, members in enumerate(new_groups):
        for theme_id, old_members in old.items():
            common = len(members & old_members)
            if common:
                pairs.append((common / len(members | old_members), index, theme_id))
    pairs.sort(reverse=True)
    result: list[int | None] = [None] * len(new_groups)
    taken: set[int] = set()
    for score, index, theme_id in pairs:
        if score < MATCH_THRESHOLD:
            break
        if result[index] is None and theme_id not in taken:
            result[index] = theme_id
            taken.add(theme_id)
    for index, members in enumerate(new_groups):
        if result[index] is None:
            inside = [
                (len(members & old[t]) / len(members), t)
                for t in targets
                if old.get(t) is not None
            ]
            best = max(inside, default=(0.0, None))
            if best[0] >= MATCH_THRESHOLD:
                result[index] = best[1]
    return result


def scope_refresh(city: City, scope: str, key: str, texts: list[sources.Text]) -> int:
    """Recompute one scope's themes from `texts`. The number of themes it has now.

    The grouping (seconds of CPU) runs before the transaction, so no row is locked
    meanwhile; a staff edit made during it is kept (it is read under the lock)."""
    grouping = None
    if len(texts) >= sources.MIN_TEXTS:
        grouping = group_texts([(t.ref, t.language, t.text) for t in texts])
    return _store(city, scope, key, texts, grouping)


@transaction.atomic
def _store(city: City, scope: str, key: str, texts: list, grouping) -> int:
    current = list(
        Theme.objects.select_for_update().filter(city=city, scope=scope, scope_key=key)
    )
    if grouping is None:
        Theme.objects.filter(pk__in=[t.pk for t in current]).delete()
        return 0
    by_ref = {text.ref: text for text in texts}
    old: dict[int, set[str]] = {}
    for theme_id, source, object_id in ThemeMember.objects.filter(
        theme__in=[t.pk for t in current if t.merged_into_id is None]
    ).values_list("theme_id", "source", "object_id"):
        old.setdefault(theme_id, set()).add(f"{source}:{object_id}")
    targets = {t.merged_into_id for t in current if t.merged_into_id is not None}
    groups = [set(theme.members) for theme in grouping.themes]
    matched = _match(groups, old, targets)
    themes = {t.pk: t for t in current}
    now = timezone.now()
    kept: dict[int, list] = {}
    for found, theme_id in zip(grouping.themes, matched, strict=True):
        if theme_id is None:
            theme = Theme.objects.create(city=city, scope=scope, scope_key=key)
            themes[theme.pk] = theme
            theme_id = theme.pk
        kept.setdefault(theme_id, []).append(found)
    live = set(kept)
    # Themes merged into a kept theme stay (their id leads to it); others go.
    gone = [
        t.pk
        for t in current
        if t.pk not in live
        and (t.merged_into_id is None or t.merged_into_id not in live)
    ]
    Theme.objects.filter(pk__in=gone).delete()
    ThemeMember.objects.filter(theme__in=list(live)).delete()
    members = []
    for theme_id, parts in kept.items():
        theme = themes[theme_id]
        refs = [ref for part in parts for ref in part.members]
        words: list[str] = []
        for part in parts:
            words.extend(w for w in part.words if w not in words)
        theme.words = words[:8]
        theme.size = len(refs)
        theme.public_size = sum(by_ref[ref].is_public for ref in refs)
        theme.method = grouping.method
        theme.computed_at = now
        theme.save(
            update_fields=["words", "size", "public_size", "method", "computed_at"]
        )
        for rank, ref in enumerate(refs):
            text = by_ref[ref]
            members.append(
                ThemeMember(
                    theme_id=theme_id,
                    source=text.source,
                    object_id=text.object_id,
                    is_public=text.is_public,
                    rank=rank,
                )
            )
    ThemeMember.objects.bulk_create(members, batch_size=2000)
    return len(live)


def themes_refresh(city: City | None = None) -> dict[str, int]:
    """Recompute every scope of `city` (or of every city). Themes per city slug."""
    counts = {}
    for each in [city] if city else City.objects.order_by("pk"):
        seen: set[tuple[str, str]] = set()
        total = 0
        for scope, key, texts in sources.scopes(each.pk):
            seen.add((scope, key))
            total += scope_refresh(each, scope, key, texts)
        # Scopes with no texts left at all lose their themes.
        stale = Theme.objects.filter(city=each).values_list("scope", "scope_key")
        for scope, key in set(stale) - seen:
            Theme.objects.filter(city=each, scope=scope, scope_key=key).delete()
        counts[each.slug] = total
    return counts


def _require(user, theme: Theme) -> None:
    if not rules.has_perm(MANAGE_THEMES, user, theme):
        raise Forbidden(_("Only the city's editors and moderators may edit themes."))


@transaction.atomic
def theme_rename(*, theme: Theme, label: str, by) -> Theme:
    """Name the theme (an empty name brings back its words)."""
    _require(by, theme)
    label = clean_text(label, multiline=False)
    if len(label) > LABEL_MAX:
        raise Invalid(
            _("A theme's name is at most %(n)d characters.") % {"n": LABEL_MAX},
            field="label",
        )
    theme.label = label
    theme.save(update_fields=["label"])
    return theme


@transaction.atomic
def theme_set_hidden(*, theme: Theme, hidden: bool, by) -> Theme:
    """Hide a theme from every public page (staff still see it), or show it again."""
    _require(by, theme)
    theme.hidden = hidden
    theme.save(update_fields=["hidden"])
    return theme


@transaction.atomic
def theme_merge(*, theme: Theme, into: Theme, by) -> Theme:
    """Fold `theme` into `into` (same city and scope): its texts join `into`, and
    its id leads there from now on, also after recomputation."""
    _require(by, theme)
    _require(by, into)
    locked = lock_rows(Theme, [theme.pk, into.pk])
    theme, into = locked.get(theme.pk), locked.get(into.pk)
    if theme is None or into is None or theme.pk == into.pk:
        raise Invalid(_("Choose another theme to merge into."), field="into")
    if (theme.city_id, theme.scope, theme.scope_key) != (
        into.city_id,
        into.scope,
        into.scope_key,
    ):
        raise Invalid(_("Themes of different scopes cannot be merged."), field="into")
    if theme.merged_into_id is not None or into.merged_into_id is not None:
        raise Invalid(_("That theme was merged already."), field="into")
    ours = set(
        ThemeMember.objects.filter(theme=into).values_list("source", "object_id")
    )
    offset = into.size
    moved = []
    for member in ThemeMember.objects.filter(theme=theme).order_by("rank"):
        if (member.source, member.object_id) not in ours:
            member.rank += offset
            moved.append(member)
    ThemeMember.objects.filter(theme=theme).exclude(
        pk__in=[m.pk for m in moved]
    ).delete()
    for member in moved:
        member.theme = into
    ThemeMember.objects.bulk_update(moved, ["theme", "rank"])
    Theme.objects.filter(merged_into=theme).update(merged_into=into)
    into.size += len(moved)
    into.public_size += sum(m.is_public for m in moved)
    into.words = into.words + [w for w in theme.words if w not in into.words][:4]
    into.save(update_fields=["size", "public_size", "words"])
    theme.merged_into = into
    theme.size = theme.public_size = 0
    theme.save(update_fields=["merged_into", "size", "public_size"])
    return into
