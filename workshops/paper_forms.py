"""Forms of the paper pages: entering paper cards and attaching flipchart photos.

Both work without JavaScript; the services decide what is acceptable (the forms
only bound what a browser sends), so every refusal has one wording."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.images import PHOTO_MAX_BYTES
from workshops.models import CARD_TEXT_MAX, MEETING_MAX, PHOTO_CAPTION_MAX, Color
from workshops.services.paper import PAPER_CARDS_MAX, PAPER_TEXT_MAX


class PaperCardsForm(forms.Form):
    """Many cards into one column at once, one per line of `text`."""

    column = forms.TypedChoiceField(label=_("Column"), coerce=int, choices=())
    meeting = forms.CharField(
        label=_("Meeting"),
        max_length=MEETING_MAX,
        help_text=_("Where and when the cards were written, e.g. “Kontula library”."),
    )
    meeting_on = forms.DateField(
        label=_("Date of the meeting"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    language = forms.ChoiceField(label=_("Language of the cards"), choices=())
    color = forms.ChoiceField(label=_("Colour"), choices=Color.choices)
    text = forms.CharField(
        label=_("Cards, one per line"),
        max_length=PAPER_TEXT_MAX,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "true"}),
    )

    def __init__(self, *args, columns=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["column"].choices = [(c.pk, c.title) for c in columns]
        self.fields["language"].choices = settings.LANGUAGES
        # Formatted here, in the request's language (a lazy text cannot be).
        self.fields["text"].help_text = gettext(
            "Type each card on a line of its own; empty lines are skipped. At "
            "most %(cards)d cards at a time, %(chars)d characters each."
        ) % {"cards": PAPER_CARDS_MAX, "chars": CARD_TEXT_MAX}


class BoardPhotoForm(forms.Form):
    photo = forms.FileField(
        label=_("Photo"),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp"}
        ),
    )
    caption = forms.CharField(
        label=_("Caption"),
        max_length=PHOTO_CAPTION_MAX,
        required=False,
        help_text=_("What the photo shows; read aloud to those who cannot see it."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photo"].help_text = gettext(
            "A JPEG, PNG or WebP photo of at most %(mb)d MB. It stays visible to "
            "the facilitators only until you publish it."
        ) % {"mb": PHOTO_MAX_BYTES // (1024 * 1024)}
