"""The demo's dashboards have figures at once: the rollups built from the demo
content the other apps loaded (the job loop keeps them up to date afterwards)."""

from insights.rollups import refresh


def load(*, cities, city_pages, users, stdout) -> None:
    months = refresh(full=True)
    stdout.write(f"insights: rollups of {len(months)} months")
