"""Reads of themes: `themes_for` (the dashboards and public reports call it) and the
staff list."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch

from insights.themes import sources
from insights.themes.models import Scope, Theme, ThemeMember

REPRESENTATIVES = 3


@dataclass(frozen=True)
class ThemeView:
    id: int
    name: str
    words: tuple[str, ...]
    size: int
    hidden: bool
    # (source, object id, text), the most typical first.
    representatives: tuple[tuple[str, int, str], ...]


def themes_for(
    city_id: int,
    scope: str = Scope.ALL,
    key: str = "",
    *,
    public_only: bool = True,
    limit: int = 12,
) -> list[ThemeView]:
    """A scope's themes, largest first, in three queries.

    `public_only` (every public page): hidden themes are left out, sizes count
    public texts only, themes without any are left out, and representatives are
    public texts only. Otherwise (staff) every text counts and hidden themes are
    listed with `hidden=True`. Merged themes are counted in the theme they joined.
    """
    themes = Theme.objects.filter(
        city_id=city_id, scope=scope, scope_key=key, merged_into__isnull=True
    )
    members = ThemeMember.objects.filter(rank__lt=50).order_by("rank")
    if public_only:
        themes = themes.filter(hidden=False, public_size__gt=0).order_by(
            "-public_size", "pk"
        )
        members = members.filter(is_public=True)
    else:
        themes = themes.order_by("-size", "pk")
    themes = list(
        themes[:limit].prefetch_related(
            Prefetch("members", queryset=members, to_attr="ranked")
        )
    )
    chosen = {t.pk: t.ranked[:REPRESENTATIVES] for t in themes}
    texts = sources.texts_of(
        [(m.source, m.object_id) for picked in chosen.values() for m in picked]
    )
    return [
        ThemeView(
            id=theme.pk,
            name=theme.name,
            words=tuple(theme.words),
            size=theme.public_size if public_only else theme.size,
            hidden=theme.hidden,
            representatives=tuple(
                (m.source, m.object_id, texts[(m.source, m.object_id)])
                for m in chosen[theme.pk]
                if (m.source, m.object_id) in texts
            ),
        )
        for theme in themes
    ]


def scope_choices(city_id: int) -> list[tuple[str, str]]:
    """The scopes of a city that have themes: (scope, key) pairs, the city first."""
    pairs = (
        Theme.objects.filter(city_id=city_id, merged_into__isnull=True)
        .values_list("scope", "scope_key")
        .distinct()
        .order_by("scope", "scope_key")
    )
    return sorted(set(pairs), key=lambda pair: (pair[0] != Scope.ALL, pair))
