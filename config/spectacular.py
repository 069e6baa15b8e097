"""OpenAPI schema hooks: the schema documents the open data API only."""


def public_api_only(endpoints: list[tuple], **kwargs) -> list[tuple]:
    """Drop every endpoint outside /api/ (the Wagtail admin's own API, say)."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/")]
