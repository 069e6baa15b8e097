"""Admin hooks: a city page made in the admin gets its editors' permissions at once."""

from wagtail import hooks

from cms.models import CityPage
from cms.services import city_setup


def _city_page_permissions_ensure(request, page) -> None:
    page = page.specific
    if isinstance(page, CityPage):
        # Idempotent; also covers a translation that was just published.
        source = (
            page.get_translations(inclusive=True)
            .filter(locale__language_code="fi")
            .first()
            or page
        )
        city_setup(city=page.city, city_page=source.specific)


hooks.register("after_create_page", _city_page_permissions_ensure)
hooks.register("after_publish_page", _city_page_permissions_ensure)
