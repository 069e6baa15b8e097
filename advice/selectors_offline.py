"""The offline questions an advisor may answer: oldest first, a page at a time.

Questions of the advisor's cities (and "any city") in its languages, ordered by
`(created_at, id)` and paged with a keyset cursor (`core.cursors`), so a deep
page costs what the first does. Two queries whatever the page holds (the
profile with its languages is cached on the user by `advice.rules`).
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q, QuerySet

from advice.models import Chat, ChatStatus
from advice.rules import advisor_city_ids, advisor_languages, advisor_profile
from core.cursors import cursor_decode, cursor_encode

PAGE_SIZE = 20


def offline_question_list(
    *, user, cursor: str = "", page_size: int = PAGE_SIZE
) -> tuple[list[Chat], str]:
    """A page of offline questions for `user` and the cursor of the next page
    ("" on the last). An unreadable cursor gives the first page."""
    profile = advisor_profile(user)
    if profile is None:
        return [], ""
    cities = advisor_city_ids(user)
    queryset: QuerySet[Chat] = (
        Chat.objects.filter(
            Q(city_id__in=cities) | Q(city__isnull=True),
            status=ChatStatus.OFFLINE,
            language__in=advisor_languages(profile),
        )
        .select_related("city", "topic")
        .order_by("created_at", "id")
    )
    position = cursor_decode(cursor, kind=datetime)
    if position is not None:
        at, pk = position
        queryset = queryset.filter(Q(created_at__gt=at) | Q(created_at=at, id__gt=pk))
    rows = list(queryset[: page_size + 1])
    following = ""
    if len(rows) > page_size:
        rows = rows[:page_size]
        following = cursor_encode(rows[-1].created_at, rows[-1].pk)
    return rows, following
