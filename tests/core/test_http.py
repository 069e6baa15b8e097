"""The safe `next` redirect (core.http)."""

import pytest
from django.test import RequestFactory

from core.http import return_path, safe_next_url


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


def test_after_a_get_log_in_returns_to_the_page():
    request = RequestFactory().get("/fi/dreams/7/?tab=comments")
    assert return_path(request) == "/fi/dreams/7/?tab=comments"


def test_after_a_refused_post_log_in_returns_to_the_form_page_not_the_action():
    factory = RequestFactory()
    request = factory.post(
        "/fi/dreams/7/support/", HTTP_REFERER="http://testserver/fi/dreams/7/"
    )
    assert return_path(request) == "http://testserver/fi/dreams/7/"
    elsewhere = factory.post(
        "/fi/dreams/7/support/", HTTP_REFERER="https://evil.example/phish"
    )
    assert return_path(elsewhere) == "/"
    assert return_path(factory.post("/fi/dreams/7/support/")) == "/"
