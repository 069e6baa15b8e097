"""Stable pseudonyms for authors: the same person gets the same pseudonym in every
dataset, and nobody can reverse one without `PSEUDONYM_KEY`."""

import base64
import hashlib
import hmac
import uuid

from django.conf import settings

REMOVED = "removed"


def pseudonym(
    *, user_id: int | None = None, anonymous_key: uuid.UUID | None = None
) -> str:
    """16 base32 characters of HMAC-SHA256(PSEUDONYM_KEY, "user:<id>"/"anon:<key>").

    A deleted account (no user and no anonymous key) is `removed`.
    """
    if user_id is not None:
        subject = f"user:{user_id}"
    elif anonymous_key is not None:
        subject = f"anon:{anonymous_key}"
    else:
        return REMOVED
    digest = hmac.new(
        settings.PSEUDONYM_KEY.encode(), subject.encode(), hashlib.sha256
    ).digest()
    return base64.b32encode(digest).decode("ascii")[:16].lower()
