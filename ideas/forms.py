from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.models import City, District, Topic
from ideas.models import (
    CHANGE_MAX_LENGTH,
    DESCRIPTION_MAX_LENGTH,
    MAX_TOPICS,
    NICKNAME_MAX_LENGTH,
    REASON_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    DreamStatus,
    TargetGroup,
)
from ideas.rules import anonymous_allowed
from ideas.selectors import SORTS


def district_choices(field: forms.ChoiceField, empty_label) -> dict[str, District]:
    """Fill `field` with every city's districts, grouped by city and named in the
    active language (one query); return them by the value the form posts."""
    districts = sorted(
        District.objects.select_related("city"),
        key=lambda d: (d.city.name.casefold(), d.name.casefold()),
    )
    groups: dict[str, list[tuple[str, str]]] = {}
    for district in districts:
        groups.setdefault(district.city.name, []).append(
            (str(district.pk), district.name)
        )
    field.choices = [("", empty_label), *groups.items()]
    return {str(d.pk): d for d in districts}


class DreamForm(forms.Form):
    """Telling a dream. The services clean and check again; this is for the page."""

    title = forms.CharField(
        label=_("Name your dream"),
        max_length=TITLE_MAX_LENGTH,
        help_text=_("A short name, for example “Evening library for teenagers”."),
    )
    description = forms.CharField(
        label=_("Describe the service you dream of"),
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    target_group = forms.ChoiceField(
        label=_("Who is it for?"), choices=TargetGroup.choices
    )
    what_would_change = forms.CharField(
        label=_("What would it change for them?"),
        max_length=CHANGE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    city = forms.ModelChoiceField(
        label=_("City"),
        queryset=City.objects.all(),
        required=False,
        empty_label=_("All cities"),
        to_field_name="slug",
    )
    district = forms.ChoiceField(label=_("District"), required=False)
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"),
        queryset=Topic.objects.all(),
        required=False,
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose up to five."),
    )
    language = forms.ChoiceField(
        label=_("Language of your text"), choices=settings.LANGUAGES
    )
    nickname = forms.CharField(
        label=_("Nickname"),
        max_length=NICKNAME_MAX_LENGTH,
        required=False,
        help_text=_("Shown with your dream instead of your name."),
    )
    # Left empty by people; bots fill every field they find.
    website = forms.CharField(
        label=_("Leave this field empty"), required=False, max_length=200
    )
    # Set by the page's script once it has shown similar dreams while typing.
    similar_seen = forms.BooleanField(required=False, widget=forms.HiddenInput)
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, anonymous: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.anonymous = anonymous
        self._districts = district_choices(self.fields["district"], _("No district"))
        if not anonymous:
            del self.fields["nickname"]

    def tie_errors(self) -> None:
        """Point each invalid input at its error list (and help) for screen readers."""
        for name in self.errors:
            if name not in self.fields:
                continue
            auto_id = self[name].auto_id
            described = [f"{auto_id}_errors"]
            if self.fields[name].help_text:
                described.append(f"{auto_id}_helptext")
            self.fields[name].widget.attrs["aria-describedby"] = " ".join(described)

    def clean_district(self) -> District | None:
        return self._districts.get(self.cleaned_data["district"])

    def clean_topics(self):
        topics = self.cleaned_data["topics"]
        if len(topics) > MAX_TOPICS:
            raise forms.ValidationError(
                _("Choose at most %(n)d topics."), params={"n": MAX_TOPICS}
            )
        return topics

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise forms.ValidationError(
                _("Your dream could not be saved. Please try again.")
            )
        # Said at the city, before the similar-dreams step (the service checks
        # it again): a visitor learns it before writing more, not at the end.
        if (
            self.anonymous
            and "city" in cleaned
            and not anonymous_allowed(cleaned["city"])
        ):
            self.add_error(
                "city",
                _(
                    "Please log in to tell a dream for this city: it takes dreams "
                    "only from signed-in residents."
                ),
            )
        district = cleaned.get("district")
        if district is not None and district.city != cleaned.get("city"):
            self.add_error(
                "district", _("Choose a district of the city the dream is for.")
            )
        return cleaned


class DreamFilterForm(forms.Form):
    """The list's filters. Cities and topics come in as lists (one query each)
    and the districts are read in one more, so resolving the chosen values costs
    no further queries."""

    q = forms.CharField(label=_("Search words"), required=False, max_length=200)
    city = forms.ChoiceField(label=_("City"), required=False)
    district = forms.ChoiceField(label=_("District"), required=False)
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    target_group = forms.ChoiceField(
        label=_("Who it is for"),
        required=False,
        choices=[("", _("Everyone and anyone")), *TargetGroup.choices],
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Any status")),
            *[c for c in DreamStatus.choices if c[0] != DreamStatus.MERGED],
        ],
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=list(
            zip(
                SORTS,
                [_("Most supported"), _("Newest"), _("Trending this week")],
                strict=True,
            )
        ),
    )

    def __init__(self, *args, cities: list[City], topics: list[Topic], **kwargs):
        super().__init__(*args, **kwargs)
        self._cities = {c.slug: c for c in cities}
        self._topics = {t.slug: t for t in topics}
        self.fields["city"].choices = [
            ("", _("All cities")),
            *[(c.slug, c.name) for c in cities],
        ]
        self.fields["topic"].choices = [
            ("", _("All topics")),
            *[
                (t.slug, t.name)
                for t in sorted(topics, key=lambda t: t.name.casefold())
            ],
        ]
        self._districts = district_choices(self.fields["district"], _("All districts"))

    def clean_district(self) -> District | None:
        return self._districts.get(self.cleaned_data["district"])

    def clean_city(self) -> City | None:
        return self._cities.get(self.cleaned_data["city"])

    def clean_topic(self) -> Topic | None:
        return self._topics.get(self.cleaned_data["topic"])


class TriageStatusForm(forms.Form):
    to_status = forms.ChoiceField(
        label=_("New status"),
        choices=[c for c in DreamStatus.choices if c[0] != DreamStatus.MERGED],
    )
    reason = forms.CharField(
        label=_("Public reason"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on the dream's page. Required when a dream is not pursued."),
    )
