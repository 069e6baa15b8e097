"""The planned-service list's filter form (commenting forms are `discussions.forms`)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ServiceFilterForm(forms.Form):
    open_now = forms.BooleanField(label=_("Open for comments now"), required=False)
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    district = forms.TypedChoiceField(
        label=_("District"), required=False, coerce=int, empty_value=None
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    order = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("newest", _("Newest")),
            ("closing", _("Closing soonest")),
            ("title", _("Title")),
        ],
    )

    def __init__(self, *args, topics=(), districts=(), **kw):
        from participation.models import Lifecycle

        super().__init__(*args, **kw)
        self.fields["topic"].choices = [("", _("All topics"))] + [
            (t.slug, t.name) for t in topics
        ]
        self.fields["district"].choices = [("", _("All districts"))] + [
            (d.pk, d.name) for d in districts
        ]
        self.fields["status"].choices = [("", _("Any status")), *Lifecycle.choices]
