"""`{% header_links "main" as links %}`: the registered header links for the viewer."""

from django import template

from accounts import header

register = template.Library()


@register.simple_tag(takes_context=True)
def header_links(context, section: str) -> list[header.ShownLink]:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return header.links_for(user, section, request)
