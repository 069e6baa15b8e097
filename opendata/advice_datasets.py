"""`advice-stats`: the advice desk's figures per city, language, topic and hour.

One row per (city, chat language, topic, hour of the day the question was asked,
Finnish time) that has any chat: how many chats, how long residents waited for
an advisor (median and 90th percentile), how long conversations lasted (median),
how many were left as offline questions for an e-mail answer, and the average
rating. A cell with fewer than five chats is suppressed: its dimensions stay,
every figure is empty and `suppressed` is true. No cross-totals are published,
so a suppressed cell cannot be worked out by subtraction.

Read from the `Chat` rows' times, status and score only: never a message, a
note, an e-mail address, the opening page or a rating comment, which the
retention job deletes anyway while these figures stay. An aggregate like
`participation-stats`: computed whole (at most once a minute, shared through
the cache), with downloads and a catalog entry but no cursor list.
"""

from __future__ import annotations

import math
from collections import defaultdict
from operator import itemgetter
from typing import Any

from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone

from opendata.datasets import Column, Dataset, register

K = 5
CACHE_KEY = "opendata:advice-stats"
CACHE_SECONDS = 60
ANY_CITY = "any"
NO_TOPIC = "none"

COLUMNS = [
    ("city", "string", "Slug of the city, or any (the resident chose any city)."),
    (
        "language",
        "string",
        "The chat's language (ISO 639-1, e.g. fi, sv, en, ru, ar).",
    ),
    ("topic", "string", "Slug of the topic asked about, or none."),
    (
        "hour",
        "integer",
        "Hour of the day (0–23, Finnish time) the question was asked.",
    ),
    (
        "chats",
        "integer",
        "How many chats were started (offline questions included); empty when "
        "suppressed (fewer than 5).",
    ),
    ("suppressed", "boolean", "True when the cell has fewer than 5 chats."),
    (
        "wait_median_s",
        "integer",
        "Median seconds from the question to the first advisor's answer, over "
        "the chats an advisor took.",
    ),
    (
        "wait_p90_s",
        "integer",
        "90th percentile of that wait, in seconds (linear interpolation).",
    ),
    (
        "duration_median_s",
        "integer",
        "Median seconds from the first advisor's answer to the end of the chat.",
    ),
    (
        "offline_questions",
        "integer",
        "Of the chats, questions left for an answer by e-mail (no advisor was "
        "available or the desk was closed).",
    ),
    ("ratings", "integer", "How many residents rated their chat (1–5)."),
    (
        "rating_average",
        "number",
        "The average rating (1–5), two decimals; empty without ratings.",
    ),
]
MEASURES = [name for name, *_rest in COLUMNS[4:] if name != "suppressed"]


def percentile(values: list[float], p: float) -> float | None:
    """The `p`th percentile of `values` by linear interpolation between the
    closest ranks (numpy's default); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def _seconds(value: float | None) -> int | None:
    return None if value is None else round(value)


def _chats() -> list[tuple]:
    from advice.models import Chat

    return list(
        Chat.objects.values_list(
            "city__slug",
            "language",
            "topic__slug",
            "created_at",
            "first_accepted_at",
            "closed_at",
            "answered_by_email_at",
            "status",
            "rating",
        ).order_by()
    )


def advice_stats() -> list[dict[str, Any]]:
    """Every cell, sorted by city, language, topic and hour."""
    cells: dict[tuple, list[tuple]] = defaultdict(list)
    for row in _chats():
        city, language, topic, created = row[:4]
        hour = timezone.localtime(created).hour
        cells[(city or ANY_CITY, language, topic or NO_TOPIC, hour)].append(row)
    rows = []
    for (city, language, topic, hour), chats in sorted(cells.items()):
        # In the columns' order: the API, JSON Lines and CSV list them so.
        row: dict[str, Any] = dict.fromkeys(name for name, *_rest in COLUMNS)
        row.update(city=city, language=language, topic=topic, hour=hour)
        row["suppressed"] = len(chats) < K
        if not row["suppressed"]:
            row.update(_figures(chats))
        rows.append(row)
    return rows


def _figures(chats: list[tuple]) -> dict[str, Any]:
    waits, durations, ratings = [], [], []
    offline = 0
    for _c, _l, _t, created, accepted, closed, emailed, status, rating in chats:
        if accepted is not None:
            waits.append((accepted - created).total_seconds())
            if closed is not None:
                durations.append((closed - accepted).total_seconds())
        elif emailed is not None or (closed is None and status != "queued"):
            # Waiting for its e-mail answer, answered by e-mail, or ended
            # unanswered by the retention job (which sets no `closed_at`): a
            # question nobody took in a chat, unlike one its resident closed.
            offline += 1
        if rating is not None:
            ratings.append(rating)
    return {
        "chats": len(chats),
        "wait_median_s": _seconds(percentile(waits, 50)),
        "wait_p90_s": _seconds(percentile(waits, 90)),
        "duration_median_s": _seconds(percentile(durations, 50)),
        "offline_questions": offline,
        "ratings": len(ratings),
        "rating_average": (round(sum(ratings) / len(ratings), 2) if ratings else None),
    }


def advice_span() -> dict[str, Any]:
    """The first and the last question counted (for the catalog)."""
    from django.db.models import Max, Min

    from advice.models import Chat

    return Chat.objects.aggregate(first=Min("created_at"), last=Max("created_at"))


def cached_advice_stats() -> list[dict[str, Any]]:
    """advice_stats, recomputed at most once every CACHE_SECONDS."""
    return cache.get_or_set(CACHE_KEY, advice_stats, CACHE_SECONDS)


advice_stats_dataset = register(
    Dataset(
        name="advice-stats",
        title={
            "fi": "Neuvontachatin tilastot",
            "sv": "Statistik över rådgivningschatten",
            "en": "Advice desk statistics",
        },
        description={
            "fi": "Neuvontachatin keskustelut kaupungeittain, kielittäin, aiheittain "
            "ja kellonajoittain: määrät, jonotusajan mediaani ja 90. persentiili, "
            "keston mediaani, sähköpostilla vastattavat kysymykset ja arvioiden "
            "keskiarvo. Alle viiden keskustelun solut piilotettu; ei viestejä.",
            "sv": "Rådgivningschattens samtal per stad, språk, ämne och timme: "
            "antal, median och 90:e percentil för väntetiden, median för "
            "längden, frågor som besvaras per e-post och medelbetyg. Celler med "
            "färre än fem samtal döljs; inga meddelanden.",
            "en": "The advice desk's chats per city, language, topic and hour: "
            "counts, median and 90th-percentile wait, median duration, offline "
            "questions answered by e-mail and the average rating. Cells under "
            "five chats suppressed; never a message.",
        },
        columns=[
            Column(name, kind, help, itemgetter(name), nullable=name in MEASURES)
            for name, kind, help in COLUMNS
        ],
        base_queryset=None,
        public=Q(),
        compute=cached_advice_stats,
        span=advice_span,
    )
)
