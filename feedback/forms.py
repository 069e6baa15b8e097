"""The give-feedback form. The service (`feedback.services.intake`) cleans and
checks everything again; the form is for the page (choices, field errors)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import City, District
from feedback.models import (
    ADDRESS_MAX_LENGTH,
    DESCRIPTION_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    FeedbackService,
    Kind,
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Any number of files; `feedback.photos` decides what they are."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [super(PhotosField, self).clean(f, initial) for f in files if f]


def _grouped(rows, key, label) -> list:
    groups: dict[str, list[tuple[str, str]]] = {}
    for row in rows:
        groups.setdefault(key(row), []).append(label(row))
    return list(groups.items())


class FeedbackForm(forms.Form):
    city = forms.ModelChoiceField(
        label=_("City"),
        queryset=City.objects.none(),
        to_field_name="slug",
        empty_label=_("Choose a city"),
    )
    service = forms.ChoiceField(
        label=_("What is your feedback about?"),
        help_text=_("Choose the service. Type in the search box to narrow the list."),
    )
    kind = forms.ChoiceField(
        label=_("Kind of feedback"),
        choices=Kind.choices,
        widget=forms.RadioSelect,
        initial=Kind.COMPLAINT,
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX_LENGTH,
        help_text=_("A short summary, for example “The library's door does not open”."),
    )
    description = forms.CharField(
        label=_("Your feedback"),
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 7}),
        help_text=_(
            "Your feedback is published in the knowledge base for everyone to "
            "read. Do not write personal identity numbers, health details or "
            "other people's personal details."
        ),
    )
    language = forms.ChoiceField(
        label=_("Language of your text"), choices=settings.LANGUAGES
    )
    address = forms.CharField(
        label=_("Address or place"),
        max_length=ADDRESS_MAX_LENGTH,
        required=False,
        help_text=_("For example a street address, a stop or a park."),
    )
    # Filled by the map (a JavaScript enhancement); without it, no point is sent.
    lat = forms.FloatField(required=False, widget=forms.HiddenInput)
    long = forms.FloatField(required=False, widget=forms.HiddenInput)
    district = forms.ChoiceField(label=_("District"), required=False)
    photos = PhotosField(
        label=_("Photos"),
        required=False,
        help_text=_(
            "JPEG, PNG or WebP, at most 8 MB each and 5 in all. A handler checks "
            "each photo before it is public."
        ),
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        help_text=_("We send the follow-up link and the answer here."),
    )
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    # Left empty by people; bots fill every field they find.
    website = forms.CharField(
        label=_("Leave this field empty"), required=False, max_length=200
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        services = list(
            FeedbackService.objects.filter(is_active=True)
            .select_related("city")
            .order_by("city__name_fi", "group_fi", "order", "name_fi")
        )
        self._services = {s.service_code: s for s in services}
        city_ids = {s.city_id for s in services}
        self.fields["city"].queryset = City.objects.filter(pk__in=city_ids)
        several_cities = len(city_ids) > 1

        def group(service: FeedbackService) -> str:
            if several_cities:
                return f"{service.city.name} – {service.group}"
            return service.group

        self.fields["service"].choices = [
            ("", _("Choose a service")),
            *_grouped(
                services,
                key=group,
                label=lambda s: (s.service_code, s.name),
            ),
        ]
        self.service_cities = {s.service_code: s.city.slug for s in services}
        districts = list(
            District.objects.filter(Q(city_id__in=city_ids)).select_related("city")
        )
        districts.sort(key=lambda d: (d.city.name.casefold(), d.name.casefold()))
        self._districts = {str(d.pk): d for d in districts}
        self.fields["district"].choices = [
            ("", _("No district")),
            *_grouped(
                districts,
                key=lambda d: d.city.name,
                label=lambda d: (str(d.pk), d.name),
            ),
        ]

    def tie_errors(self) -> None:
        """Point each input at its help and error list for screen readers."""
        for name, field in self.fields.items():
            if field.widget.is_hidden:
                continue
            described = []
            if field.help_text:
                described.append(f"{self[name].auto_id}_helptext")
            if name in self.errors:
                described.append(f"{self[name].auto_id}_errors")
            if described:
                field.widget.attrs["aria-describedby"] = " ".join(described)
            if name in self.errors:
                field.widget.attrs["aria-invalid"] = "true"

    def clean_service(self) -> FeedbackService | None:
        return self._services.get(self.cleaned_data["service"])

    def clean_district(self) -> District | None:
        return self._districts.get(self.cleaned_data["district"])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise forms.ValidationError(
                _("Your feedback could not be sent. Please try again.")
            )
        city, service = cleaned.get("city"), cleaned.get("service")
        if city is not None and service is not None and service.city_id != city.pk:
            self.add_error("service", _("Choose a service of the chosen city."))
        district = cleaned.get("district")
        if city is not None and district is not None and district.city_id != city.pk:
            self.add_error("district", _("Choose a district of the chosen city."))
        return cleaned
