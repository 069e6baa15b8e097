"""Comparing channel-layer broadcasts of stream events."""

import json


def decoded(message: dict) -> dict:
    """The broadcast with its encoded frames parsed (JSON keys in any order:
    PostgreSQL's jsonb hands a payload back with its keys reordered)."""
    return {
        key: json.loads(value) if key in ("text", "private_text") else value
        for key, value in message.items()
    }
