"""The demo's shared reference data: translated districts of each city, the
translated topics, and population figures for one recent year.

Idempotent: a district is found by its slug or Finnish name, a topic by its slug
or any of its names (so rows an earlier version of the demo made, or a
migration carried over, are reused); only empty translations are filled in and
existing figures are never changed.
"""

from django.db.models import Q

from cms.demo.site import DemoSite
from core.models import AgeBand, City, District, PopulationFigure, Topic

YEAR = 2024

# (slug, Finnish, Swedish, English)
DISTRICTS = {
    "helsinki": [
        ("keskusta", "Keskusta", "Centrum", "City centre"),
        ("kallio", "Kallio", "Berghäll", "Kallio"),
        ("kamppi", "Kamppi", "Kampen", "Kamppi"),
        ("pasila", "Pasila", "Böle", "Pasila"),
        ("malmi", "Malmi", "Malm", "Malmi"),
        ("vuosaari", "Vuosaari", "Nordsjö", "Vuosaari"),
        ("kontula", "Kontula", "Gårdsbacka", "Kontula"),
    ],
    "turku": [
        ("keskusta", "Keskusta", "Centrum", "City centre"),
        ("nummi", "Nummi", "Nummis", "Nummi"),
        ("runosmaki", "Runosmäki", "Runosbacken", "Runosmäki"),
        ("varissuo", "Varissuo", "Kråkkärret", "Varissuo"),
        ("hirvensalo", "Hirvensalo", "Hirvensalo", "Hirvensalo"),
        ("martti", "Martti", "Martins", "Martti"),
    ],
}

TOPICS = [
    ("kirjastot", "Kirjastot", "Bibliotek", "Libraries"),
    ("nuoret", "Nuoret", "Unga", "Young people"),
    ("mobility", "Liikkuminen", "Mobilitet", "Mobility"),
    ("culture", "Kulttuuri ja vapaa-aika", "Kultur och fritid", "Culture and leisure"),
    ("health", "Terveys ja hyvinvointi", "Hälsa och välmående", "Health and wellbeing"),
    ("education", "Oppiminen", "Lärande", "Learning"),
    ("environment", "Ympäristö", "Miljö", "Environment"),
    ("digital", "Digitaaliset palvelut", "Digitala tjänster", "Digital services"),
    ("housing", "Asuminen", "Boende", "Housing"),
    ("work", "Työ ja yrittäjyys", "Arbete och företagande", "Work and enterprise"),
]

# Rounded from the statistics offices' figures for the year: the whole city with
# every breakdown, a few districts with their total and first languages (the
# other breakdowns of a district follow the city's shares).
POPULATION = {
    "helsinki": {
        None: {
            "total": 674_500,
            "age_band": [110_000, 115_000, 165_000, 160_000, 68_000, 56_500],
            "gender": {"female": 350_000, "male": 324_500},
            "first_language": {"fi": 509_000, "sv": 37_800, "other": 127_700},
        },
        "kallio": {"fi": 24_500, "sv": 2_300, "other": 4_200},
        "vuosaari": {"fi": 27_500, "sv": 900, "other": 9_600},
        "kontula": {"fi": 8_800, "sv": 200, "other": 5_000},
    },
    "turku": {
        None: {
            "total": 204_000,
            "age_band": [30_000, 40_000, 43_000, 46_000, 23_000, 22_000],
            "gender": {"female": 105_000, "male": 99_000},
            "first_language": {"fi": 167_300, "sv": 10_200, "other": 26_500},
        },
        "keskusta": {"fi": 17_500, "sv": 1_800, "other": 2_700},
        "runosmaki": {"fi": 6_600, "sv": 200, "other": 1_200},
        "varissuo": {"fi": 4_100, "sv": 100, "other": 4_800},
    },
}


def places(site: DemoSite, cities: dict[str, City]) -> None:
    """Districts, topics and population figures of the demo cities."""
    for slug, rows in DISTRICTS.items():
        if slug in cities:
            for row in rows:
                _district(site, cities[slug], *row)
    for row in TOPICS:
        _topic(site, *row)
    for slug, places in POPULATION.items():
        if slug in cities:
            _population(site, cities[slug], places)


def _fill_missing(row, names: dict[str, str]) -> None:
    # Only empty translations are filled: an editor's wording is kept.
    missing = {f: v for f, v in names.items() if not getattr(row, f)}
    if missing:
        type(row).objects.filter(pk=row.pk).update(**missing)


def _district(site: DemoSite, city: City, slug: str, fi: str, sv: str, en: str):
    names = {"name_fi": fi, "name_sv": sv, "name_en": en}
    district = District.objects.filter(
        Q(slug=slug) | Q(name_fi__iexact=fi), city=city
    ).first()
    if district is None:
        District.objects.create(city=city, slug=slug, **names)
        site.report(f"district {fi} ({city.name_fi})")
    else:
        _fill_missing(district, names)


def _topic(site: DemoSite, slug: str, fi: str, sv: str, en: str) -> None:
    names = {"name_fi": fi, "name_sv": sv, "name_en": en}
    topic = Topic.objects.filter(
        Q(slug=slug) | Q(name_fi__iexact=fi) | Q(name_sv__iexact=sv)
    ).first()
    if topic is None:
        Topic.objects.create(slug=slug, **names)
        site.report(f"topic {fi}")
    else:
        _fill_missing(topic, names)


def _population(site: DemoSite, city: City, places: dict) -> None:
    whole = places[None]
    shares = _shares(whole)
    figures = _figures(whole)
    for slug, languages in places.items():
        if slug is None:
            continue
        district = District.objects.filter(city=city, slug=slug).first()
        if district is None:
            continue
        total = sum(languages.values())
        rows = [("total", "", total)]
        rows += [("first_language", g, n) for g, n in languages.items()]
        for dimension, groups in shares.items():
            rows += [(dimension, g, n) for g, n in _split(total, groups)]
        _save(site, city, district, rows)
    _save(site, city, None, figures)


def _figures(whole: dict) -> list[tuple[str, str, int]]:
    rows = [("total", "", whole["total"])]
    rows += [("age_band", b, n) for b, n in _ages(whole)]
    rows += [("gender", g, n) for g, n in whole["gender"].items()]
    rows += [("first_language", g, n) for g, n in whole["first_language"].items()]
    return rows


def _ages(whole: dict) -> list[tuple[str, int]]:
    return list(zip(AgeBand.values, whole["age_band"], strict=True))


def _shares(whole: dict) -> dict[str, list[tuple[str, float]]]:
    total = whole["total"]
    return {
        "age_band": [(b, n / total) for b, n in _ages(whole)],
        "gender": [(g, n / total) for g, n in whole["gender"].items()],
    }


def _split(total: int, shares: list[tuple[str, float]]) -> list[tuple[str, int]]:
    """`total` in the groups' shares, rounded to tens; the last group takes the
    rest so the groups add up to the total."""
    counts = [(group, round(total * share, -1)) for group, share in shares[:-1]]
    counts.append((shares[-1][0], total - sum(int(n) for _, n in counts)))
    return [(group, int(n)) for group, n in counts]


def _save(site: DemoSite, city: City, district, rows) -> None:
    created = 0
    for dimension, group, count in rows:
        _, made = PopulationFigure.objects.get_or_create(
            city=city,
            district=district,
            year=YEAR,
            dimension=dimension,
            group=group,
            defaults={"count": count},
        )
        created += made
    if created:
        site.report(f"{created} population figures ({district or city}, {YEAR})")
