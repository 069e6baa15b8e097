"""Demo content: two planned services per city, with comments, and one answer.

The districts and topics they point to are loaded before, by `cms.demo.places`.

Called by `manage.py load_demo`. Idempotent: a city whose services exist is skipped.
Everything is written through the services, so the demo exercises the real rules.
"""

from datetime import timedelta

from django.test.utils import override_settings
from django.utils import timezone
from wagtail.models import Locale

from core.actors import Actor
from core.models import City, District, Topic
from discussions import services as discussions_services
from participation import services
from participation.models import (
    Lifecycle,
    PlannedServicePage,
    PlannedServiceSection,
)

SERVICES = [
    {
        "slug": "kirjaston-aukioloajat",
        "title": {
            "fi": "Kirjaston uudet aukioloajat",
            "sv": "Bibliotekets nya öppettider",
            "en": "New library opening hours",
        },
        "summary": "Kirjasto suunnittelee omatoimiaikaa iltoihin ja viikonloppuihin. "
        "Kerro, mitä mieltä olet.",
        "topics": ["kirjastot", "culture"],
        "sections": [
            (
                "Mikä muuttuu",
                "Omatoimikirjasto avoinna klo 7–22 joka päivä.",
                "Sopivatko ajat sinulle?",
            ),
            ("Henkilökunnan palvelu", "Henkilökunta paikalla arkisin klo 10–18.", ""),
            (
                "Esteettömyys",
                "Sisäänkäynti muutetaan kulkukortilla avautuvaksi.",
                "Mitä meidän pitäisi huomioida?",
            ),
        ],
        "answered": False,
    },
    {
        "slug": "nuorisotalon-toiminta",
        "title": {
            "fi": "Nuorisotalon iltatoiminta",
            "sv": "Ungdomsgårdens kvällsverksamhet",
            "en": "Youth centre evening activities",
        },
        "summary": "Nuorisotalo kokeili perjantai-iltojen avointa toimintaa. "
        "Kaupunki on vastannut saamaansa palautteeseen.",
        "topics": ["nuoret"],
        "sections": [
            (
                "Aukiolo perjantaisin",
                "Talo auki perjantaisin klo 18–23.",
                "Onko aika hyvä?",
            ),
            ("Ohjelma", "Pelit, musiikki ja kokkaus.", ""),
        ],
        "answered": True,
    },
]

# What residents say about each service (who, text, stance), and two replies to
# the second comment (who, text): each service's own discussion.
COMMENTS = {
    "kirjaston-aukioloajat": (
        [
            (
                "resident",
                "Iltaisin auki oleva kirjasto olisi loistava! Käyn töissä päivisin.",
                "for",
            ),
            (
                "resident2",
                "Huolena on turvallisuus myöhään illalla ilman henkilökuntaa.",
                "against",
            ),
            (
                "facilitator",
                "Voisiko lasten satutunnit siirtää lauantaille?",
                "neutral",
            ),
        ],
        [
            ("resident", "Kulunvalvonta ja kamerat voisivat auttaa."),
            ("editor", "Hyvä huomio, selvitämme turvallisuusratkaisut ennen päätöstä."),
        ],
    ),
    "nuorisotalon-toiminta": (
        [
            (
                "resident",
                "Perjantai-illat ovat olleet tosi hyviä, nuoret tulevat mielellään.",
                "for",
            ),
            (
                "resident2",
                "Kello 23 on myöhä nuorimmille. Kotimatkat jännittävät vanhempia.",
                "against",
            ),
            (
                "facilitator",
                "Voisiko kokkausillan pitää myös lauantaina?",
                "neutral",
            ),
        ],
        [
            ("resident", "Yhteiskyyti tai saattaja kotiin voisi auttaa."),
            ("editor", "Hyvä huomio, selvitämme kotimatkat ennen päätöstä."),
        ],
    ),
}


@override_settings(
    # The demo posts many comments at once: the limits are for people, not scripts.
    PARTICIPATION_RATE_LIMITS={
        kind: {"person": (10_000, 60), "ip": (10_000, 60)}
        for kind in ("comment", "like", "report")
    },
    PARTICIPATION_MAIL_DELIVERY="inline",
)
def load(*, cities: dict[str, City], city_pages, users, stdout) -> None:
    for slug, city in cities.items():
        parent = city_pages[slug]["fi"]
        for spec in SERVICES:
            if (
                PlannedServicePage.objects.child_of(parent)
                .filter(slug=spec["slug"])
                .exists()
            ):
                continue
            page = _create_service(parent, city, spec, city_pages[slug])
            _discuss(page, users, spec)
            stdout.write(f"  planned service: {city.name_fi}: {page.title}\n")


def _create_service(parent, city, spec, translated_parents) -> PlannedServicePage:
    now = timezone.now()
    # The status, comment period and rules go to the service's shared state
    # (`ServiceState`), which the Swedish and English copies below join.
    page = PlannedServicePage(
        title=spec["title"]["fi"],
        slug=spec["slug"],
        summary=spec["summary"],
        body="<p>Suunnitelma on luonnos. Kommentit luetaan ja niihin vastataan.</p>",
        status=Lifecycle.OPEN,
        comments_open_at=now - timedelta(days=3),
        comments_close_at=now + timedelta(days=28),
        allow_anonymous=not spec["answered"],
        producer_name=f"{city.name_fi}n kaupunki, kulttuuripalvelut",
        contact="palaute@example.org",
    )
    page.sections = [
        PlannedServiceSection(title=title, body=f"<p>{body}</p>", question=question)
        for title, body, question in spec["sections"]
    ]
    parent.add_child(instance=page)
    # The districts and topics are the site's (`cms.demo.places`, loaded first).
    page.topics.set(Topic.objects.filter(slug__in=spec["topics"]))
    page.districts.set(District.objects.filter(city=city, slug="keskusta"))
    page.save_revision().publish()
    for language in ("sv", "en"):
        translated_parent = translated_parents.get(language)
        locale = Locale.objects.filter(language_code=language).first()
        if translated_parent is None or locale is None:
            continue
        copy = page.copy_for_translation(locale)
        copy.title = spec["title"][language]
        copy.save_revision().publish()
    return PlannedServicePage.objects.get(pk=page.pk)


def _discuss(page: PlannedServicePage, users, spec: dict) -> None:
    answered = spec["answered"]
    comments, replies = COMMENTS[spec["slug"]]
    threads = services.service_discussions_sync(page=page)
    whole = threads[page.discussion_key]
    first_section = page.sections.first()
    posted = []
    for index, (who, text, stance) in enumerate(comments):
        target = whole if index != 2 else threads[first_section.discussion_key]
        posted.append(
            discussions_services.comment_create(
                discussion=target,
                participant=Actor(user=users[who]),
                text=text,
                stance=stance,
            )
        )
    for who, text in replies:
        discussions_services.comment_reply(
            parent=posted[1], participant=Actor(user=users[who]), text=text
        )
    for who in ("resident2", "facilitator", "editor"):
        discussions_services.comment_like(
            comment=posted[0], participant=Actor(user=users[who])
        )
    discussions_services.comment_like(
        comment=posted[1], participant=Actor(user=users["resident"])
    )
    discussions_services.discussion_support(
        discussion=whole, participant=Actor(user=users["resident"]), value=1
    )
    discussions_services.discussion_support(
        discussion=whole, participant=Actor(user=users["resident2"]), value=-1
    )
    rude = discussions_services.comment_create(
        discussion=whole,
        participant=Actor(user=users["resident2"]),
        text="Tämä on ihan typerä idea ja te olette idiootteja.",
    )
    discussions_services.comment_hide(
        comment=rude,
        moderator=users["moderator"],
        reason="Loukkaava kielenkäyttö (talon säännöt, kohta 2)",
    )
    if answered:
        draft = page.get_latest_revision_as_object()
        draft.answer = (
            "<p>Kiitos kommenteista! Perjantai-illat jatkuvat, ja turvallisuuden "
            "vuoksi paikalla on aina kaksi ohjaajaa.</p>"
        )
        for section in draft.sections.all():
            section.answer = "<p>Aika pysyy ennallaan palautteen perusteella.</p>"
        draft.save_revision(user=users["editor"])
        services.service_answer_publish(page=page, user=users["editor"])
