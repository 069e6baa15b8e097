"""A wrong join code and results not (yet) published answer the friendly 404
page in the language of the address, not Django's technical page."""

import pytest
from django.test import override_settings

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("home_page")]

HEADINGS = {
    "": "Sivua ei löytynyt",
    "/sv": "Sidan hittades inte",
    "/en": "Page not found",
}


def _assert_friendly_404(response, prefix: str):
    html = response.content.decode()
    assert response.status_code == 404
    assert f"<h1>{HEADINGS[prefix]}</h1>" in html
    assert f'<html lang="{prefix.strip("/") or "fi"}">' in html
    assert 'class="site-header"' in html
    assert "URLconf" not in html


@override_settings(DEBUG=False)
@pytest.mark.parametrize("prefix", ["", "/sv", "/en"])
def test_a_wrong_join_code_is_the_friendly_404(client, workshop, prefix):
    assert workshop.join_code != "XXXX"
    _assert_friendly_404(client.get(f"{prefix}/join/XXXX/"), prefix)


@override_settings(DEBUG=False)
@pytest.mark.parametrize("prefix", ["", "/sv", "/en"])
def test_unpublished_results_are_the_friendly_404(client, workshop, prefix):
    assert not workshop.results_published
    _assert_friendly_404(
        client.get(f"{prefix}/workshops/{workshop.pk}/results/"), prefix
    )
    _assert_friendly_404(
        client.get(f"{prefix}/workshops/{workshop.pk}/results.csv"), prefix
    )
