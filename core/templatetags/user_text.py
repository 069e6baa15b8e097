from django import template
from django.utils.safestring import SafeString

from core.sanitize import render_text

register = template.Library()


@register.filter(name="user_text")
def user_text(value: str | None) -> SafeString:
    """Display text a person typed: escaped, with paragraphs and safe links."""
    return render_text(value)
