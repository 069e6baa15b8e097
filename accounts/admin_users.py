"""The Wagtail admin's user screens for our User.

Wagtail's stock forms expect first and last names; ours has a display name and a
preferred language instead. Role groups are chosen on the "Roles" tab as usual.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.users import forms as wagtail_forms
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from accounts.models import User
from core.sanitize import clean_text

_FIELDS = {"email", "display_name", "preferred_language", "is_superuser", "groups"}


class _UserFormMixin:
    first_name = None
    last_name = None

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"]).lower()
        others = User.objects.filter(email__iexact=email)
        if self.instance.pk is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(
                _("An account with this e-mail address already exists."),
                code="unique",
            )
        return email

    def clean_display_name(self):
        name = clean_text(self.cleaned_data["display_name"], multiline=False)
        if not name:
            raise forms.ValidationError(_("Enter the name others will see."))
        return name


class UserCreationForm(_UserFormMixin, wagtail_forms.UserCreationForm):
    class Meta:
        model = User
        fields = _FIELDS
        widgets = {"groups": forms.CheckboxSelectMultiple}


class UserEditForm(_UserFormMixin, wagtail_forms.UserEditForm):
    class Meta:
        model = User
        fields = _FIELDS | {"is_active"}
        widgets = {"groups": forms.CheckboxSelectMultiple}


class UserViewSet(WagtailUserViewSet):
    create_template_name = "accounts/admin/user_create.html"
    edit_template_name = "accounts/admin/user_edit.html"

    def get_form_class(self, for_update=False):
        return UserEditForm if for_update else UserCreationForm


class NameEmailForm(_UserFormMixin, forms.ModelForm):
    """The admin's own "Name and Email" settings panel, for our User."""

    def __init__(self, *args, **kwargs):
        from wagtail.admin.views.account import email_management_enabled

        super().__init__(*args, **kwargs)
        if not email_management_enabled():
            del self.fields["email"]

    class Meta:
        model = User
        fields = ["display_name", "email"]


def use_our_account_settings_form() -> None:
    # Wagtail offers no setting for this panel's form; its stock form asks for
    # first and last names, which our User does not have.
    from wagtail.admin.views import account

    account.NameEmailSettingsPanel.form_class = NameEmailForm
