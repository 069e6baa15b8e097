"""Lists of planned services for the city and home pages (owned by cms)."""

from django import template

from participation.forms import ServiceFilterForm
from participation.selectors import planned_service_list, service_filter_choices

register = template.Library()


@register.inclusion_tag("participation/includes/city_services.html", takes_context=True)
def city_services(context) -> dict:
    """The city page's planned services, filtered and sorted by the query string."""
    request = context.get("request")
    page = context.get("page")
    if page is None:
        return {"services": []}
    choices = service_filter_choices(parent=page, city=getattr(page, "city", None))
    form = ServiceFilterForm(
        request.GET if request is not None else None,
        topics=choices["topics"],
        districts=choices["districts"],
        auto_id="id_services_%s",
    )
    filters = form.cleaned_data if form.is_valid() else {}
    services = planned_service_list(
        parent=page,
        open_now=bool(filters.get("open_now")),
        topic=filters.get("topic") or "",
        district=filters.get("district"),
        status=filters.get("status") or "",
        order=filters.get("order") or "newest",
    )
    return {
        "services": services,
        "form": form,
        "filtered": any(
            filters.get(name) for name in ("open_now", "topic", "district", "status")
        ),
        "request": request,
    }


@register.inclusion_tag("participation/includes/open_now.html", takes_context=True)
def open_services_now(context, limit: int = 12) -> dict:
    """Planned services open for comments now, across cities, in this language."""
    return {
        "services": planned_service_list(open_now=True, order="closing", limit=limit),
        "request": context.get("request"),
    }
