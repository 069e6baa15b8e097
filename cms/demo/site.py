"""What every part of the demo loader shares: the locales, the report, translations."""

from django.core.management.base import OutputWrapper
from wagtail.coreutils import find_available_slug
from wagtail.models import Locale, Page

from cms.demo.blocks import LANGUAGES


class DemoSite:
    """One run of the loader: its locales, its output and how much it created."""

    def __init__(self, stdout: OutputWrapper) -> None:
        self.stdout = stdout
        self.created = 0
        self.locales = {
            code: Locale.objects.get_or_create(language_code=code)[0]
            for code in LANGUAGES
        }

    def report(self, what: str) -> None:
        self.created += 1
        self.stdout.write(f"  created {what}")

    def publish(self, page: Page) -> None:
        page.save_revision().publish()

    def translation(self, source: Page, lang: str, **fields) -> Page:
        """The page's translation into `lang`, created with `fields` if missing.

        Created directly under the parent's translation with the same
        `translation_key` (what `copy_for_translation` does), but with the
        translated slug from the start so no redirects are left behind.
        """
        locale = self.locales[lang]
        page = source.get_translation_or_none(locale)
        if page is not None:
            return page.specific
        parent = source.get_parent()
        if parent.is_root():
            # Home pages in every language are siblings under the tree root.
            slug = fields.pop("slug", f"{source.slug}-{lang}")
        else:
            parent = parent.get_translation(locale)
            slug = fields.pop("slug", source.slug)
        page = type(source)(
            locale=locale,
            translation_key=source.translation_key,
            slug=find_available_slug(parent, slug),
            **fields,
        )
        parent.add_child(instance=page)
        self.publish(page)
        self.report(f"{page._meta.verbose_name} “{page.title}” ({lang})")
        return page
