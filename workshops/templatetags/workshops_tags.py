"""Workshop sections for pages other apps draw: the home page and city pages list
recently published workshop results (the cms templates load this library; the
workshops app never imports cms)."""

from django import template
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from core.models import City
from workshops.selectors import published_workshop_list

register = template.Library()


@register.inclusion_tag("workshops/includes/published_results.html")
def published_workshop_results(city: City | None = None, limit: int = 3) -> dict:
    """The latest published workshop results, of `city` or all (one query), and
    a link to the whole list."""
    page = published_workshop_list(city=city, limit=limit)
    more_url = reverse("workshops:public")
    if city is not None:
        more_url += f"?city={city.slug}"
    return {
        "heading": _("Workshop results"),
        "heading_id": "published-workshops-heading",
        "items": [
            {
                "url": reverse("workshops:results", args=[w.pk]),
                "title": w.title,
                "meta": f"{w.city.name} · "
                + date_format(localtime(w.starts_at), "SHORT_DATE_FORMAT"),
            }
            for w in page.workshops
        ],
        "more_url": more_url,
        "more_label": _("All published workshop results"),
    }
