"""Template tags the base layout uses on every page.

They read the site's pages, so they live with the page models in `cms`, the top
of the app order (DESIGN.md, Layout): no app below may import `cms`.
"""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language

from cms.models import ContentPage, HomePage

register = template.Library()


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context) -> dict:
    """Links to this page in each language.

    On a Wagtail page: its live translations, else that language's home page (a
    page not yet translated has no URL in that language). Elsewhere (accounts,
    dreams …): the same URL with the other language's prefix. On an address
    without a language of its own (the browsable open data API, whose view reads
    the language cookie and marks the request `language_from_cookie`): buttons
    that set the cookie and come back to the same address.
    """
    request = context.get("request")
    page = context.get("page")
    current = (get_language() or settings.LANGUAGE_CODE)[:2]
    urls: dict[str, str] = {}
    # `page` may also be a paginator page in other views: only Wagtail pages count.
    is_wagtail_page = page is not None and hasattr(page, "get_translations")
    if is_wagtail_page:
        for translation in (
            page.get_translations(inclusive=True).live().select_related("locale")
        ):
            urls[translation.locale.language_code] = translation.get_url(request)
        missing = [code for code, _ in settings.LANGUAGES if code not in urls]
        if missing:
            for home in (
                HomePage.objects.live()
                .filter(locale__language_code__in=missing)
                .select_related("locale")
            ):
                urls.setdefault(home.locale.language_code, home.get_url(request))
    if request is not None and getattr(request, "language_from_cookie", False):
        return {
            "links": [
                {"code": code, "name": name, "current": code == current}
                for code, name in settings.LANGUAGES
            ],
            "set_cookie_next": request.get_full_path(),
        }
    links = []
    for code, name in settings.LANGUAGES:
        url = urls.get(code)
        if url is None and request is not None:
            url = translate_url(request.get_full_path(), code)
        links.append(
            {"code": code, "name": name, "url": url, "current": code == current}
        )
    return {"links": links}


@register.simple_tag(takes_context=True)
def nav_pages(context):
    """Top-level content pages (privacy, house rules …) in the active language."""
    cache = context.render_context
    if "nav_pages" not in cache:
        home = HomePage.objects.filter(locale__language_code=get_language()).first()
        if home is None:
            home = HomePage.objects.first()
        cache["nav_pages"] = (
            list(ContentPage.objects.live().public().child_of(home).in_menu())
            if home
            else []
        )
    return cache["nav_pages"]


@register.simple_tag(takes_context=True)
def home_url(context) -> str:
    """The home page in the active language."""
    return home_url_for(context.get("request"))


def home_url_for(request) -> str:
    """The home page's address in the active language, looked up once per
    request (the logo and the header's Home link share it)."""
    language = get_language()
    cache = getattr(request, "_home_urls", None) if request is not None else None
    if cache is None:
        cache = {}
        if request is not None:
            request._home_urls = cache
    if language not in cache:
        home = HomePage.objects.filter(locale__language_code=language).first()
        cache[language] = home.get_url(request) if home else "/"
    return cache[language]
