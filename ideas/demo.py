"""Demo dreams for `manage.py load_demo`: both cities, every status, supports,
a merged pair and one dream linked to a page. Running it twice adds nothing."""

import uuid
from datetime import timedelta

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from core.models import District, Topic
from ideas.models import (
    Dream,
    DreamLink,
    DreamLinkKind,
    DreamStatus,
    DreamStatusChange,
    DreamSupport,
    IdeasCitySettings,
)
from ideas.services import dream_discussion, dream_trends_refresh

DEMO_NAMESPACE = uuid.UUID("6f7c1f2e-2d7a-4bb4-9d57-3f1a3c7d9e10")

TOPICS = [
    ("mobility", "Liikkuminen", "Mobilitet", "Mobility"),
    ("culture", "Kulttuuri ja vapaa-aika", "Kultur och fritid", "Culture and leisure"),
    ("health", "Terveys ja hyvinvointi", "Hälsa och välmående", "Health and wellbeing"),
    ("education", "Oppiminen", "Lärande", "Learning"),
    ("environment", "Ympäristö", "Miljö", "Environment"),
    ("digital", "Digitaaliset palvelut", "Digitala tjänster", "Digital services"),
    ("housing", "Asuminen", "Boende", "Housing"),
    ("work", "Työ ja yrittäjyys", "Arbete och företagande", "Work and enterprise"),
]

# (city slug or None, title, description, target group, topics, language,
#  status path, supports)
DREAMS = [
    (
        "helsinki",
        "Iltakirjasto nuorille",
        "Kirjasto auki myöhään illalla: pelejä, läksyapua ja rauhallinen paikka.",
        "young_people",
        ["culture", "education"],
        "fi",
        ["under_review", "in_workshop"],
        34,
    ),
    (
        "helsinki",
        "Kirjasto auki iltaisin nuorille",
        "Nuoret tarvitsevat iltaisin paikan olla. Kirjasto voisi olla auki pidempään.",
        "young_people",
        ["culture"],
        "fi",
        [],
        6,
    ),
    (
        "helsinki",
        "Senioreiden digiapu kotiin",
        "Vapaaehtoinen tulisi kotiin auttamaan puhelimen ja pankkiasioiden kanssa.",
        "seniors",
        ["digital", "health"],
        "fi",
        ["under_review", "in_planning"],
        41,
    ),
    (
        "helsinki",
        "Kaupunkipyörät talvellakin",
        "Kaupunkipyörät käyttöön myös talvella nastarenkailla.",
        "working_age",
        ["mobility"],
        "fi",
        ["under_review", "not_pursued"],
        22,
    ),
    (
        "helsinki",
        "Yhteinen työtila kirjastoon",
        "Etätyöläisille ja yrittäjille hiljainen työtila lähikirjastoon.",
        "working_age",
        ["work", "culture"],
        "fi",
        ["under_review"],
        12,
    ),
    (
        "helsinki",
        "Leikkipuisto, jossa on katos",
        "Sateella lapsiperheet tarvitsevat katetun leikkipaikan.",
        "families",
        ["environment"],
        "fi",
        [],
        9,
    ),
    (
        "helsinki",
        "Selkokielinen neuvonta virastoissa",
        "Neuvontaa selkokielellä ja omalla kielellä ilman ajanvarausta.",
        "immigrants",
        ["digital", "education"],
        "fi",
        ["under_review", "in_workshop", "in_planning", "realised"],
        27,
    ),
    (
        "helsinki",
        "Saunavuorot asukkaille rannalla",
        "Yleinen sauna rantaan, vuorot edullisesti asukkaille.",
        "everyone",
        ["culture", "health"],
        "fi",
        [],
        18,
    ),
    (
        "helsinki",
        "Esteetön reitti torille",
        "Pyörätuolilla ei pääse torille ilman kiertotietä. Tarvitaan esteetön reitti.",
        "disabilities",
        ["mobility"],
        "fi",
        ["under_review"],
        15,
    ),
    (
        "helsinki",
        "Kotoutujien kielikahvila",
        "Viikoittainen kahvila, jossa harjoitella suomea arjen asioissa.",
        "immigrants",
        ["education"],
        "fi",
        [],
        7,
    ),
    (
        "helsinki",
        "Nuorten kesätyöpankki",
        "Yksi paikka, josta nuori löytää kesätyöt ja apua hakemukseen.",
        "young_people",
        ["work"],
        "fi",
        ["under_review"],
        20,
    ),
    (
        "helsinki",
        "Kierrätyskeskus joka kaupunginosaan",
        "Pieni kierrätyspiste, josta saa lainata ja vaihtaa tavaraa.",
        "everyone",
        ["environment"],
        "fi",
        [],
        11,
    ),
    (
        "helsinki",
        "Evening language café for newcomers",
        "A weekly café where newcomers practise Finnish and Swedish with volunteers.",
        "immigrants",
        ["education", "culture"],
        "en",
        [],
        5,
    ),
    (
        "helsinki",
        "Lånebibliotek för verktyg",
        "Ett bibliotek där man lånar borrmaskiner och stegar i stället för att köpa.",
        "everyone",
        ["environment"],
        "sv",
        ["under_review"],
        8,
    ),
    (
        "turku",
        "Jokirannan kesäkirjasto",
        "Kesällä kirjasto toisi lainattavaa Aurajoen rantaan.",
        "families",
        ["culture"],
        "fi",
        ["under_review", "in_workshop"],
        19,
    ),
    (
        "turku",
        "Saaristolautat sovellukseen",
        "Lauttojen aikataulut ja jonotilanne yhteen sovellukseen.",
        "everyone",
        ["mobility", "digital"],
        "fi",
        ["under_review", "in_planning"],
        31,
    ),
    (
        "turku",
        "Ikäihmisten liikuntaryhmä pihoille",
        "Ohjattu jumppa taloyhtiöiden pihoilla kesäisin.",
        "seniors",
        ["health"],
        "fi",
        [],
        14,
    ),
    (
        "turku",
        "Opiskelijoiden asuntovaihto",
        "Palvelu, jossa opiskelijat voivat vaihtaa asuntoja helposti.",
        "students",
        ["housing"],
        "fi",
        ["under_review", "not_pursued"],
        6,
    ),
    (
        "turku",
        "Yrittäjien yhteinen pop-up-myymälä",
        "Tyhjä liiketila vuorotellen pienyrittäjien käyttöön.",
        "businesses",
        ["work"],
        "fi",
        ["under_review"],
        10,
    ),
    (
        "turku",
        "Lasten luontokoulu metsään",
        "Koululaiset oppisivat viikon metsässä luontokoulussa.",
        "children",
        ["education", "environment"],
        "fi",
        [],
        16,
    ),
    (
        "turku",
        "Skolskjuts med cykel",
        "Trygga cykelvägar och gemensam cykelskjuts till skolan.",
        "children",
        ["mobility"],
        "sv",
        [],
        4,
    ),
    (
        "turku",
        "Yöbussit viikonloppuisin saaristoon",
        "Viikonloppuisin yöbussi kaupungista saaristoon.",
        "young_people",
        ["mobility"],
        "fi",
        [],
        12,
    ),
    (
        "turku",
        "Digital help desk at the market hall",
        "Drop-in help with e-services at the market hall on Saturdays.",
        "seniors",
        ["digital"],
        "en",
        ["under_review", "in_workshop", "in_planning", "realised"],
        23,
    ),
    (
        "turku",
        "Kaupunkiviljelypalstat kouluille",
        "Jokaiselle koululle oma viljelypalsta ja ohjaaja.",
        "children",
        ["environment", "education"],
        "fi",
        [],
        9,
    ),
    (
        None,
        "Yksi sovellus kaikkiin kaupungin palveluihin",
        "Ajanvaraukset, liput ja laskut yhteen paikkaan kaikissa kaupungeissa.",
        "everyone",
        ["digital"],
        "fi",
        ["under_review"],
        38,
    ),
    (
        None,
        "Omakielinen terveysneuvonta puhelimessa",
        "Terveysneuvontaa puhelimessa myös arabiaksi, somaliksi ja venäjäksi.",
        "immigrants",
        ["health", "digital"],
        "fi",
        [],
        17,
    ),
    (
        None,
        "Vertaistukiryhmät omaishoitajille",
        "Omaishoitajat tarvitsevat vertaistukea ja sijaisen vapaapäiviksi.",
        "working_age",
        ["health"],
        "fi",
        [],
        13,
    ),
    (
        None,
        "Kesäkahvila nuorten yrittäjäksi",
        "Nuoret pyörittäisivät kesäkahvilaa ja oppisivat yrittämään.",
        "young_people",
        ["work"],
        "fi",
        ["under_review", "in_workshop"],
        21,
    ),
    (
        "helsinki",
        "Senioreille digitukea kotiin",
        "Kotikäynti, jossa opetetaan tablettia ja videopuhelua.",
        "seniors",
        ["digital"],
        "fi",
        [],
        5,
    ),
]

# The district a few of the demo dreams are about (by title; slugs of
# `cms.demo.places`).
DREAM_DISTRICTS = {
    "Iltakirjasto nuorille": "kallio",
    "Senioreiden digiapu kotiin": "kontula",
    "Kaupunkipyörät talvellakin": "vuosaari",
    "Jokirannan kesäkirjasto": "keskusta",
}

REASONS = {
    "under_review": "Kaupungin fasilitaattorit käyvät unelman läpi tässä kuussa.",
    "in_workshop": "Unelma viedään yhteissuunnittelutyöpajaan.",
    "in_planning": "Unelma on mukana palvelun suunnittelussa.",
    "realised": "Palvelu on käytössä – kiitos kaikille tukijoille!",
    "not_pursued": (
        "Tähän ei löytynyt rahoitusta tänä vuonna; palaamme asiaan budjetissa."
    ),
}


def _key(label: str) -> uuid.UUID:
    return uuid.uuid5(DEMO_NAMESPACE, label)


@transaction.atomic
def load(*, cities, city_pages, users, stdout) -> None:
    topics = {}
    for slug, fi, sv, en in TOPICS:
        topics[slug], _ = Topic.objects.get_or_create(
            slug=slug, defaults={"name_fi": fi, "name_sv": sv, "name_en": en}
        )
    if "turku" in cities:
        IdeasCitySettings.objects.get_or_create(
            city=cities["turku"], defaults={"allow_anonymous": True}
        )

    facilitator = users.get("facilitator")
    authors = [users.get("resident"), users.get("resident2")]
    now = timezone.now()
    created_count = 0
    dreams_by_title = {}
    for index, (
        city_slug,
        title,
        text,
        group,
        topic_slugs,
        lang,
        path,
        supports,
    ) in enumerate(DREAMS):
        city = cities.get(city_slug) if city_slug else None
        if city_slug and city is None:
            continue
        author = authors[index % 2]
        dream, created = Dream.objects.get_or_create(
            title=title,
            city=city,
            defaults={
                "description": text,
                "target_group": group,
                "language": lang,
                "author": author,
                # Without a user the dream is a demo anonymous participant's.
                "anonymous_key": None if author else _key(f"dreamer-{index}"),
                "nickname": "" if author else "Demo",
                # The city's districts are the site's (`cms.demo.places`).
                "district": District.objects.filter(
                    city=city, slug=DREAM_DISTRICTS.get(title, "")
                ).first(),
            },
        )
        dreams_by_title[title] = dream
        if not created:
            continue
        created_count += 1
        dream.topics.set([topics[s] for s in topic_slugs])
        Dream.objects.filter(pk=dream.pk).update(
            created_at=now - timedelta(days=40 - index)
        )
        # Supports from demo anonymous participants, spread over the last weeks
        # (so "trending" has something to show), plus the other demo resident.
        rows = [
            DreamSupport(dream=dream, anonymous_key=_key(f"supporter-{n}"))
            for n in range(supports)
        ]
        DreamSupport.objects.bulk_create(rows)
        for n, row in enumerate(rows):
            DreamSupport.objects.filter(pk=row.pk).update(
                created_at=now - timedelta(days=(n * 37 + index) % 30, hours=n % 24)
            )
        other = authors[(index + 1) % 2]
        if other is not None and index % 3 == 0:
            DreamSupport.objects.create(dream=dream, user=other)
        previous = DreamStatus.NEW
        for step in path:
            DreamStatusChange.objects.create(
                dream=dream,
                from_status=previous,
                to_status=step,
                changed_by=facilitator,
                reason=REASONS[step],
            )
            previous = step
        Dream.objects.filter(pk=dream.pk).update(
            status=previous,
            support_count=DreamSupport.objects.filter(dream=dream).count(),
        )

    _merge_demo_pair(
        dreams_by_title.get("Kirjasto auki iltaisin nuorille"),
        dreams_by_title.get("Iltakirjasto nuorille"),
        facilitator,
    )
    _merge_demo_pair(
        dreams_by_title.get("Senioreille digitukea kotiin"),
        dreams_by_title.get("Senioreiden digiapu kotiin"),
        facilitator,
    )
    linked = dreams_by_title.get("Senioreiden digiapu kotiin")
    page = (city_pages.get("helsinki") or {}).get("fi")
    if linked is not None and page is not None:
        DreamLink.objects.get_or_create(
            dream=linked,
            page=page,
            defaults={"kind": DreamLinkKind.PLANNED_SERVICE, "created_by": facilitator},
        )
    _comment_on_dreams(dreams_by_title, users)
    # The supports above were written with their dates, past the services: count
    # them into "trending" as the hourly job would.
    dream_trends_refresh()
    stdout.write(f"ideas: {created_count} demo dreams added")


# (dream title, commenter, text, replier, reply)
DREAM_COMMENTS = [
    (
        "Iltakirjasto nuorille",
        "resident2",
        "Meidän lähikirjastossa olisi tilaa iltaisin, kunhan joku on paikalla.",
        "facilitator",
        "Otamme tämän mukaan nuorten palvelujen työpajaan.",
    ),
    (
        "Senioreiden digiapu kotiin",
        "resident",
        "Äitini tarvitsisi juuri tällaista apua pankkitunnusten kanssa.",
        "resident2",
        "Samoin, ja apu kannattaisi saada myös ruotsiksi.",
    ),
]


@override_settings(
    # The demo posts several comments at once: the limits are for people.
    PARTICIPATION_RATE_LIMITS={
        kind: {"person": (10_000, 60), "ip": (10_000, 60)}
        for kind in ("comment", "like", "report")
    },
)
def _comment_on_dreams(dreams_by_title, users) -> None:
    """A few comments through the discussions app; none twice."""
    from core.actors import Actor
    from discussions.services import comment_create, comment_reply

    for title, who, text, replier, reply in DREAM_COMMENTS:
        dream = dreams_by_title.get(title)
        author, other = users.get(who), users.get(replier)
        if dream is None or author is None or other is None:
            continue
        discussion = dream_discussion(dream=dream)
        if discussion.comments.exists():
            continue
        parent = comment_create(
            discussion=discussion, participant=Actor(user=author), text=text
        )
        comment_reply(parent=parent, participant=Actor(user=other), text=reply)


def _merge_demo_pair(source, target, facilitator) -> None:
    """Merge as `dream_merge` does, without e-mailing the demo people."""
    if source is None or target is None or source.status == DreamStatus.MERGED:
        return
    target_people = set(
        DreamSupport.objects.filter(dream=target).values_list(
            "anonymous_key", "user_id"
        )
    )
    for support in DreamSupport.objects.filter(dream=source):
        if (support.anonymous_key, support.user_id) in target_people or (
            support.user_id is not None and support.user_id == target.author_id
        ):
            support.delete()
        else:
            support.dream = target
            support.save(update_fields=["dream", "updated_at"])
    if source.author_id and source.author_id != target.author_id:
        DreamSupport.objects.get_or_create(dream=target, user_id=source.author_id)
    DreamStatusChange.objects.create(
        dream=source,
        from_status=source.status,
        to_status=DreamStatus.MERGED,
        changed_by=facilitator,
        reason=f"Sama unelma kuin “{target.title}”: tuet yhdistettiin.",
    )
    Dream.objects.filter(pk=source.pk).update(
        status=DreamStatus.MERGED, merged_into=target, support_count=0
    )
    Dream.objects.filter(pk=target.pk).update(
        support_count=DreamSupport.objects.filter(dream=target).count()
    )
