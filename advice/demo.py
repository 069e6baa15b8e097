"""The advice desk's demo for `manage.py load_demo`: topics, the two demo
advisors' profiles (Helsinki in Finnish, English and Russian; Turku in Finnish
and Swedish), canned answers, opening hours around the clock every day (so the
desk answers whenever the demo is tried), the cities' retention periods, and
a few closed chats of the past weeks for the statistics (`advice-stats`: two
cells of five or more chats pass the suppression, one stays suppressed).

The past chats are written as rows, not through the chat services: those stamp
the present time, and statistics need chats that took place earlier. Each
demo chat is found again by its key: running the demo twice adds nothing.
"""

from __future__ import annotations

from datetime import time, timedelta

from django.db import transaction
from django.utils import timezone

from advice.models import (
    AdviceCitySettings,
    AdviceTopic,
    AdvisorLanguage,
    AdvisorProfile,
    Author,
    CannedAnswer,
    Chat,
    ChatMember,
    ChatMessage,
    ChatStatus,
    OpeningHours,
    resident_key_hash,
)

TOPICS = [
    # slug, fi, sv, en
    ("residence-permits", "Oleskeluluvat", "Uppehållstillstånd", "Residence permits"),
    ("work", "Työ ja työnhaku", "Arbete och jobbsökning", "Work and job seeking"),
    ("housing", "Asuminen", "Boende", "Housing"),
    ("studying", "Opiskelu ja kielikurssit", "Studier och språkkurser", "Studying"),
    ("health", "Terveys ja sosiaalipalvelut", "Hälsa och socialtjänster", "Health"),
]
# key → (city slug, display name, languages, cap)
ADVISORS = {
    "advisor": ("helsinki", "Aino", ("fi", "en", "ru"), 3),
    "advisor2": ("turku", "Tuomas", ("fi", "sv"), 2),
}
CANNED = [
    # city slug (None: everyone's), language, title, text
    (
        None,
        "fi",
        "Tervetuloa",
        "Hei! Olen neuvoja. Miten voin auttaa?",
    ),
    (None, "en", "Welcome", "Hello! I am an advisor. How can I help you?"),
    (None, "sv", "Välkommen", "Hej! Jag är rådgivare. Hur kan jag hjälpa dig?"),
    (None, "ru", "Приветствие", "Здравствуйте! Я консультант. Чем могу помочь?"),
    (
        "helsinki",
        "fi",
        "Oleskelulupa: hakeminen",
        "Oleskelulupaa haetaan Maahanmuuttoviraston Enter Finland -palvelussa: "
        "https://enterfinland.fi/",
    ),
    (
        "helsinki",
        "en",
        "Residence permit: applying",
        "You apply for a residence permit in the Finnish Immigration Service's "
        "Enter Finland service: https://enterfinland.fi/",
    ),
    (
        "turku",
        "sv",
        "Bostad: hyresbostäder",
        "Stadens hyresbostäder söks hos bostadsbolaget, se https://www.turku.fi/",
    ),
]
RETENTION_DAYS = {"helsinki": 90, "turku": 60}
# (key, city, language, topic, hour, count, rating, question, answer)
CHATS = [
    (
        "hel-fi-permits",
        "helsinki",
        "fi",
        "residence-permits",
        10,
        6,
        5,
        "Miten jatkan oleskelulupaani?",
        "Jatkolupaa haetaan Enter Finland -palvelussa ennen kuin nykyinen lupa "
        "päättyy.",
    ),
    (
        "hel-en-work",
        "helsinki",
        "en",
        "work",
        14,
        5,
        4,
        "Where can I find job ads in English?",
        "Job Market Finland lists jobs; you can filter by language there.",
    ),
    (
        "tku-sv-housing",
        "turku",
        "sv",
        "housing",
        11,
        3,
        4,
        "Hur söker jag en hyresbostad?",
        "Du söker hos stadens bostadsbolag; ansökan gäller i tre månader.",
    ),
]


def _topics() -> dict[str, AdviceTopic]:
    topics = {}
    for position, (slug, fi, sv, en) in enumerate(TOPICS):
        topics[slug], _ = AdviceTopic.objects.get_or_create(
            slug=slug,
            defaults={
                "name_fi": fi,
                "name_sv": sv,
                "name_en": en,
                "position": position,
            },
        )
    return topics


def _advisors(users) -> dict[str, AdvisorProfile]:
    profiles = {}
    for key, (_city, name, languages, cap) in ADVISORS.items():
        user = users.get(key)
        if user is None:
            continue
        profile, created = AdvisorProfile.objects.get_or_create(
            user=user, defaults={"display_name": name, "max_chats": cap}
        )
        if created:
            AdvisorLanguage.objects.bulk_create(
                [AdvisorLanguage(advisor=profile, language=code) for code in languages]
            )
        profiles[key] = profile
    return profiles


def _setup(cities) -> None:
    for city_slug, language, title, text in CANNED:
        city = cities.get(city_slug) if city_slug else None
        if city_slug and city is None:
            continue
        CannedAnswer.objects.get_or_create(
            city=city, language=language, title=title, defaults={"text": text}
        )
    for slug, city in cities.items():
        AdviceCitySettings.objects.get_or_create(
            city=city,
            defaults={"transcript_retention_days": RETENTION_DAYS.get(slug, 90)},
        )
        if not OpeningHours.objects.filter(city=city).exists():
            OpeningHours.objects.bulk_create(
                [
                    OpeningHours(
                        city=city,
                        language="",
                        weekday=weekday,
                        opens=time(0, 0),
                        closes=time(23, 59, 59),
                    )
                    for weekday in range(7)
                ]
            )


def _chat(key, city, language, topic, at, advisor, rating, question, answer) -> bool:
    """One closed chat asked at `at`; False when it exists already."""
    key_hash = resident_key_hash(f"palvelupaja-demo-chat-{key}")
    if Chat.objects.filter(resident_key_hash=key_hash).exists():
        return False
    n = int(key.rsplit("-", 1)[1])
    accepted = at + timedelta(seconds=45 + 40 * n)
    closed = accepted + timedelta(minutes=4 + 2 * n)
    chat = Chat.objects.create(
        city=city,
        language=language,
        topic=topic,
        status=ChatStatus.CLOSED,
        resident_key_hash=key_hash,
        queued_at=at,
        advisor=advisor,
        advisor_name=advisor.display_name if advisor else "",
        first_accepted_at=accepted if advisor else None,
        accepted_at=accepted if advisor else None,
        closed_at=closed,
        rating=rating if n % 2 == 0 else None,
    )
    Chat.objects.filter(pk=chat.pk).update(created_at=at, updated_at=closed)
    resident = ChatMember.objects.create(chat=chat, role=Author.RESIDENT)
    messages = [
        ChatMessage(chat=chat, author=Author.RESIDENT, member=resident, text=question)
    ]
    if advisor is not None:
        member = ChatMember.objects.create(
            chat=chat, role=Author.ADVISOR, advisor=advisor
        )
        messages.append(
            ChatMessage(
                chat=chat,
                author=Author.ADVISOR,
                member=member,
                name=advisor.display_name,
                text=answer,
            )
        )
    ChatMessage.objects.bulk_create(messages)
    ChatMessage.objects.filter(chat=chat).update(sent_at=accepted)
    return True


def _advisor_of(city_slug: str, profiles) -> AdvisorProfile | None:
    for key, (slug, *_rest) in ADVISORS.items():
        if slug == city_slug:
            return profiles.get(key)
    return None


@transaction.atomic
def load(*, cities, city_pages, users, stdout) -> None:
    topics = _topics()
    profiles = _advisors(users)
    _setup(cities)
    today = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    created = 0
    for spec in CHATS:
        key, city_slug, language, topic, hour, count, rating, question, answer = spec
        city = cities.get(city_slug)
        if city is None:
            continue
        for n in range(count):
            # One a day over the past weeks, at the same hour of the day.
            at = today.replace(hour=hour, minute=5 * n) - timedelta(days=2 + 3 * n)
            created += _chat(
                f"{key}-{n}",
                city,
                language,
                topics[topic],
                at,
                _advisor_of(city_slug, profiles),
                rating - n % 2,
                question,
                answer,
            )
    stdout.write(f"advice: {created} demo chats added")
