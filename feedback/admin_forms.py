"""Forms of the handlers' admin pages: they parse input; the services decide."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from feedback.models import (
    ANSWER_MAX_LENGTH,
    DESCRIPTION_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Agency,
    FeedbackItem,
    Status,
)


def city_handlers(city_id: int) -> QuerySet:
    """The people who handle the city's feedback (site admins included)."""
    return (
        get_user_model()
        .objects.filter(
            Q(is_superuser=True)
            | Q(
                groups__city_role__city_id=city_id,
                groups__city_role__role=Role.FEEDBACK_HANDLER,
            ),
            is_active=True,
        )
        .distinct()
        .order_by("display_name", "email")
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Status.choices)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on the feedback's public trail unless marked internal."),
    )
    internal = forms.BooleanField(
        label=_("Internal note (only handlers see it; nobody is notified)"),
        required=False,
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Public answer"),
        max_length=ANSWER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Published with the feedback and e-mailed to the sender. Write no "
            "personal data."
        ),
    )


class AssignForm(forms.Form):
    agency = forms.ModelChoiceField(
        label=_("Agency"), queryset=Agency.objects.none(), required=False
    )
    assignee = forms.ModelChoiceField(
        label=_("Handler"), queryset=get_user_model().objects.none(), required=False
    )
    expected_at = forms.DateField(
        label=_("Expected by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("After this date, feedback not yet done is overdue."),
    )

    def __init__(self, *args, item: FeedbackItem, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(city_id=item.city_id)
        self.fields["assignee"].queryset = city_handlers(item.city_id)
        self.fields["assignee"].label_from_instance = lambda user: (
            user.display_name or user.email
        )


class BulkAgencyForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none())

    def __init__(self, *args, cities, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(
            city__in=cities
        ).select_related("city")
        self.fields["agency"].label_from_instance = lambda agency: (
            f"{agency.name} ({agency.city.name})"
        )


class RedactForm(forms.Form):
    public_title = forms.CharField(label=_("Public title"), max_length=TITLE_MAX_LENGTH)
    public_description = forms.CharField(
        label=_("Public text"),
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Remove names, identity numbers, phone numbers and health details. "
            "The sender's original stays visible to handlers only."
        ),
    )


class MergeForm(forms.Form):
    into = forms.IntegerField(
        label=_("Number of the feedback to keep (for example 12)"),
        min_value=1,
        max_value=2**63 - 1,
        help_text=_(
            "This feedback becomes done and points to that one; its supports and "
            "followers move there."
        ),
    )
