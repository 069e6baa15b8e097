"""Forms for signing up, logging in and managing one's own account."""

from django import forms
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm

from accounts import password_guard
from accounts.models import AgeBand, ConsentPurpose, FirstLanguage, Gender, User

LANGUAGE_CHOICES = User._meta.get_field("preferred_language").choices


class LoginRateLimitMixin:
    """Log-ins limited by the one password-guess rule (`accounts.password_guard`).

    A refused attempt does not even check the password, so guessing goes nowhere
    while the limit holds.
    """

    def clean(self):
        email = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if email is None or not password:
            return super().clean()
        check = password_guard.begin_check(self.request, email)
        if not check.allowed:
            raise check.error()
        try:
            cleaned = super().clean()
        except ValidationError as error:
            if getattr(error, "code", None) == "invalid_login":
                check.failed()
            else:
                check.abandoned()
            raise
        except BaseException:
            check.abandoned()
            raise
        check.succeeded()
        return cleaned


class LoginForm(LoginRateLimitMixin, auth_forms.AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    error_messages = {
        **auth_forms.AuthenticationForm.error_messages,
        "invalid_login": _("The e-mail address or the password is not right."),
    }


class AdminLoginForm(LoginRateLimitMixin, WagtailLoginForm):
    """Wagtail's admin log-in with the same failure limit as the site's."""


class SignupForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("You log in with it. It is never shown to others."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    display_name = forms.CharField(
        label=_("Display name"),
        max_length=60,
        help_text=_("Shown publicly next to what you write."),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        help_text=_("At least 8 characters; not a common password."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"), choices=LANGUAGE_CHOICES
    )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("password1")
            and cleaned.get("password2")
            and cleaned["password1"] != cleaned["password2"]
        ):
            self.add_error("password2", _("The two passwords differ."))
        return cleaned


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        label=_("Display name"),
        max_length=60,
        help_text=_("Shown publicly next to what you write."),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"), choices=LANGUAGE_CHOICES
    )


RIGHT_TO_LEFT = {"ar", "fa"}


class LanguageSelect(forms.Select):
    """Languages named in themselves, each option marked with its own language so
    that screen readers pronounce it right (WCAG 3.1.2)."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if value and value != FirstLanguage.OTHER:
            option["attrs"]["lang"] = value
            if value in RIGHT_TO_LEFT:
                option["attrs"]["dir"] = "rtl"
        return option


def _consent(purpose: ConsentPurpose, help_text) -> forms.BooleanField:
    return forms.BooleanField(label=purpose.label, help_text=help_text, required=False)


class BackgroundForm(forms.Form):
    """Each optional detail next to its own consent checkbox; the panel consent.

    `under_18=True` leaves out everything but the age band (the page explains
    why); `districts` are the grouped choices of `selectors.district_choices`.
    """

    consent_age_band = _consent(
        ConsentPurpose.AGE_BAND,
        _(
            "Used only to count how many people of each age take part. "
            "Never shown with your name."
        ),
    )
    age_band = forms.ChoiceField(
        label=_("Age band"),
        choices=[("", _("Not given"))] + AgeBand.choices,
        required=False,
    )
    consent_home_district = _consent(
        ConsentPurpose.HOME_DISTRICT,
        _(
            "Used only to count how many people from each district take part. "
            "Never shown with your name."
        ),
    )
    home_district = forms.ChoiceField(label=_("Home district"), required=False)
    consent_first_language = _consent(
        ConsentPurpose.FIRST_LANGUAGE,
        _(
            "Used only to count how many people of each first language take "
            "part. Never shown with your name."
        ),
    )
    first_language = forms.ChoiceField(
        label=_("First language"),
        choices=[("", _("Not given"))] + FirstLanguage.choices,
        required=False,
        widget=LanguageSelect,
    )
    consent_gender = _consent(
        ConsentPurpose.GENDER,
        _(
            "Used only to count how many women, men and others take part. "
            "Never shown with your name."
        ),
    )
    gender = forms.ChoiceField(
        label=_("Gender"),
        choices=[("", _("Not given"))] + Gender.choices,
        required=False,
    )
    consent_panel_selection = _consent(
        ConsentPurpose.PANEL_SELECTION,
        _(
            "A city may invite you to a customer panel: a group of residents "
            "who help develop a service over some months. Joining is always "
            "your own choice; untick the box and you are not invited."
        ),
    )

    # (consent field, detail field, purpose) in display order.
    PAIRS = (
        ("consent_age_band", "age_band", ConsentPurpose.AGE_BAND),
        ("consent_home_district", "home_district", ConsentPurpose.HOME_DISTRICT),
        ("consent_first_language", "first_language", ConsentPurpose.FIRST_LANGUAGE),
        ("consent_gender", "gender", ConsentPurpose.GENDER),
    )
    PANEL = ("consent_panel_selection", ConsentPurpose.PANEL_SELECTION)

    def __init__(self, *args, districts=(), under_18: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.under_18 = under_18
        self.fields["home_district"].choices = [("", _("Not given")), *districts]
        if under_18:
            for name in list(self.fields):
                if name not in ("consent_age_band", "age_band"):
                    del self.fields[name]

    def pairs(self):
        return [
            (self[consent], self[detail])
            for consent, detail, _p in self.PAIRS
            if detail in self.fields
        ]

    def panel_consent(self):
        return self[self.PANEL[0]] if self.PANEL[0] in self.fields else None

    def consented(self) -> set[str]:
        purposes = [(c, p) for c, _d, p in self.PAIRS] + [self.PANEL]
        return {
            purpose.value
            for consent, purpose in purposes
            if self.cleaned_data.get(consent)
        }

    def details(self) -> dict[str, str]:
        return {
            detail: self.cleaned_data.get(detail) or ""
            for _c, detail, _p in self.PAIRS
            if detail in self.fields
        }


class WithdrawConsentForm(forms.Form):
    purpose = forms.ChoiceField(choices=ConsentPurpose.choices)


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        help_text=_("Enter your password to confirm that you want to delete it all."),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user: User, request, **kwargs):
        self.user = user
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_password(self):
        # Counted like failed log-ins, so a left-open session cannot guess it.
        password = self.cleaned_data["password"]
        check = password_guard.begin_check(self.request, self.user.email)
        if not check.allowed:
            raise check.error()
        if not self.user.check_password(password):
            check.failed()
            raise ValidationError(_("The password is not right."), code="invalid")
        check.succeeded()
        return password


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's form, with wrong old passwords counted like failed log-ins."""

    def __init__(self, *args, request=None, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_old_password(self):
        check = password_guard.begin_check(self.request, self.user.email)
        if not check.allowed:
            raise check.error()
        try:
            old_password = super().clean_old_password()
        except ValidationError:
            check.failed()
            raise
        check.succeeded()
        return old_password


class PasswordResetForm(auth_forms.PasswordResetForm):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def send_mail(self, *args, **kwargs) -> None:
        """Write the e-mail (and its link) in the person's preferred language."""
        context = kwargs.get("context") or args[2]
        with translation.override(context["user"].preferred_language):
            super().send_mail(*args, **kwargs)
