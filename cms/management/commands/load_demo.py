"""`manage.py load_demo`: the demo site for two cities, in three languages.

Idempotent: everything is looked up by a stable key (city slug, page slug under
its parent, translation of a page, e-mail address) and created only when missing,
so running it again creates nothing and never overwrites an editor's changes.
After the site itself, each app's `<app>/demo.py` `load(...)` adds its own demo
content (see DESIGN.md and notes/common.md for the signature).
"""

import importlib
import logging
from contextlib import contextmanager

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail.coreutils import find_available_slug
from wagtail.models import Locale, Page, Site

from accounts.models import Role
from accounts.services import role_grant
from cms import demo_content
from cms.models import CityPage, ContentPage, HomePage
from cms.services import city_setup
from core.models import City

LANGUAGES = demo_content.LANGUAGES
TRANSLATIONS = LANGUAGES[1:]  # Finnish is the source language.
DEMO_PASSWORD = "palvelupaja-demo"  # noqa: S105 - written in the README on purpose
# key → (e-mail, public display name, preferred language, site admin?)
DEMO_USERS = {
    "admin": ("admin@palvelupaja.test", "Ylläpito", "fi", True),
    "editor": ("editor@palvelupaja.test", "Eeva Editori", "fi", False),
    "moderator": ("moderator@palvelupaja.test", "Mikko Moderaattori", "fi", False),
    "facilitator": (
        "facilitator@palvelupaja.test",
        "Fanni Fasilitaattori",
        "sv",
        False,
    ),
    "resident": ("resident@palvelupaja.test", "Riikka Asukas", "fi", False),
    "resident2": ("resident2@palvelupaja.test", "Sam Resident", "en", False),
}
# The apps whose `demo.load(...)` runs after the site, in this order.
DEMO_APPS = ("participation", "ideas", "workshops", "opendata")


@contextmanager
def _quiet(enabled: bool):
    """Hush the per-page log lines (tasks, page actions) unless -v 2 is given."""
    loggers = [logging.getLogger(name) for name in ("django_tasks", "wagtail")]
    levels = [logger.level for logger in loggers]
    if enabled:
        for logger in loggers:
            logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


class Command(BaseCommand):
    help = (
        "Load the demo site: Helsinki and Turku with their pages in Finnish, "
        "Swedish and English, the privacy notice, house rules, accessibility "
        "statement and open data pages, one user per role, and each app's demo "
        "content. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the site already has a home page (first start).",
        )

    def handle(self, *args, if_empty: bool = False, **options):
        if if_empty and HomePage.objects.exists():
            self.stdout.write("Demo content is already loaded; nothing to do.")
            return
        self.created = 0
        with _quiet(options["verbosity"] < 2), transaction.atomic():
            self.locales = {
                code: Locale.objects.get_or_create(language_code=code)[0]
                for code in LANGUAGES
            }
            homes = self._home_pages()
            cities, city_pages = self._cities(homes)
            self._content_pages(homes)
            users = self._users(cities)
            for app in DEMO_APPS:
                self._app_demo(app, cities, city_pages, users)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content ready ({self.created} site objects created). "
                f"Demo users, password “{DEMO_PASSWORD}”: "
                + ", ".join(email for email, *_ in DEMO_USERS.values())
            )
        )

    # --- helpers ------------------------------------------------------------

    def _report(self, what: str) -> None:
        self.created += 1
        self.stdout.write(f"  created {what}")

    def _publish(self, page: Page) -> None:
        page.save_revision().publish()

    def _translation(self, source: Page, lang: str, **fields) -> Page:
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
        self._publish(page)
        self._report(f"{page._meta.verbose_name} “{page.title}” ({lang})")
        return page

    # --- the site -----------------------------------------------------------

    def _home_pages(self) -> dict[str, HomePage]:
        """Our HomePage as the default site's root, replacing Wagtail's welcome."""
        fi = self.locales["fi"]
        home = HomePage.objects.filter(locale=fi).first()
        if home is None:
            root = Page.get_first_root_node()
            home = root.add_child(
                instance=HomePage(
                    title=demo_content.HOME["fi"]["title"],
                    slug=find_available_slug(root, "palvelupaja"),
                    intro=demo_content.HOME["fi"]["intro"],
                    locale=fi,
                )
            )
            self._publish(home)
            self._report(f"home page “{home.title}” (fi)")

        site = (
            Site.objects.filter(is_default_site=True).first()
            or Site.objects.filter(hostname="localhost", port=80).first()
        )
        if site is None:
            site = Site(hostname="localhost", port=80)
        if (site.root_page_id, site.is_default_site) != (home.pk, True):
            site.hostname, site.port, site.site_name = "localhost", 80, "Palvelupaja"
            site.root_page, site.is_default_site = home, True
            site.save()
            self._report("default site localhost:80 with the home page as root")

        # Wagtail's "Welcome to your new Wagtail site!" page, if still untouched.
        welcome = Page.objects.filter(
            depth=2,
            slug="home",
            numchild=0,
            content_type=ContentType.objects.get_for_model(Page),
        )
        for page in welcome:
            page.delete()
            self._report("Wagtail’s welcome page (removed)")

        homes = {"fi": home}
        for lang in TRANSLATIONS:
            homes[lang] = self._translation(
                home,
                lang,
                title=demo_content.HOME[lang]["title"],
                intro=demo_content.HOME[lang]["intro"],
            )
        return homes

    def _cities(self, homes):
        cities: dict[str, City] = {}
        city_pages: dict[str, dict[str, CityPage]] = {}
        for slug, data in demo_content.CITIES.items():
            names = data["names"]
            city, created = City.objects.get_or_create(
                slug=slug,
                defaults={
                    "name_fi": names["fi"],
                    "name_sv": names["sv"],
                    "name_en": names["en"],
                },
            )
            if created:
                self._report(f"city {city.name_fi}")
            cities[slug] = city

            page = CityPage.objects.child_of(homes["fi"]).filter(city=city).first()
            if page is None:
                page = homes["fi"].add_child(
                    instance=CityPage(
                        title=names["fi"],
                        slug=find_available_slug(homes["fi"], data["slugs"]["fi"]),
                        city=city,
                        intro=data["intro"]["fi"],
                        body=data["body"]["fi"],
                        locale=self.locales["fi"],
                    )
                )
                self._publish(page)
                self._report(f"city page “{page.title}” (fi)")
            pages = {"fi": page}
            for lang in TRANSLATIONS:
                pages[lang] = self._translation(
                    page,
                    lang,
                    title=names[lang],
                    slug=data["slugs"][lang],
                    city=city,
                    intro=data["intro"][lang],
                    body=data["body"][lang],
                )
            city_pages[slug] = pages
            # After the translations exist, so that editors may edit all of them.
            city_setup(city=city, city_page=page)
        return cities, city_pages

    def _content_pages(self, homes) -> None:
        for texts in demo_content.CONTENT_PAGES.values():
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
                        locale=self.locales["fi"],
                    )
                )
                self._publish(page)
                self._report(f"content page “{page.title}” (fi)")
            for lang in TRANSLATIONS:
                self._translation(
                    page.specific,
                    lang,
                    title=texts[lang]["title"],
                    slug=texts[lang]["slug"],
                    summary=texts[lang]["summary"],
                    body=texts[lang]["body"],
                    show_in_menus=page.show_in_menus,
                )

    def _users(self, cities: dict[str, City]):
        User = get_user_model()
        users = {}
        for key, (email, display_name, language, is_admin) in DEMO_USERS.items():
            user = User.objects.filter(email=email).first()
            if user is None:
                create = (
                    User.objects.create_superuser
                    if is_admin
                    else (User.objects.create_user)
                )
                user = create(
                    email,
                    DEMO_PASSWORD,
                    display_name=display_name,
                    preferred_language=language,
                )
                self._report(f"user {email}")
            users[key] = user
        # One person per role, holding it in both cities.
        for role in Role:
            for city in cities.values():
                role_grant(user=users[role.value], city=city, role=role)
        return users

    def _app_demo(self, app: str, cities, city_pages, users) -> None:
        try:
            module = importlib.import_module(f"{app}.demo")
        except ModuleNotFoundError as error:
            if error.name != f"{app}.demo":
                raise
            return
        self.stdout.write(f"{app}: demo content")
        module.load(
            cities=cities, city_pages=city_pages, users=users, stdout=self.stdout
        )
