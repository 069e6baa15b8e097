"""The Open311 error: a status code and a description, sent as
`[{"code": <status>, "description": "…"}]` (XML `<errors><error>…`).

The descriptions stay in English whatever `locale` says: they are read by the
developers of programs, in their logs (as the open data API's key refusals are).
"""

from __future__ import annotations


class ApiError(Exception):
    """A refusal the API answers with the Open311 error body."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


def bad_request(description: str) -> ApiError:
    return ApiError(400, description)


def not_found(description: str) -> ApiError:
    return ApiError(404, description)


def forbidden(description: str) -> ApiError:
    return ApiError(403, description)
