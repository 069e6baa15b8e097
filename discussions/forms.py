"""Forms for commenting; the services do the real checks, forms shape the input."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.text.fields import current_text_language
from discussions.models import (
    COMMENT_MAX_LENGTH,
    NICKNAME_MAX_LENGTH,
    REASON_MAX_LENGTH,
    Stance,
)


class HoneypotMixin(forms.Form):
    # Hidden from people by CSS (`.honeypot`) and from screen readers; bots fill it.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("Your comment could not be accepted."))
        return ""


def _language_field() -> forms.ChoiceField:
    # Optional: a post without it (the reply form, a script) is taken to be in the
    # page's language by the service.
    return forms.ChoiceField(
        label=_("Language of the comment"),
        choices=settings.LANGUAGES,
        required=False,
    )


class CommentForm(HoneypotMixin):
    text = forms.CharField(
        label=_("Your comment"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Plain text; links are allowed. At most %(max)d characters.")
        % {"max": COMMENT_MAX_LENGTH},
    )
    stance = forms.ChoiceField(
        label=_("Your stance (optional)"),
        choices=[("", _("No stance")), *Stance.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    nickname = forms.CharField(
        label=_("Nickname"),
        max_length=NICKNAME_MAX_LENGTH,
        required=False,
        help_text=_("Shown with your comment instead of a name."),
    )
    language = _language_field()

    def __init__(self, *args, anonymous: bool = False, with_stance: bool = True, **kw):
        super().__init__(*args, **kw)
        self.fields["language"].initial = current_text_language()
        if anonymous:
            self.fields["nickname"].required = True
        else:
            del self.fields["nickname"]
            del self.fields["website"]
        if not with_stance:
            del self.fields["stance"]


class ReplyForm(CommentForm):
    def __init__(self, *args, **kw):
        kw["with_stance"] = False
        super().__init__(*args, **kw)
        self.fields["text"].label = _("Your reply")
        self.fields["text"].widget.attrs["rows"] = 3


class EditForm(forms.Form):
    text = forms.CharField(
        label=_("Your comment"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    stance = forms.ChoiceField(
        label=_("Your stance (optional)"),
        choices=[("", _("No stance")), *Stance.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    language = _language_field()


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReportForm(HoneypotMixin, ReasonForm):
    reason = forms.CharField(
        label=_("Which house rule does the comment break, and how?"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
