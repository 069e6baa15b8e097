"""The site's standard pages: privacy notice, house rules, accessibility, open data."""

from cms.demo.accessibility import ACCESSIBILITY
from cms.demo.blocks import TRANSLATIONS
from cms.demo.house_rules import HOUSE_RULES
from cms.demo.open_data import OPEN_DATA
from cms.demo.privacy import PRIVACY
from cms.demo.site import DemoSite
from cms.models import ContentPage, HomePage

# Top-level content pages, in the order they appear in the footer.
CONTENT_PAGES = {
    "privacy": PRIVACY,
    "house_rules": HOUSE_RULES,
    "accessibility": ACCESSIBILITY,
    "open_data": OPEN_DATA,
}


def content_pages(site: DemoSite, homes: dict[str, HomePage]) -> None:
    """Each standard page under the home page, in every language."""
    for texts in CONTENT_PAGES.values():
        fi = texts["fi"]
        page = homes["fi"].get_children().filter(slug=fi["slug"]).first()
        if page is None:
            page = homes["fi"].add_child(
                instance=ContentPage(
                    title=fi["title"],
                    slug=fi["slug"],
                    summary=fi["summary"],
                    body=fi["body"],
                    show_in_menus=True,
                    locale=site.locales["fi"],
                )
            )
            site.publish(page)
            site.report(f"content page “{page.title}” (fi)")
        for lang in TRANSLATIONS:
            site.translation(
                page.specific,
                lang,
                title=texts[lang]["title"],
                slug=texts[lang]["slug"],
                summary=texts[lang]["summary"],
                body=texts[lang]["body"],
                show_in_menus=page.show_in_menus,
            )
