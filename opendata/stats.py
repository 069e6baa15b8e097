"""`participation-stats`: how many people took part, per city, month and channel,
and (only where people consented) by age band, home district, first language and
gender.

k-anonymity, k=5: a cell counting fewer than five people is suppressed; then, in
each breakdown, more cells are suppressed until the people hidden in it add up to
at least five, so no suppressed cell can be worked out by subtracting the published
cells from the published total. A total under five hides its whole breakdown.
People who did not consent (or left the detail empty) count as `unknown`, so every
breakdown adds up to its total and nothing is inferred from a missing value.
A home district is its `core.District` (`<city slug>/<district slug>`, with its
names in the label columns), never text a person typed.
"""

from collections import Counter, defaultdict
from typing import Any

from django.core.cache import cache
from django.db.models.functions import TruncMonth
from django.utils import translation

from insights.suppression import protect
from opendata.insight_stats import insight_rows

K = 5
# Computing the counts reads every contribution (3 s at a million comments), and
# the API, the catalog and the downloads all ask for them: one computation a minute
# at most, shared by every server process through the cache.
CACHE_KEY = "opendata:participation-stats"
CACHE_SECONDS = 60
DIMENSIONS = ("age_band", "home_district", "first_language", "gender")
UNKNOWN = "unknown"
LABEL_LANGUAGES = ("fi", "sv", "en")

COLUMNS = [
    ("city", "string", "Slug of the city."),
    ("month", "string", "Month (YYYY-MM) the contributions were made."),
    (
        "channel",
        "string",
        "How people took part. comment, dream, workshop: the earlier rows, by "
        "kind of contribution. web, workshop_online, workshop_in_person, "
        "feedback_form, feedback_api and all: the channels of insight's "
        "definitions (README, Insight: definitions), public contributions only.",
    ),
    (
        "dimension",
        "string",
        "all (the total), or the breakdown: age_band, home_district, "
        "first_language, gender; district (the district a contribution was "
        "about, channel all only; districts overlap and need not add up).",
    ),
    (
        "value",
        "string",
        "The group within the dimension; unknown = not consented. Age bands and "
        "genders by code, first languages by ISO 639-1 code (or other), home "
        "districts as <city slug>/<district slug>.",
    ),
    (
        "people",
        "integer",
        "How many different people; empty when suppressed (fewer than 5, or "
        "hidden so that a small cell cannot be derived by subtraction); for "
        "workshop_in_person also when not known (paper cards: suppressed false).",
    ),
    ("suppressed", "boolean", "True when people is hidden for k-anonymity (k=5)."),
    (
        "contributions",
        "integer",
        "How many contributions (insight's channels, dimension all only; "
        "empty otherwise). Contributions are not people and are not suppressed.",
    ),
    *(
        (
            f"label_{language}",
            "string",
            f"The value's name in {name}; empty for all and unknown.",
        )
        for language, name in (("fi", "Finnish"), ("sv", "Swedish"), ("en", "English"))
    ),
]


def suppress(total: int, cells: dict[str, int], k: int = K) -> dict[str, int | None]:
    """Published counts of one breakdown (None = suppressed): insight's rules
    (`insights.suppression`), the breakdown being one line whose sum, the total,
    is published."""
    if total < k:
        return dict.fromkeys(cells)
    values = list(cells.values())
    hidden, _unsafe = protect(values, [range(len(values))], k)
    return {
        value: (None if i in hidden else n)
        for i, (value, n) in enumerate(cells.items())
    }


def _comment_participants() -> list[tuple[str, Any, str, int | None]]:
    """(city, month, person key, user id) for every visible comment's author."""
    from discussions.models import Comment
    from discussions.rules import public_comments_q

    rows = (
        Comment.objects.filter(public_comments_q())
        .exclude(author__isnull=True, anonymous_key__isnull=True)
        .annotate(month=TruncMonth("created_at"))
        .values_list("discussion__city__slug", "month", "author_id", "anonymous_key")
        .distinct()
    )
    return [
        (city, month, f"user:{user}" if user else f"anon:{anon}", user)
        for city, month, user, anon in rows
        if city
    ]


def _workshop_participants() -> list[tuple[str, Any, str, int | None]]:
    """(city, month, person key, user id) for card authors of published workshops."""
    from workshops.models import Card

    rows = (
        Card.objects.filter(
            board__workshop__results_published=True,
            hidden=False,
            author__isnull=False,
        )
        .annotate(month=TruncMonth("created_at"))
        .values_list(
            "board__workshop__city__slug",
            "month",
            "author__user_id",
            "author__anonymous_key",
        )
        .distinct()
    )
    return [
        (city, month, f"user:{user}" if user else f"anon:{anon}", user)
        for city, month, user, anon in rows
    ]


def _dream_participants() -> list[tuple[str, Any, str, int | None]]:
    """(city, month, person key, user id) for dream authors."""
    from ideas.models import Dream

    rows = (
        Dream.objects.exclude(author__isnull=True, anonymous_key__isnull=True)
        .annotate(month=TruncMonth("created_at"))
        .values_list("city__slug", "month", "author_id", "anonymous_key")
        .distinct()
    )
    return [
        (city, month, f"user:{user}" if user else f"anon:{anon}", user)
        for city, month, user, anon in rows
        if city
    ]


CHANNELS = {
    "comment": _comment_participants,
    "dream": _dream_participants,
    "workshop": _workshop_participants,
}


def _backgrounds(
    user_ids: set[int],
) -> tuple[dict[int, dict[str, str]], dict[tuple[str, str], dict[str, str]]]:
    """Only the details people consented to share for statistics (3 queries),
    and the names of the home districts among them by language."""
    from accounts.models import BackgroundDetails, Consent

    consented = defaultdict(set)
    for user_id, purpose in Consent.objects.filter(
        user_id__in=user_ids, withdrawn_at__isnull=True, purpose__in=DIMENSIONS
    ).values_list("user_id", "purpose"):
        consented[user_id].add(purpose)
    details = {}
    district_names: dict[tuple[str, str], dict[str, str]] = {}
    rows = BackgroundDetails.objects.filter(user_id__in=user_ids).select_related(
        "home_district__city"
    )
    for row in rows:
        uid = row.user_id
        values = {
            "age_band": row.age_band,
            "first_language": row.first_language,
            "gender": row.gender,
            "home_district": "",
        }
        district = row.home_district
        if district is not None and "home_district" in consented[uid]:
            value = f"{district.city.slug}/{district.slug}"
            values["home_district"] = value
            district_names[("home_district", value)] = {
                language: type(district).name.value(district, language)
                for language in LABEL_LANGUAGES
            }
        details[uid] = {
            dim: (values[dim] if dim in consented[uid] and values[dim] else UNKNOWN)
            for dim in DIMENSIONS
        }
    return details, district_names


def _labels(names: dict[tuple[str, str], dict[str, str]]) -> Any:
    """label(dimension, value) → {label_fi, label_sv, label_en}."""
    from accounts.models import AgeBand, FirstLanguage, Gender

    choices = {
        "age_band": dict(AgeBand.choices),
        "first_language": dict(FirstLanguage.choices),
        "gender": dict(Gender.choices),
    }

    memo: dict[tuple[str, str], dict[str, str]] = {}

    def label(dimension: str, value: str) -> dict[str, str]:
        if (dimension, value) in memo:
            return memo[(dimension, value)]
        known = names.get((dimension, value))
        out = {}
        for language in LABEL_LANGUAGES:
            text = ""
            if known is not None:
                text = known[language]
            elif value in choices.get(dimension, {}):
                with translation.override(language):
                    text = str(choices[dimension][value])
            out[f"label_{language}"] = text
        memo[(dimension, value)] = out
        return out

    return label


def participation_stats(k: int = K) -> list[dict[str, Any]]:
    people: dict[tuple[str, str, str], dict[str, int | None]] = {}
    user_ids: set[int] = set()
    for channel, collect in CHANNELS.items():
        for city, month, person, user_id in collect():
            key = (city, month.strftime("%Y-%m"), channel)
            people.setdefault(key, {})[person] = user_id
            if user_id:
                user_ids.add(user_id)
    background, district_names = _backgrounds(user_ids)
    label = _labels(district_names)
    no_label = {f"label_{language}": "" for language in LABEL_LANGUAGES}
    unknown = dict.fromkeys(DIMENSIONS, UNKNOWN)
    out = []
    for key in sorted(people):
        members = people[key]
        total = len(members)
        city, month, channel = key
        base = {"city": city, "month": month, "channel": channel}
        shown = total if total >= k else None
        out.append(
            {
                **base,
                "dimension": "all",
                "value": "all",
                "people": shown,
                "suppressed": shown is None,
                "contributions": None,
                **no_label,
            }
        )
        for dim in DIMENSIONS:
            cells = Counter(
                background.get(uid, unknown)[dim] if uid else UNKNOWN
                for uid in members.values()
            )
            for value, n in sorted(suppress(total, dict(cells), k).items()):
                out.append(
                    {
                        **base,
                        "dimension": dim,
                        "value": value,
                        "people": n,
                        "suppressed": n is None,
                        "contributions": None,
                        **label(dim, value),
                    }
                )
    return out + insight_rows(k, suppress, label)


def cached_participation_stats() -> list[dict[str, Any]]:
    """participation_stats, recomputed at most once every CACHE_SECONDS."""
    return cache.get_or_set(CACHE_KEY, participation_stats, CACHE_SECONDS)
