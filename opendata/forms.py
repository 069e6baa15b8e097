from django import forms
from django.utils.translation import gettext_lazy as _

from core.apikeys import READ, SCOPES


class ApiKeyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50)
    owner = forms.CharField(
        label=_("Owner"),
        max_length=200,
        help_text=_("Who uses the key and how to reach them (organisation, contact)."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"),
        choices=list(SCOPES.items()),
        initial=[READ],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("What the key may do. Every key may read."),
    )
    expiry_date = forms.DateTimeField(
        label=_("Expires"),
        required=False,
        help_text=_("Optional. Leave empty for a key that is valid until revoked."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
