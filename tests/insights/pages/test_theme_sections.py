"""Themes on the dashboards (every theme, hidden ones marked) and in the reports
(public themes, public texts only)."""

import pytest

from accounts.models import Role
from accounts.services import role_grant
from insights.themes.models import Scope, Source, Theme, ThemeMember
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def dream_themes(city, topic, dreams):
    public, private = dreams[0], dreams[1]
    shown = Theme.objects.create(
        city=city,
        scope=Scope.TOPIC,
        scope_key=str(topic.pk),
        label="Iltakirjasto <b>",
        words=["kirjasto", "ilta"],
        size=2,
        public_size=1,
    )
    ThemeMember.objects.create(
        theme=shown, source=Source.DREAM, object_id=public.pk, is_public=True
    )
    ThemeMember.objects.create(
        theme=shown, source=Source.DREAM, object_id=private.pk, is_public=False, rank=1
    )
    Theme.objects.create(
        city=city,
        scope=Scope.TOPIC,
        scope_key=str(topic.pk),
        label="Piilotettu teema",
        size=3,
        public_size=3,
        hidden=True,
    )
    return public, private


def test_a_dream_report_shows_public_themes_with_public_texts(
    client, city, topic, dream_themes
):
    public, private = dream_themes
    html = client.get(f"/en/reports/dreams/{city.slug}/{topic.slug}/").content.decode()
    themes = html[html.index('id="themes-heading"') :]
    assert "Iltakirjasto &lt;b&gt;" in themes
    assert "(1 text)" in themes
    assert "Piilotettu teema" not in themes


def test_the_dashboard_shows_every_theme_and_links_editors_to_edit_them(
    client, city, topic, dream_themes
):
    editor = UserFactory()
    role_grant(user=editor, city=city, role=Role.EDITOR)
    client.force_login(editor)
    url = f"/en/insights/city/{city.slug}/dreams/{topic.slug}/"
    html = client.get(url).content.decode()
    assert "Piilotettu teema" in html
    assert "hidden from the public" in html
    assert f'href="/en/insights/themes/{city.slug}/"' in html
    facilitator = UserFactory()
    role_grant(user=facilitator, city=city, role=Role.FACILITATOR)
    client.force_login(facilitator)
    html = client.get(url).content.decode()
    assert "Piilotettu teema" in html
    assert f'href="/en/insights/themes/{city.slug}/"' not in html
