"""The rows `participation-stats` gets from insight's rollups (insights/): for
each city and month, the channels of insight's definitions (`web`,
`workshop_online`, `workshop_in_person`, `feedback_form`, `feedback_api`, and
`all` of them together) with their contributions and people, the districts the
contributions were about, and the voluntary background of everyone who took
part (channel `all`), each suppressed by insight's rules.

Only public contributions count (what anyone may see: `public` in the rollups),
so private feedback and advice chats never appear. As current as the last
`refresh_insights` (every five minutes). Eight queries whatever the size: the
people are the counts the refresh job made (`PeriodCount`, `PeriodUser`), not
sets counted here.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Count, F, Sum
from django.db.models.functions import TruncMonth

UNKNOWN = "unknown"
SEGMENTS = ("age_band", "home_district", "first_language", "gender")


def insight_rows(k: int, suppress, label) -> list[dict[str, Any]]:
    """Rows in `participation_stats`' shape (plus `contributions`)."""
    from core.models import District
    from insights.models import DailyCount, PeriodCount, PeriodUser
    from insights.scope import users_described
    from insights.sources import CHANNELS, Channel

    # People as insight's refresh job counted them from its month sets.
    counted = PeriodCount.objects.filter(
        granularity="month", public_only=True, city__isnull=False
    )
    contributions: dict[tuple, int] = defaultdict(int)
    for row in (
        DailyCount.objects.filter(facet="city", public=True)
        .annotate(month=TruncMonth("day"))
        .values("city__slug", "month", "channel")
        .annotate(n=Sum("count"))
        .order_by()
    ):
        month = row["month"].strftime("%Y-%m")
        contributions[(row["city__slug"], month, row["channel"])] += row["n"]
        contributions[(row["city__slug"], month, "all")] += row["n"]
    people = {
        (city, start.strftime("%Y-%m"), channel or "all"): n
        for city, start, channel, n in counted.filter(facet="city").values_list(
            "city__slug", "start", "channel", "people"
        )
    }
    districts = {
        str(d.pk): (f"{d.city.slug}/{d.slug}", d)
        for d in District.objects.select_related("city")
    }
    by_slug = dict(districts.values())
    by_district: dict[tuple, dict[str, int]] = defaultdict(dict)
    for city, start, value, n in counted.filter(
        facet="district", channel=""
    ).values_list("city__slug", "start", "value", "people"):
        if value in districts:
            by_district[(city, start.strftime("%Y-%m"))][districts[value][0]] = n
    segments: dict[tuple, dict[str, dict[str, int]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    users = PeriodUser.objects.filter(
        granularity="month", facet="city", value="", public=True
    )
    for field in SEGMENTS:
        path = f"user__background__{field}"
        for row in (
            users_described(users, field)
            .values("city__slug", "start", segment=F(path))
            .annotate(n=Count("user"))
            .order_by()
        ):
            value = row["segment"]
            if field == "home_district":
                value = districts[str(value)][0]
            month = row["start"].strftime("%Y-%m")
            segments[(row["city__slug"], month)][field][value] = row["n"]

    out = []
    no_label = {f"label_{language}": "" for language in ("fi", "sv", "en")}
    for city, month, channel in sorted(contributions):
        if channel not in CHANNELS and channel != "all":
            continue
        key = (city, month, channel)
        base = {"city": city, "month": month, "channel": channel}
        total = people.get(key, 0)
        # Paper cards have no participants the platform can tell: not known.
        known = channel != Channel.WORKSHOP_IN_PERSON
        shown = total if known and total >= k else None
        out.append(
            {
                **base,
                "dimension": "all",
                "value": "all",
                "people": shown,
                "suppressed": known and shown is None,
                "contributions": contributions[key],
                **no_label,
            }
        )
        if channel != "all":
            continue
        breakdowns = {"district": by_district.get((city, month), {})}
        for field in SEGMENTS:
            cells = dict(segments[(city, month)][field])
            cells[UNKNOWN] = total - sum(cells.values())
            breakdowns[field] = suppress(total, cells, k)
        # Districts overlap (a contribution about two) and need not cover
        # everyone: primary suppression only, no total to subtract from.
        breakdowns["district"] = {
            value: (n if n >= k else None)
            for value, n in breakdowns["district"].items()
        }
        for dimension, cells in breakdowns.items():
            for value, n in sorted(cells.items()):
                labels = no_label
                if value in by_slug:
                    district = by_slug[value]
                    labels = {
                        f"label_{language}": type(district).name.value(
                            district, language
                        )
                        for language in ("fi", "sv", "en")
                    }
                elif value != UNKNOWN:
                    labels = label(dimension, value)
                out.append(
                    {
                        **base,
                        "dimension": dimension,
                        "value": value,
                        "people": n,
                        "suppressed": n is None,
                        "contributions": None,
                        **labels,
                    }
                )
    return out
