"""Every write to dreams: telling, supporting, following through, merging, linking.

Each function is keyword-only, runs in one transaction, asks the named rules of
`ideas.rules` and refuses with a `core.errors` service error (`Invalid`,
`Conflict`, `RateLimited`, `Forbidden`) having written nothing. E-mails are queued
in the e-mail outbox (`core.mail`) in the same transaction and sent in batches
after commit. Split by concern; the public names are all importable from here.
"""

from ideas.rules import TRIAGE_ROLES, anonymous_allowed
from ideas.services.dreams import (
    DESCRIPTION_MIN_LENGTH,
    DREAMS_PER_IP_PER_HOUR,
    DREAMS_PER_PERSON_PER_HOUR,
    TITLE_MIN_LENGTH,
    city_dream_discussions_sync,
    dream_create,
    dream_create_from_card,
    dream_discussion,
    dream_search_terms,
    dream_search_terms_refresh,
)
from ideas.services.supports import (
    SUPPORTS_PER_IP_PER_HOUR,
    SUPPORTS_PER_PERSON_PER_HOUR,
    dream_support,
    dream_support_withdraw,
    dream_trend_count,
    dream_trends_refresh,
)
from ideas.services.triage import (
    dream_language_set,
    dream_link_add,
    dream_merge,
    dream_status_change,
)

__all__ = [
    "DESCRIPTION_MIN_LENGTH",
    "DREAMS_PER_IP_PER_HOUR",
    "DREAMS_PER_PERSON_PER_HOUR",
    "SUPPORTS_PER_IP_PER_HOUR",
    "SUPPORTS_PER_PERSON_PER_HOUR",
    "TITLE_MIN_LENGTH",
    "TRIAGE_ROLES",
    "anonymous_allowed",
    "city_dream_discussions_sync",
    "dream_create",
    "dream_create_from_card",
    "dream_discussion",
    "dream_language_set",
    "dream_link_add",
    "dream_merge",
    "dream_search_terms",
    "dream_search_terms_refresh",
    "dream_status_change",
    "dream_support",
    "dream_support_withdraw",
    "dream_trend_count",
    "dream_trends_refresh",
]
