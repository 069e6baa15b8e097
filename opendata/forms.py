from django import forms
from django.utils.translation import gettext_lazy as _


class ApiKeyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50)
    owner = forms.CharField(
        label=_("Owner"),
        max_length=200,
        help_text=_("Who uses the key and how to reach them (organisation, contact)."),
    )
    expiry_date = forms.DateTimeField(
        label=_("Expires"),
        required=False,
        help_text=_("Optional. Leave empty for a key that is valid until revoked."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
