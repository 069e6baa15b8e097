"""The search page's form (GET, works without JavaScript).

Every filter is optional; a value that is unknown or malformed is dropped with
a note beside its field, and the rest of the search still runs."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from core import searchables
from core.models import City, District, Topic
from search.selectors import MAX_PAGES, Filters

# A query longer than this is cut before it is read (and the analysis reads at
# most `core.text.analysis.MAX_QUERY_WORDS` words of it).
QUERY_MAX_LENGTH = 200


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class SearchForm(forms.Form):
    """Words, kinds, city, district, topic and dates. Choices are read in three
    queries (cities, districts, topics)."""

    q = forms.CharField(
        label=_("Search words"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "id": "search-q"}),
    )
    kind = forms.MultipleChoiceField(
        label=_("Show"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    city = forms.ChoiceField(label=_("City"), required=False)
    district = forms.ChoiceField(label=_("District"), required=False)
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=DateInput(),
        help_text=_("For example 2026-01-31."),
    )
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        widget=DateInput(),
        help_text=_("For example 2026-12-31."),
    )

    def __init__(self, data=None, **kwargs):
        if data is not None:
            data = data.copy()
            # Cut before anything reads it: a 10,000-character query is a
            # sentence's work. Shown cut, so the visitor sees what was searched.
            data["q"] = query_cut(data.get("q", ""))
        super().__init__(data, **kwargs)
        self.fields["kind"].choices = [
            (kind, searchable.label)
            for kind, searchable in searchables.searchables().items()
        ]
        cities = list(City.objects.order_by("name_fi"))
        self._cities = {city.slug: city for city in cities}
        self.fields["city"].choices = [
            ("", _("All cities")),
            *[(city.slug, city.name) for city in cities],
        ]
        districts = list(District.objects.select_related("city"))
        self._districts = {str(district.pk): district for district in districts}
        self.fields["district"].choices = [
            ("", _("All districts")),
            *_grouped(districts),
        ]
        topics = sorted(Topic.objects.all(), key=lambda topic: topic.name.casefold())
        self._topics = {str(topic.pk): topic for topic in topics}
        self.fields["topic"].choices = [
            ("", _("All topics")),
            *[(str(topic.pk), topic.name) for topic in topics],
        ]

    def clean_city(self) -> City | None:
        return self._cities.get(self.cleaned_data["city"])

    def clean_district(self) -> District | None:
        return self._districts.get(self.cleaned_data["district"])

    def clean_topic(self) -> Topic | None:
        return self._topics.get(self.cleaned_data["topic"])

    def clean_date_from(self):
        return _sensible_date(self.cleaned_data.get("date_from"))

    def clean_date_to(self):
        return _sensible_date(self.cleaned_data.get("date_to"))

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date must not be before the start."))
        return data

    def search(self) -> tuple[str, Filters, City | None]:
        """The words, the valid filters (invalid ones left out) and the city."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        bad_dates = [name for name in ("date_from", "date_to") if name in self.errors]
        if bad_dates:
            # Shown again empty: a date input cannot hold what is not a date.
            self.data = self.data.copy()
            for name in bad_dates:
                self.data[name] = ""
        city, district = data.get("city"), data.get("district")
        topic = data.get("topic")
        filters = Filters(
            kinds=tuple(data.get("kind") or ()),
            city_id=city.pk if city else None,
            district_id=district.pk if district else None,
            topic_id=topic.pk if topic else None,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
        return data.get("q", ""), filters, city

    @property
    def is_filtered(self) -> bool:
        return any(self.data.get(name) for name in self.fields if name != "q")


def query_cut(text: str) -> str:
    """`text` cut to `QUERY_MAX_LENGTH` characters at a word's end, so that a
    long query never ends in half a word that would match nothing."""
    if len(text) <= QUERY_MAX_LENGTH:
        return text
    cut = text[:QUERY_MAX_LENGTH]
    if not text[QUERY_MAX_LENGTH].isspace() and " " in cut.strip():
        cut = cut.rstrip().rsplit(None, 1)[0]
    return cut


def page_number(value: str | None) -> int:
    """The page asked for, 1 when it is not a number; at most `MAX_PAGES` + 1
    (one past the end still says "no more results")."""
    try:
        number = int(value or 1)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), MAX_PAGES + 1)


def _grouped(districts) -> list[tuple[str, list[tuple[str, str]]]]:
    groups: dict[str, list[tuple[str, str]]] = {}
    for district in districts:
        groups.setdefault(district.city.name, []).append(
            (str(district.pk), district.name)
        )
    return [
        (label, sorted(options, key=lambda option: option[1].casefold()))
        for label, options in sorted(groups.items(), key=lambda g: g[0].casefold())
    ]


def _sensible_date(value: date | None) -> date | None:
    if value is not None and not 1990 <= value.year <= 2100:
        raise forms.ValidationError(_("Give a date between 1990 and 2100."))
    return value
