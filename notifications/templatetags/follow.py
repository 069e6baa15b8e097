"""`{% follow_button obj %}`: a follow / stop following form (POST, no JS)."""

from django import template

from core.http import return_path
from notifications.selectors import follow_token, is_following

register = template.Library()


@register.inclusion_tag("notifications/includes/follow_button.html", takes_context=True)
def follow_button(context, target, label: str = ""):
    """The form for `target`; one query for a signed-in viewer, none otherwise."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "target": target,
        "token": follow_token(target),
        "label": label,
        "signed_in": bool(user and user.is_authenticated),
        "following": is_following(user=user, target=target),
        "next": return_path(request) if request else "",
    }
