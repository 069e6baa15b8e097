"""What a view of the API answers, before it is written as JSON or XML."""

from __future__ import annotations

from typing import Any


class Answer:
    """What a view answers: a status, the XML root element and the data."""

    def __init__(
        self,
        data: Any,
        *,
        root: str,
        status: int = 200,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.data, self.root, self.status = data, root, status
        self.headers = headers or {}


def error_answer(status: int, description: str) -> Answer:
    return Answer(
        [{"code": status, "description": description}], root="errors", status=status
    )
