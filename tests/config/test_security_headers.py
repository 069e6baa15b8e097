"""Security headers on pages people read."""

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _directives(policy: str) -> dict[str, list[str]]:
    directives = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


@pytest.mark.parametrize("path", ["city", "/accounts/login/", "/sv/accounts/signup/"])
def test_security_headers_on_a_normal_page(client, city_page, path):
    response = client.get(city_page.url if path == "city" else path)
    assert response.status_code == 200
    policy = _directives(response.headers["Content-Security-Policy"])
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_pages_carry_no_inline_scripts(client, city_page):
    for url in (city_page.url, "/accounts/login/", "/accounts/signup/"):
        html = client.get(url).content.decode()
        for chunk in html.split("<script")[1:]:
            assert 'src="' in chunk.split(">", 1)[0], url


def test_the_admin_sends_no_e_mail_hash_to_gravatar(client):
    staff = UserFactory(is_superuser=True, is_staff=True, email="editor@example.fi")
    client.force_login(staff)
    for path in ("/admin/", "/admin/account/"):
        response = client.get(path)
        assert response.status_code == 200
        assert b"gravatar" not in response.content.lower()
