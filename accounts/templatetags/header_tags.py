"""`{% header_links "main" as links %}`: the registered header links for the viewer."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse

from accounts import header
from core.http import return_path

register = template.Library()


@register.simple_tag(takes_context=True)
def header_links(context, section: str) -> list[header.ShownLink]:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return header.links_for(user, section, request)


@register.simple_tag(takes_context=True)
def login_url(context) -> str:
    """The log-in address that brings the visitor back here (see `return_path`)."""
    url = reverse("accounts:login")
    request = context.get("request")
    return f"{url}?{urlencode({'next': return_path(request)})}" if request else url
