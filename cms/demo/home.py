"""The home page in every language, as the default site's root."""

from django.contrib.contenttypes.models import ContentType
from wagtail.coreutils import find_available_slug
from wagtail.models import Page, Site

from cms.demo.blocks import TRANSLATIONS
from cms.demo.site import DemoSite
from cms.models import HomePage

HOME = {
    "fi": {
        "title": "Palvelupaja",
        "intro": (
            "<p>Palvelupajassa kaupunkien asukkaat, yritykset, järjestöt ja "
            "tutkijat kehittävät palveluja yhdessä kaupungin kanssa. Kommentoi "
            "suunniteltuja palveluja, osallistu työpajoihin ja kerro, millaisesta "
            "palvelusta unelmoit. Kaikki julkinen on heti avointa dataa.</p>"
        ),
    },
    "sv": {
        "title": "Palvelupaja – Serviceverkstaden",
        "intro": (
            "<p>I Palvelupaja utvecklar invånare, företag, organisationer och "
            "forskare städernas tjänster tillsammans med staden. Kommentera "
            "planerade tjänster, delta i verkstäder och berätta vilken tjänst du "
            "drömmer om. Allt som är offentligt är genast öppna data.</p>"
        ),
    },
    "en": {
        "title": "Palvelupaja – the service workshop",
        "intro": (
            "<p>In Palvelupaja, residents, companies, associations and researchers "
            "develop city services together with the city. Comment on planned "
            "services, join workshops and tell us what service you dream of. "
            "Everything public is open data straight away.</p>"
        ),
    },
}


def home_pages(site: DemoSite) -> dict[str, HomePage]:
    """Our HomePage as the default site's root, replacing Wagtail's welcome."""
    fi = site.locales["fi"]
    home = HomePage.objects.filter(locale=fi).first()
    if home is None:
        root = Page.get_first_root_node()
        home = root.add_child(
            instance=HomePage(
                title=HOME["fi"]["title"],
                slug=find_available_slug(root, "palvelupaja"),
                intro=HOME["fi"]["intro"],
                locale=fi,
            )
        )
        site.publish(home)
        site.report(f"home page “{home.title}” (fi)")

    default = (
        Site.objects.filter(is_default_site=True).first()
        or Site.objects.filter(hostname="localhost", port=80).first()
    )
    if default is None:
        default = Site(hostname="localhost", port=80)
    if (default.root_page_id, default.is_default_site) != (home.pk, True):
        default.hostname, default.port = "localhost", 80
        default.site_name = "Palvelupaja"
        default.root_page, default.is_default_site = home, True
        default.save()
        site.report("default site localhost:80 with the home page as root")

    # Wagtail's "Welcome to your new Wagtail site!" page, if still untouched.
    welcome = Page.objects.filter(
        depth=2,
        slug="home",
        numchild=0,
        content_type=ContentType.objects.get_for_model(Page),
    )
    for page in welcome:
        page.delete()
        site.report("Wagtail’s welcome page (removed)")

    homes = {"fi": home}
    for lang in TRANSLATIONS:
        homes[lang] = site.translation(
            home,
            lang,
            title=HOME[lang]["title"],
            intro=HOME[lang]["intro"],
        )
    return homes
