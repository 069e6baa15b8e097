"""Forms of the workshop pages; every one also works without JavaScript."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ideas.models import (
    DESCRIPTION_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Dream,
    TargetGroup,
)
from workshops.models import (
    CARD_TEXT_MAX,
    JOIN_CODE_ALPHABET,
    JOIN_CODE_LENGTH,
    Color,
    Joining,
    Method,
    Phase,
)
from workshops.protocol import TIMER_MAX_SECONDS, VOTE_BUDGET_MAX
from workshops.rules import FACILITATOR_ACTIONS

DATETIME_INPUT = forms.DateTimeInput(
    attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
)


class WorkshopForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea, required=False
    )
    city = forms.ModelChoiceField(label=_("City"), queryset=None)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DATETIME_INPUT)
    ends_at = forms.DateTimeField(
        label=_("Ends at"), widget=DATETIME_INPUT, required=False
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    capacity = forms.IntegerField(
        label=_("Capacity"),
        min_value=1,
        max_value=10_000,
        required=False,
        help_text=_("Leave empty for no limit."),
    )
    method = forms.ChoiceField(
        label=_("Method"),
        choices=Method.choices,
        help_text=_("Creates the board and its columns; you can edit them later."),
    )
    joining = forms.ChoiceField(
        label=_("Joining"),
        choices=Joining.choices,
        initial=Joining.OPEN,
        required=False,
        help_text=_("Not chosen: open."),
    )

    template = forms.ChoiceField(
        label=_("Board template"),
        required=False,
        help_text=_(
            "A board you or your city's facilitators saved: the workshop gets "
            "its columns, starting phase and votes instead of the method's board."
        ),
    )

    def clean_joining(self) -> str:
        return self.cleaned_data["joining"] or Joining.OPEN

    def clean_template(self):
        """The chosen BoardTemplate, or None."""
        return self._templates.get(self.cleaned_data.get("template") or "")

    def __init__(self, *args, cities=None, editing=False, templates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._templates = {str(t.pk): t for t in templates}
        if editing:
            del self.fields["city"]
            del self.fields["method"]
            del self.fields["template"]
        else:
            self.fields["city"].queryset = cities
            self.fields["template"].choices = [("", _("None: the method's board"))] + [
                (str(t.pk), f"{t.name} ({t.city.name})") for t in templates
            ]
            if not templates:
                del self.fields["template"]


class JoinForm(forms.Form):
    code = forms.CharField(
        label=_("Workshop code"),
        max_length=JOIN_CODE_LENGTH + 4,
        help_text=_("Six letters and numbers, given by the facilitator."),
        widget=forms.TextInput(
            attrs={"autocapitalize": "characters", "autocomplete": "off"}
        ),
    )
    display_name = forms.CharField(
        label=_("Your name on the board"),
        max_length=60,
        help_text=_("A first name or a nickname is enough. Others will see it."),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )

    def __init__(self, *args, with_code=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_code:
            del self.fields["code"]

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split()).upper()
        if len(code) != JOIN_CODE_LENGTH or any(
            c not in JOIN_CODE_ALPHABET for c in code
        ):
            raise forms.ValidationError(_("Check the code: it has six characters."))
        return code


class PublicFilterForm(forms.Form):
    """The city filter of the public list of workshop results (GET).

    Given the cities already read, so choosing one asks the database no more;
    `cleaned_data["city"]` is the City or None (all cities).
    """

    city = forms.ChoiceField(label=_("City"), required=False)

    def __init__(self, *args, cities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._cities = {c.slug: c for c in cities}
        self.fields["city"].choices = [("", _("All cities"))] + [
            (c.slug, c.name) for c in cities
        ]

    def clean_city(self):
        return self._cities.get(self.cleaned_data.get("city") or "")


class BoardTemplateForm(forms.Form):
    """Save a board's set-up as a template."""

    name = forms.CharField(label=_("Template name"), max_length=120)
    start_phase = forms.ChoiceField(
        label=_("Phase a new board starts in"),
        choices=Phase.choices,
        initial=Phase.OPEN,
    )
    shared = forms.BooleanField(
        label=_("Share with the city's other facilitators"),
        required=False,
        initial=True,
    )


class ColumnForm(forms.Form):
    title = forms.CharField(label=_("Column title"), max_length=120)


class CardForm(forms.Form):
    column = forms.TypedChoiceField(label=_("Column"), coerce=int, choices=())
    text = forms.CharField(
        label=_("Card text"), max_length=CARD_TEXT_MAX, widget=forms.Textarea
    )
    color = forms.ChoiceField(label=_("Colour"), choices=Color.choices)
    language = forms.ChoiceField(
        label=_("Language of the card"),
        choices=settings.LANGUAGES,
        required=False,
        help_text=_("The page's language when not chosen."),
    )

    def __init__(self, *args, columns=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["column"].choices = [(c.pk, c.title) for c in columns]


class ConsoleForm(forms.Form):
    """The facilitator console without JavaScript: one action per submit button."""

    # `voting.set` is two buttons: a button sends one name and value only.
    VOTING = {"voting.open": True, "voting.close": False}
    ACTIONS = sorted(FACILITATOR_ACTIONS - {"voting.set"}) + sorted(VOTING)
    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS])
    phase = forms.ChoiceField(label=_("Phase"), choices=Phase.choices, required=False)
    minutes = forms.IntegerField(
        label=_("Minutes"),
        min_value=1,
        max_value=TIMER_MAX_SECONDS // 60,
        required=False,
    )
    budget = forms.IntegerField(
        label=_("Votes per participant"),
        min_value=0,
        max_value=VOTE_BUDGET_MAX,
        required=False,
    )
    participant = forms.IntegerField(min_value=1, required=False)

    def change_type(self) -> str:
        """The protocol message the chosen action sends."""
        action = self.cleaned_data["action"]
        return "voting.set" if action in self.VOTING else action

    def change_fields(self) -> dict:
        data = self.cleaned_data
        action = data["action"]
        if action in self.VOTING:
            return {"open": self.VOTING[action]}
        if action == "phase.set":
            if not data.get("phase"):
                raise forms.ValidationError(_("Choose a phase."))
            return {"phase": data["phase"]}
        if action == "timer.start":
            if not data.get("minutes"):
                raise forms.ValidationError(_("Give the timer in minutes."))
            return {"seconds": data["minutes"] * 60}
        if action == "vote.budget":
            if data.get("budget") is None:
                raise forms.ValidationError(_("Give the number of votes."))
            fields = {"budget": data["budget"]}
            if data.get("participant"):
                fields["participant"] = data["participant"]
            return fields
        return {}


class CloseForm(forms.Form):
    summary = forms.CharField(
        label=_("Facilitators' summary"),
        widget=forms.Textarea,
        required=False,
        help_text=_("What came out of the workshop; shown on the results page."),
    )


class PlaceDreamsForm(forms.Form):
    """Choose service dreams and the column they go to as cards."""

    dreams = forms.ModelMultipleChoiceField(
        label=_("Dreams"),
        queryset=Dream.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one dream.")},
    )
    column = forms.TypedChoiceField(label=_("Column"), coerce=int, choices=())

    def __init__(self, *args, columns=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["column"].choices = [(c.pk, c.title) for c in columns]


class CardDreamForm(forms.Form):
    """Turn a card into a service dream: title and text prefilled from the card."""

    title = forms.CharField(label=_("Title of the dream"), max_length=TITLE_MAX_LENGTH)
    description = forms.CharField(
        label=_("Description"),
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea,
        help_text=_("The card's text; add what the workshop said about it."),
    )
    target_group = forms.ChoiceField(
        label=_("Who it is for"), choices=TargetGroup.choices
    )
    city = forms.ChoiceField(label=_("City"))
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)

    def __init__(self, *args, workshop, **kwargs):
        super().__init__(*args, **kwargs)
        self.workshop = workshop
        self.fields["city"].choices = [
            (str(workshop.city_id), workshop.city.name),
            ("all", _("All cities")),
        ]

    def clean_city(self):
        return None if self.cleaned_data["city"] == "all" else self.workshop.city
