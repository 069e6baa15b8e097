"""The advice pages pass the Nu HTML checker with 0 errors (as every page type
does in tests/test_html_valid.py, whose checker run this reuses): the start form
with its errors, the resident's chat queued and ended, the desk, a held chat at
the desk and the supervisors' view. PostgreSQL pass only, like that test."""

import pytest
from django.db import connections
from django.test import Client

from accounts.models import Role
from accounts.services import role_grant
from advice.models import CannedAnswer, Chat
from tests.advice.factories import advisor, open_all_week
from tests.factories import UserFactory
from tests.test_html_valid import _validate, _vnu_jar

pytestmark = [
    pytest.mark.skipif(
        connections["default"].vendor != "postgresql",
        reason="run once per CI run, in the PostgreSQL pass (CI sets DATABASE_URL)",
    ),
    pytest.mark.django_db,
]


def _save(pages: dict[str, str], folder, name: str, response) -> None:
    assert response.status_code in (200, 400), (name, response.status_code)
    path = folder / f"{name}.html"
    path.write_text(response.content.decode(), encoding="utf-8")
    pages[str(path)] = name


def test_advice_pages_pass_the_nu_html_checker(client, city, tmp_path):
    jar = _vnu_jar()
    open_all_week(city)
    aino = advisor(city, ("fi", "en", "ar"), name="Aino")
    CannedAnswer.objects.create(language="fi", title="Migri", text="https://migri.fi")
    pages: dict[str, str] = {}
    _save(pages, tmp_path, "start", client.get("/advice/"))
    _save(pages, tmp_path, "start-errors", client.post("/sv/advice/", {}))
    start = client.post(
        "/en/advice/",
        {
            "advice-city": city.slug,
            "advice-language": "ar",
            "advice-text": "مرحبا <b>https://migri.fi</b>",
            "advice-email": "asukas@example.fi",
            "advice-origin_path": "/dreams/new/",
        },
    )
    chat = Chat.objects.get()
    _save(pages, tmp_path, "chat-queued", client.get(start.url))
    desk = Client()
    desk.force_login(aino.user)
    desk.post("/advice/desk/accept/", {"chat": chat.pk})
    _save(pages, tmp_path, "desk", desk.get("/en/advice/desk/"))
    _save(pages, tmp_path, "desk-chat", desk.get(f"/advice/desk/chats/{chat.pk}/"))
    client.post(f"/advice/chats/{chat.pk}/close/")
    _save(pages, tmp_path, "chat-ended", client.get(f"/advice/chats/{chat.pk}/"))
    boss = UserFactory()
    role_grant(user=boss, city=city, role=Role.ADVICE_SUPERVISOR)
    desk.force_login(boss)
    _save(pages, tmp_path, "supervisor", desk.get("/advice/desk/supervisor/"))
    errors = _validate(jar, list(pages))
    report = [
        f"{pages.get(e.get('url', '').removeprefix('file:'), e.get('url'))}: "
        f"{e.get('message')} ({e.get('extract', '')!r})"
        for e in errors
    ]
    assert not errors, "\n".join(report)
