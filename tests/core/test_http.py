"""The safe `next` redirect (core.http)."""

import pytest
from django.test import RequestFactory

from core.http import safe_next_url


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/dreams/7/", "/dreams/7/"),
        ("http://testserver/dreams/7/", "http://testserver/dreams/7/"),
        ("https://evil.example/", "/fallback/"),
        ("//evil.example/", "/fallback/"),
        ("javascript:alert(1)", "/fallback/"),
        ("", "/fallback/"),
    ],
)
def test_only_this_site(target, expected):
    request = RequestFactory().post("/x/", {"next": target})
    assert safe_next_url(request, "/fallback/") == expected


def test_get_parameter_when_nothing_is_posted():
    request = RequestFactory().get("/x/", {"next": "/ok/"})
    assert safe_next_url(request, "/fallback/") == "/ok/"
