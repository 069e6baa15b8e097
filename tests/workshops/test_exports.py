"""The results exports: the SVG picture of the boards (escaped, wrapped, never a
hidden text), beside the CSV/JSON/Markdown tested with the results page."""

import defusedxml.ElementTree as ET
import pytest
from django.urls import reverse
from django.utils import translation

from workshops import exports, selectors, services
from workshops.models import Card, Vote

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def cards(board, columns, alice, bob):
    def add(text, column=0, **fields):
        return Card.objects.create(
            board=board, column=columns[column], author=alice, text=text, **fields
        )

    hostile = add('<script>alert("x")</script> & <b>bold</b>', color="pink")
    long = add("Kirjastoon " * 30 + "Lentokonesuihkuturbiinimoottoriapumekaanikko")
    add("salainen kortti", hidden=True)
    clustered = add("Iltaisin auki", column=1, group="Aukiolo <i>")
    Vote.objects.create(card=clustered, participant=bob, board=board)
    return {"hostile": hostile, "long": long}


def _svg(workshop):
    with translation.override("en"):
        return exports.results_svg(
            workshop, selectors.workshop_results(workshop=workshop)
        )


def _texts(root) -> list[str]:
    """Each <text>, its wrapped lines joined again."""
    return [
        " ".join(span.text for span in t.iter(f"{SVG}tspan"))
        for t in root.iter(f"{SVG}text")
    ]


def test_svg_is_well_formed_and_shows_text_as_typed(workshop, cards):
    body = _svg(workshop)
    root = ET.fromstring(body.encode())
    assert root.tag == f"{SVG}svg"
    assert not list(root.iter(f"{SVG}script")) and not list(root.iter("script"))
    assert "<script>" not in body and "<b>" not in body
    texts = _texts(root)
    assert '<script>alert("x")</script> & <b>bold</b>' in texts  # as typed
    assert "Aukiolo <i> · 1 vote" in texts
    assert root.find(f"{SVG}title").text == "Kirjastojami <script>alert(1)</script>"


def test_svg_wraps_long_text_within_its_card(workshop, cards):
    root = ET.fromstring(_svg(workshop).encode())
    long_text = next(
        t for t in root.iter(f"{SVG}text") if "Kirjastoon" in "".join(t.itertext())
    )
    lines = [span.text for span in long_text.iter(f"{SVG}tspan")]
    assert len(lines) > 5
    assert all(len(line) <= exports.SVG_WRAP for line in lines)
    assert "".join(lines).replace(" ", "") == cards["long"].text.replace(" ", "")


def test_svg_never_shows_a_hidden_text(workshop, cards):
    assert "salainen" not in _svg(workshop)


def test_svg_download_follows_the_results_visibility(
    client, workshop, cards, facilitator
):
    url = reverse("workshops:results_download", args=[workshop.pk, "svg"])
    assert client.get(url).status_code == 404
    services.workshop_close(user=facilitator, workshop=workshop, summary="")
    client.force_login(facilitator)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    ET.fromstring(response.content)
