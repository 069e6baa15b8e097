from django import template

from ideas.models import DreamStatus
from ideas.selectors import popular_dreams as select_popular_dreams

register = template.Library()


@register.inclusion_tag("ideas/includes/popular_dreams.html")
def popular_dreams(limit: int = 5) -> dict:
    """The most supported open dreams, for the home page (one query)."""
    return {"dreams": select_popular_dreams(limit=limit)}


@register.filter
def dream_status_label(value: str) -> str:
    try:
        return str(DreamStatus(value).label)
    except ValueError:
        return ""
