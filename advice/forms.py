"""The advice desk's forms: starting a chat, the chat's own forms and the desk's.

The services (`advice.services`) clean and check everything again; the forms
are for the page (choices in the page's language, field errors, sizes).
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from advice.languages import ALWAYS_OFFERED, RIGHT_TO_LEFT, language_name
from advice.models import (
    FIRST_QUESTION_MAX,
    MESSAGE_TEXT_MAX,
    NOTE_TEXT_MAX,
    RATING_COMMENT_MAX,
    AdviceTopic,
    AdvisorStatus,
)
from core.models import City

ANY_CITY = "any"
KB_QUERY_MAX = 200


class LanguageSelect(forms.Select):
    """A language list where each name is marked up in its own language."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if value:
            option["attrs"]["lang"] = value
            option["attrs"]["dir"] = "rtl" if value in RIGHT_TO_LEFT else "ltr"
        return option


def language_choices(extra: list[str] | tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """Finnish, Swedish and English first, then `extra` by name, each in itself."""
    others = sorted(
        {code for code in extra if code not in ALWAYS_OFFERED}, key=language_name
    )
    return [(code, language_name(code)) for code in (*ALWAYS_OFFERED, *others)]


class ChatStartForm(forms.Form):
    """`/advice/`: the city (or any), the language, a topic and the first question."""

    city = forms.ChoiceField(label=_("City"))
    language = forms.ChoiceField(label=_("Language of the chat"), widget=LanguageSelect)
    topic = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=AdviceTopic.objects.none(),
        required=False,
        empty_label=_("Something else"),
    )
    text = forms.CharField(
        label=_("Your question"),
        max_length=FIRST_QUESTION_MAX,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        required=False,
        help_text=_(
            "Optional while advisors are available. Needed when nobody can answer "
            "now: then the answer comes by e-mail. Also the only address a "
            "transcript of the chat can be sent to."
        ),
    )
    origin_path = forms.CharField(
        required=False, max_length=2000, widget=forms.HiddenInput
    )

    def __init__(
        self,
        *args,
        cities: list[City],
        topics: list[AdviceTopic],
        languages: list[str],
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.cities = {city.slug: city for city in cities}
        self.fields["city"].choices = [
            (ANY_CITY, _("Any city")),
            *((city.slug, city.name) for city in cities),
        ]
        self.fields["language"].choices = language_choices(languages)
        topic_field = self.fields["topic"]
        topic_field.queryset = AdviceTopic.objects.filter(active=True)
        # The topics are read once by the view: choices need no query of their own.
        topic_field.choices = [
            ("", topic_field.empty_label),
            *((topic.pk, topic.name) for topic in topics),
        ]
        self._topics = {str(topic.pk): topic for topic in topics}

    def clean_city(self) -> City | None:
        slug = self.cleaned_data["city"]
        return None if slug == ANY_CITY else self.cities[slug]

    def clean_topic(self) -> AdviceTopic | None:
        raw = self.data.get(self.add_prefix("topic"), "")
        if not raw:
            return None
        topic = self._topics.get(str(raw))
        if topic is None:
            raise forms.ValidationError(
                _("Choose one of the topics."), code="invalid_choice"
            )
        return topic


class MessageForm(forms.Form):
    """One message in a chat (the resident's or the advisor's)."""

    text = forms.CharField(
        label=_("Your message"),
        max_length=MESSAGE_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )


class RatingForm(forms.Form):
    """The resident's 1–5 rating at the end, with an optional comment."""

    score = forms.TypedChoiceField(
        label=_("How useful was the chat?"),
        coerce=int,
        choices=[
            (1, _("1 – not at all")),
            (2, "2"),
            (3, "3"),
            (4, "4"),
            (5, _("5 – very useful")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=RATING_COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=AdvisorStatus.choices)


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Internal note"),
        max_length=NOTE_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
        help_text=_("Only advisors see notes; the resident never does."),
    )


class TransferForm(forms.Form):
    """Hand a chat on: to another advisor, or back to a city's or language's queue."""

    to = forms.ChoiceField(label=_("Transfer to"))
    city = forms.ChoiceField(label=_("City's queue"), required=False)
    language = forms.ChoiceField(
        label=_("Language's queue"), required=False, widget=LanguageSelect
    )
    note = forms.CharField(
        label=_("Note for the next advisor"),
        required=False,
        max_length=NOTE_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
    )

    def __init__(
        self,
        *args,
        advisors: list[tuple[int, str]],
        cities: list[City],
        languages: list[str],
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.cities = {city.slug: city for city in cities}
        self.fields["to"].choices = [
            ("queue", _("A queue (choose below)")),
            *((str(pk), name) for pk, name in advisors),
        ]
        self.fields["city"].choices = [
            ("", _("The same city")),
            (ANY_CITY, _("Any city")),
            *((city.slug, city.name) for city in cities),
        ]
        self.fields["language"].choices = [
            ("", _("The same language")),
            *language_choices(languages),
        ]

    def clean_to(self) -> int | str:
        to = self.cleaned_data["to"]
        return to if to == "queue" else int(to)


class KnowledgeSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search the knowledge base"),
        max_length=KB_QUERY_MAX,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
