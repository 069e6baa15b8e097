"""The demo cities, Helsinki and Turku, with their city pages in every language."""

from wagtail.coreutils import find_available_slug

from cms.demo.blocks import TRANSLATIONS, heading, text
from cms.demo.site import DemoSite
from cms.models import CityPage, HomePage
from cms.services import city_setup
from core.models import City

CITIES = {
    "helsinki": {
        "names": {"fi": "Helsinki", "sv": "Helsingfors", "en": "Helsinki"},
        "slugs": {"fi": "helsinki", "sv": "helsingfors", "en": "helsinki"},
        "intro": {
            "fi": (
                "<p>Helsinki kehittää palvelujaan yhdessä kaupunkilaisten kanssa. "
                "Täällä voit kommentoida suunnitteilla olevia palveluja, liittyä "
                "työpajoihin ja kertoa omat palveluunelmasi.</p>"
            ),
            "sv": (
                "<p>Helsingfors utvecklar sina tjänster tillsammans med invånarna. "
                "Här kan du kommentera tjänster som planeras, delta i verkstäder "
                "och berätta om dina egna tjänstedrömmar.</p>"
            ),
            "en": (
                "<p>Helsinki develops its services together with the people who "
                "use them. Here you can comment on services being planned, join "
                "workshops and share your own service dreams.</p>"
            ),
        },
        "body": {
            "fi": [
                heading("Miten voin osallistua?"),
                text(
                    "<ul><li>Lue suunniteltu palvelu ja kommentoi sitä osio "
                    "kerrallaan.</li><li>Tule mukaan työpajaan: tarvitset vain "
                    "ohjaajan antaman koodin.</li><li>Kerro palveluunelmasi ja "
                    "kannata muiden unelmia.</li></ul>"
                    "<p>Kaupunki kertoo jokaisen kierroksen lopuksi, miten "
                    "palautetta käytettiin.</p>"
                ),
            ],
            "sv": [
                heading("Hur kan jag delta?"),
                text(
                    "<ul><li>Läs en planerad tjänst och kommentera den avsnitt "
                    "för avsnitt.</li><li>Delta i en verkstad: du behöver bara "
                    "koden som handledaren ger.</li><li>Berätta om din "
                    "tjänstedröm och stöd andras drömmar.</li></ul>"
                    "<p>Staden berättar efter varje omgång hur responsen "
                    "användes.</p>"
                ),
            ],
            "en": [
                heading("How can I take part?"),
                text(
                    "<ul><li>Read a planned service and comment on it section by "
                    "section.</li><li>Join a workshop: all you need is the code "
                    "your facilitator gives you.</li><li>Tell us your service "
                    "dream and support other people's dreams.</li></ul>"
                    "<p>At the end of each round the city tells how your input "
                    "was used.</p>"
                ),
            ],
        },
    },
    "turku": {
        "names": {"fi": "Turku", "sv": "Åbo", "en": "Turku"},
        "slugs": {"fi": "turku", "sv": "abo", "en": "turku"},
        "intro": {
            "fi": (
                "<p>Turku kutsuu asukkaat, yritykset ja järjestöt suunnittelemaan "
                "palveluja kanssaan. Kerro mielipiteesi ajoissa, kun muutokset "
                "ovat vielä helppoja tehdä.</p>"
            ),
            "sv": (
                "<p>Åbo bjuder in invånare, företag och organisationer att "
                "planera tjänster tillsammans. Säg din åsikt i tid, medan "
                "ändringar ännu är lätta att göra.</p>"
            ),
            "en": (
                "<p>Turku invites residents, companies and associations to design "
                "services together. Have your say early, while changes are still "
                "easy to make.</p>"
            ),
        },
        "body": {
            "fi": [
                heading("Yhdessä suunniteltua"),
                text(
                    "<p>Turun palveluja kehitetään avoimesti: suunnitelmat, "
                    "kommentit ja työpajojen tulokset julkaistaan avoimena "
                    "datana, jotta kuka tahansa voi tarkastella niitä ja "
                    "rakentaa niiden päälle.</p>"
                ),
            ],
            "sv": [
                heading("Planerat tillsammans"),
                text(
                    "<p>Åbos tjänster utvecklas öppet: planer, kommentarer och "
                    "resultaten från verkstäderna publiceras som öppna data, så "
                    "att vem som helst kan granska dem och bygga vidare på "
                    "dem.</p>"
                ),
            ],
            "en": [
                heading("Designed together"),
                text(
                    "<p>Turku develops its services in the open: plans, comments "
                    "and workshop results are published as open data so that "
                    "anyone can examine them and build on them.</p>"
                ),
            ],
        },
    },
}


def cities(
    site: DemoSite, homes: dict[str, HomePage]
) -> tuple[dict[str, City], dict[str, dict[str, CityPage]]]:
    """Each city and its page per language (keyed by city slug, then language)."""
    cities: dict[str, City] = {}
    city_pages: dict[str, dict[str, CityPage]] = {}
    for slug, data in CITIES.items():
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
            site.report(f"city {city.name_fi}")
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
                    locale=site.locales["fi"],
                )
            )
            site.publish(page)
            site.report(f"city page “{page.title}” (fi)")
        pages = {"fi": page}
        for lang in TRANSLATIONS:
            pages[lang] = site.translation(
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
