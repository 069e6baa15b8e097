"""The knowledge base's filter form (GET, works without JavaScript)."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import City, District
from feedback.models import FeedbackService, Kind, Status

SEARCH_MAX_LENGTH = 200


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class KnowledgeBaseFilterForm(forms.Form):
    """Search words and filters. Choices are read in three queries (cities,
    services, districts), so resolving the chosen values costs no more; an
    unknown value of one filter is dropped and the others still apply."""

    q = forms.CharField(
        label=_("Search words"),
        required=False,
        max_length=SEARCH_MAX_LENGTH,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    city = forms.ChoiceField(label=_("City"), required=False)
    service = forms.ChoiceField(label=_("Service"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("Any kind")), *Kind.choices],
    )
    district = forms.ChoiceField(label=_("District"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *Status.choices],
    )
    sent_from = forms.DateField(
        label=_("Sent on or after"),
        required=False,
        widget=DateInput(),
        help_text=_("For example 2026-01-31."),
    )
    sent_to = forms.DateField(
        label=_("Sent on or before"),
        required=False,
        widget=DateInput(),
        help_text=_("For example 2026-12-31."),
    )

    def clean_sent_from(self):
        return _sensible_date(self.cleaned_data.get("sent_from"))

    def clean_sent_to(self):
        return _sensible_date(self.cleaned_data.get("sent_to"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cities = list(City.objects.order_by("name_fi"))
        self._cities = {c.slug: c for c in cities}
        self.fields["city"].choices = [
            ("", _("All cities")),
            *[(c.slug, c.name) for c in cities],
        ]
        services = list(FeedbackService.objects.select_related("city"))
        self._services = {s.service_code: s for s in services}
        self.fields["service"].choices = [
            ("", _("All services")),
            *_grouped(
                services, lambda s: s.city.name, lambda s: (s.service_code, s.name)
            ),
        ]
        districts = list(District.objects.select_related("city"))
        self._districts = {str(d.pk): d for d in districts}
        self.fields["district"].choices = [
            ("", _("All districts")),
            *_grouped(districts, lambda d: d.city.name, lambda d: (str(d.pk), d.name)),
        ]

    def clean_city(self) -> City | None:
        return self._cities.get(self.cleaned_data["city"])

    def clean_service(self) -> FeedbackService | None:
        return self._services.get(self.cleaned_data["service"])

    def clean_district(self) -> District | None:
        return self._districts.get(self.cleaned_data["district"])

    def clean(self):
        data = super().clean()
        start, end = data.get("sent_from"), data.get("sent_to")
        if start and end and start > end:
            self.add_error(
                "sent_to", _("The end date must not be before the start date.")
            )
        return data

    def filters(self) -> dict:
        """The valid filters, for `feedback_kb_list` (invalid ones left out)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        bad_dates = [n for n in ("sent_from", "sent_to") if n in self.errors]
        if bad_dates:
            # Shown again empty: a date input cannot hold what is not a date.
            self.data = self.data.copy()
            for name in bad_dates:
                self.data[name] = ""
        return {
            "q": data.get("q", ""),
            "city": data.get("city"),
            "service": data.get("service"),
            "kind": data.get("kind", ""),
            "district": data.get("district"),
            "status": data.get("status", ""),
            "sent_from": data.get("sent_from"),
            "sent_to": data.get("sent_to"),
        }

    @property
    def is_filtered(self) -> bool:
        return any(self.data.get(name) for name in self.fields)


def _grouped(rows, group, choice) -> list[tuple[str, list[tuple[str, str]]]]:
    """Choices grouped under a label (a city), both sorted by name."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for row in rows:
        groups.setdefault(group(row), []).append(choice(row))
    return [
        (label, sorted(options, key=lambda o: o[1].casefold()))
        for label, options in sorted(groups.items(), key=lambda g: g[0].casefold())
    ]


def _sensible_date(value: date | None) -> date | None:
    """A day feedback could have been sent on (year 1 or 9999 would overflow the
    day's bounds in the query): anything else is a clear field error."""
    if value is not None and not 1990 <= value.year <= 2100:
        raise forms.ValidationError(_("Give a date between 1990 and 2100."))
    return value
