"""Insight's own data: rollups of the counts it reads from other apps, and themes."""

from insights.themes.models import Scope, Source, Theme, ThemeMember

__all__ = ["Scope", "Source", "Theme", "ThemeMember"]
