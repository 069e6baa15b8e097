"""Background details on reference data: home district → core.District, first
language → an ISO 639-1 code, a gender detail, and two more consent purposes.

Free text is mapped only where the answer is unambiguous:

- a home district matches a District whose Finnish, Swedish or English name is
  the same text (ignoring case and surrounding space); when districts of several
  cities share the name, the one in the city where the person holds a role or
  has taken part (comments, dreams) wins, and only when that leaves one;
- a first language matches a name in Finnish, Swedish, English or the language
  itself ("suomi", "Finnish", "finska" → fi), or the code itself.

Anything else is dropped, not kept aside: text a person typed is not reference
data, and keeping it would hold a personal detail nobody uses. The consent stays,
so the person sees the empty field and can choose from the list (see README).
"""

import unicodedata

from django.db import migrations, models
from django.db.models import deletion

LANGUAGE_NAMES: dict[str, tuple[str, ...]] = {
    "fi": ("suomi", "suomen kieli", "finnish", "finska", "finsk"),
    "sv": ("ruotsi", "ruotsin kieli", "swedish", "svenska", "svensk"),
    "en": ("englanti", "english", "engelska"),
    "ru": ("venäjä", "venäjän kieli", "russian", "ryska", "русский"),
    "et": ("viro", "viron kieli", "eesti", "estonian", "estniska"),
    "ar": ("arabia", "arabian kieli", "arabic", "arabiska", "العربية"),
    "so": ("somali", "somalin kieli", "somaliska", "soomaali"),
    "fa": ("persia", "farsi", "persian", "persiska", "فارسی"),
    "ku": ("kurdi", "kurdin kieli", "kurdish", "kurdiska", "kurdî"),
    "zh": ("kiina", "kiinan kieli", "chinese", "kinesiska", "中文"),
    "sq": ("albania", "albanian kieli", "albanian", "albanska", "shqip"),
    "vi": ("vietnam", "vietnamin kieli", "vietnamese", "vietnamesiska", "tiếng việt"),
    "th": ("thai", "thain kieli", "thaimaa", "thailändska", "ไทย"),
    "tr": ("turkki", "turkin kieli", "turkish", "turkiska", "türkçe"),
    "es": ("espanja", "espanjan kieli", "spanish", "spanska", "español"),
    "de": ("saksa", "saksan kieli", "german", "tyska", "deutsch"),
    "fr": ("ranska", "ranskan kieli", "french", "franska", "français"),
    "uk": ("ukraina", "ukrainan kieli", "ukrainian", "ukrainska", "українська"),
    # The platform offers one Sámi choice, so every name of Sámi maps to it.
    "se": (
        "saame",
        "saamen kieli",
        "pohjoissaame",
        "sámi",
        "sami",
        "samiska",
        "nordsamiska",
        "northern sami",
        "davvisámegiella",
    ),
}


def _key(text: str) -> str:
    return unicodedata.normalize("NFC", text or "").strip().casefold()


LANGUAGE_CODES: dict[str, str] = {
    _key(name): code for code, names in LANGUAGE_NAMES.items() for name in names
} | {code: code for code in LANGUAGE_NAMES}


def language_code(text: str) -> str:
    """The ISO 639-1 code for a free-text language name, or "" when unsure."""
    return LANGUAGE_CODES.get(_key(text), "")


def _cities_of_person(apps, user_id: int) -> set[int]:
    """Cities where the person holds a role or has written something."""
    CityRole = apps.get_model("accounts", "CityRole")
    cities = set(
        CityRole.objects.filter(group__user=user_id).values_list("city_id", flat=True)
    )
    # Apps above accounts: read only when their models exist in this database
    # (a new database has no rows to map anyway).
    for app, model, city in (
        ("discussions", "Comment", "discussion__city_id"),
        ("ideas", "Dream", "city_id"),
    ):
        try:
            Model = apps.get_model(app, model)
        except LookupError:
            continue
        cities.update(
            Model.objects.filter(author_id=user_id)
            .exclude(**{city: None})
            .values_list(city, flat=True)
        )
    return cities


def forwards(apps, schema_editor):
    BackgroundDetails = apps.get_model("accounts", "BackgroundDetails")
    District = apps.get_model("core", "District")
    by_name: dict[str, list[tuple[int, int]]] = {}
    for pk, city_id, *names in District.objects.values_list(
        "pk", "city_id", "name_fi", "name_sv", "name_en"
    ):
        for name in {_key(n) for n in names if n}:
            by_name.setdefault(name, []).append((pk, city_id))
    for row in BackgroundDetails.objects.all():
        candidates = by_name.get(_key(row.home_district), [])
        if len(candidates) > 1:
            cities = _cities_of_person(apps, row.user_id)
            candidates = [(pk, city) for pk, city in candidates if city in cities]
        row.district_ref_id = candidates[0][0] if len(candidates) == 1 else None
        row.first_language = language_code(row.first_language)
        row.save(update_fields=["district_ref", "first_language"])


def backwards(apps, schema_editor):
    BackgroundDetails = apps.get_model("accounts", "BackgroundDetails")
    for row in BackgroundDetails.objects.select_related("district_ref"):
        row.home_district = row.district_ref.name_fi if row.district_ref else ""
        row.save(update_fields=["home_district"])


PURPOSES = [
    ("age_band", "My age band, for participation statistics"),
    ("home_district", "My home district, for participation statistics"),
    ("first_language", "My first language, for participation statistics"),
    ("gender", "My gender, for participation statistics"),
    ("panel_selection", "I may be selected to a customer panel"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("core", "0004_places_topics_population"),
    ]

    operations = [
        migrations.AlterField(
            model_name="consent",
            name="purpose",
            field=models.CharField(
                choices=PURPOSES, max_length=32, verbose_name="purpose"
            ),
        ),
        migrations.AddField(
            model_name="backgrounddetails",
            name="gender",
            field=models.CharField(
                blank=True,
                choices=[
                    ("female", "woman"),
                    ("male", "man"),
                    ("other", "other"),
                    ("undisclosed", "prefer not to say"),
                ],
                max_length=16,
                verbose_name="gender",
            ),
        ),
        migrations.AddField(
            model_name="backgrounddetails",
            name="district_ref",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=deletion.SET_NULL,
                related_name="+",
                to="core.district",
                verbose_name="home district",
            ),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="backgrounddetails", name="home_district"),
        migrations.RenameField(
            model_name="backgrounddetails",
            old_name="district_ref",
            new_name="home_district",
        ),
        migrations.AlterField(
            model_name="backgrounddetails",
            name="first_language",
            field=models.CharField(
                blank=True,
                choices=[
                    ("fi", "suomi"),
                    ("sv", "svenska"),
                    ("en", "English"),
                    ("ru", "русский"),
                    ("et", "eesti"),
                    ("ar", "العربية"),
                    ("so", "Soomaali"),
                    ("fa", "فارسی"),
                    ("ku", "kurdî"),
                    ("zh", "中文"),
                    ("sq", "shqip"),
                    ("vi", "Tiếng Việt"),
                    ("th", "ไทย"),
                    ("tr", "Türkçe"),
                    ("es", "español"),
                    ("de", "Deutsch"),
                    ("fr", "français"),
                    ("uk", "українська"),
                    ("se", "davvisámegiella"),
                    ("other", "other language"),
                ],
                max_length=8,
                verbose_name="first language",
            ),
        ),
    ]
