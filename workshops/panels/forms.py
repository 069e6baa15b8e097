"""Forms of the panel pages; every one works without JavaScript."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.models import AgeBand, FirstLanguage, Gender
from core.models import District
from workshops.forms import DATETIME_INPUT
from workshops.models import Method
from workshops.panels.models import (
    PANEL_SIZE_MAX,
    PANEL_SIZE_MIN,
    Availability,
    Criterion,
    Panel,
)

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NOT_GIVEN = ("", _("I prefer not to say"))


class PanelForm(forms.Form):
    city = forms.ModelChoiceField(label=_("City"), queryset=None)
    theme = forms.CharField(label=_("Theme"), max_length=200)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea, required=False
    )
    size = forms.IntegerField(
        label=_("Size"),
        min_value=PANEL_SIZE_MIN,
        max_value=PANEL_SIZE_MAX,
        help_text=_("How many members are drawn."),
    )
    term_starts_on = forms.DateField(label=_("Term starts"), widget=DATE_INPUT)
    term_ends_on = forms.DateField(label=_("Term ends"), widget=DATE_INPUT)
    applications_close_at = forms.DateTimeField(
        label=_("Applications close"), widget=DATETIME_INPUT
    )
    languages = forms.MultipleChoiceField(
        label=_("Meeting languages"),
        choices=settings.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
    )
    criteria = forms.MultipleChoiceField(
        label=_("The panel mirrors the city by"),
        choices=Criterion.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Targets come from the city's population figures. You can add "
            "criteria of your own on the panel's page."
        ),
    )
    accessibility = forms.CharField(
        label=_("Accessibility of meetings"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    interpretation = forms.CharField(
        label=_("Interpretation"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args, cities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = cities


class CriterionForm(forms.Form):
    question = forms.CharField(label=_("Question"), max_length=200)
    options = forms.CharField(
        label=_("Options and their shares of the city (%)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line, e.g. “Uses the service weekly = 30”."),
    )


class ApplyForm(forms.Form):
    """The background the panel asks for (each voluntary), availability and the
    consent to use them for the selection."""

    availability = forms.MultipleChoiceField(
        label=_("When can you take part?"),
        choices=Availability.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    consent = forms.BooleanField(
        label=_(
            "I consent to these details being used to select the panel "
            "(not for statistics)."
        ),
        required=False,
    )

    def __init__(self, *args, panel: Panel, **kwargs):
        super().__init__(*args, **kwargs)
        self.criterion_keys: list[str] = []
        fields = {}
        choices_for = {
            Criterion.AGE_BAND: [
                c for c in AgeBand.choices if c[0] != AgeBand.UNDER_18
            ],
            Criterion.GENDER: Gender.choices,
            Criterion.FIRST_LANGUAGE: FirstLanguage.choices,
        }
        labels = {
            Criterion.AGE_BAND: _("Your age band"),
            Criterion.DISTRICT: _("Your home district"),
            Criterion.FIRST_LANGUAGE: _("Your first language"),
            Criterion.GENDER: _("Your gender"),
        }
        for criterion in panel.criteria:
            if criterion == Criterion.DISTRICT:
                choices = [
                    (str(d.pk), d.name)
                    for d in District.objects.filter(city_id=panel.city_id)
                ]
            else:
                choices = choices_for[criterion]
            fields[criterion] = (labels[criterion], choices)
        for custom in panel.custom_criteria.all():
            fields[custom.key] = (
                custom.question,
                [(o["value"], o["label"]) for o in custom.options],
            )
        for key, (label, choices) in fields.items():
            self.fields[key] = forms.ChoiceField(
                label=label, choices=[NOT_GIVEN, *choices], required=False
            )
            self.criterion_keys.append(key)
        # The background first, then availability and the consent.
        self.order_fields([*self.criterion_keys, "availability", "consent"])

    def answers(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(key, "") for key in self.criterion_keys}


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    method = forms.ChoiceField(
        label=_("Method"),
        choices=Method.choices,
        help_text=_("Creates the meeting's board and its columns."),
    )
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DATETIME_INPUT)
    ends_at = forms.DateTimeField(
        label=_("Ends at"), widget=DATETIME_INPUT, required=False
    )
    online = forms.BooleanField(label=_("Online"), required=False)
    place = forms.CharField(
        label=_("Place"),
        max_length=200,
        required=False,
        help_text=_("Address and room; empty for an online meeting."),
    )


class AttendanceForm(forms.Form):
    present = forms.MultipleChoiceField(
        label=_("Present"), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [
            (str(m.pk), m.user.display_name) for m in members
        ]
