"""Addresses every visitor and browser relies on: /fi/… and /favicon.ico."""

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("home_page")]


@pytest.mark.parametrize(
    ("path", "location"),
    [
        ("/fi", "/"),
        ("/fi/", "/"),
        ("/fi/accounts/login/", "/accounts/login/"),
        ("/fi/accounts/login/?next=/dreams/", "/accounts/login/?next=/dreams/"),
        ("/fi/join/ABCD/", "/join/ABCD/"),
    ],
)
def test_the_finnish_prefix_redirects_to_the_unprefixed_address(client, path, location):
    response = client.get(path)
    assert response.status_code == 301
    assert response.headers["Location"] == location


def test_the_redirect_lands_on_the_finnish_page(client):
    response = client.get("/fi/accounts/login/", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == [("/accounts/login/", 301)]
    assert '<html lang="fi">' in response.content.decode()


@pytest.mark.parametrize("path", ["/fi//evil.example/", "/fi/\\evil.example/"])
def test_the_finnish_prefix_redirect_never_leaves_the_site(client, path):
    location = client.get(path).headers["Location"]
    assert location.startswith("/")
    assert location[1:2] not in ("/", "\\")


def test_only_the_whole_prefix_redirects(client):
    assert client.get("/figures/").status_code == 404


def test_favicon_is_served(client):
    response = client.get("/favicon.ico", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == [("/static/favicon.ico", 301)]
    body = b"".join(response.streaming_content)
    assert body[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert response.headers["Content-Type"] in {
        "image/x-icon",
        "image/vnd.microsoft.icon",
    }


def test_pages_name_the_svg_icon(client):
    html = client.get("/accounts/login/").content.decode()
    assert 'rel="icon" href="/static/favicon.svg"' in html
    assert client.get("/static/favicon.svg").status_code == 200
