"""Thin views over accounts.services and accounts.selectors."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from accounts import forms, selectors, services
from accounts.models import AgeBand, ConsentPurpose
from core import ratelimit
from core.errors import SERVICE_ERRORS, form_add_service_error

# Profile, background and consent changes one person may make in an hour.
ACCOUNT_WRITE_LIMIT = 60


def _home_url() -> str:
    """The home page in the active language."""
    return reverse("wagtail_serve", args=("",))


def _in_language(response: HttpResponse, language: str) -> HttpResponse:
    """Remember `language` for pages without a language prefix in the URL."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


def _me_url(language: str) -> str:
    with translation.override(language):
        return reverse("accounts:me")


class LoginView(auth_views.LoginView):
    form_class = forms.LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        return _me_url(self.request.user.preferred_language)

    def form_valid(self, form):
        response = super().form_valid(form)
        return _in_language(response, form.get_user().preferred_language)


class LogoutView(auth_views.LogoutView):
    def get_default_redirect_url(self) -> str:
        return _home_url()

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.success(request, _("You have logged out."))
        return response


class PasswordResetView(auth_views.PasswordResetView):
    form_class = forms.PasswordResetForm
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        # Caps the e-mails one address can make us send (per IP and per hour).
        if ratelimit.limit_exceeded(
            f"password-reset:ip:{ratelimit.client_ip(self.request)}",
            limit=settings.PASSWORD_RESET_LIMIT,
            window_seconds=3600,
        ):
            form.add_error(
                None, _("Too many password reset requests. Try again in an hour.")
            )
            return self.form_invalid(form)
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = forms.PasswordChangeForm
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("accounts:me")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password has been changed."))
        return response


@sensitive_post_parameters("password1", "password2")
@never_cache
@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:me")
    form = forms.SignupForm(
        request.POST or None,
        initial={"preferred_language": translation.get_language()},
    )
    if request.method == "POST" and form.is_valid():
        if ratelimit.limit_exceeded(
            f"signup:ip:{ratelimit.client_ip(request)}",
            limit=settings.SIGNUP_LIMIT,
            window_seconds=3600,
        ):
            form.add_error(None, _("Too many new accounts from here. Try again later."))
            return render(request, "accounts/signup.html", {"form": form}, status=429)
        try:
            user = services.user_signup(
                email=form.cleaned_data["email"],
                display_name=form.cleaned_data["display_name"],
                password=form.cleaned_data["password1"],
                preferred_language=form.cleaned_data["preferred_language"],
            )
        except SERVICE_ERRORS as error:
            form_add_service_error(form, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            with translation.override(user.preferred_language):
                messages.success(request, _("Welcome! Your account is ready."))
            response = HttpResponseRedirect(_me_url(user.preferred_language))
            return _in_language(response, user.preferred_language)
    return render(request, "accounts/signup.html", {"form": form})


def _me_context(request: HttpRequest, **forms_given) -> dict:
    user = request.user
    background = selectors.background_get(user=user)
    consents = list(selectors.consent_list(user=user))
    active = {c.purpose for c in consents if c.is_active}
    initial = {"display_name": user.display_name}
    initial["preferred_language"] = user.preferred_language
    background_initial = {}
    for consent_field, detail, purpose in forms.BackgroundForm.PAIRS:
        background_initial[consent_field] = purpose in active
        value = getattr(background, f"{detail}_id", None) or getattr(
            background, detail, ""
        )
        background_initial[detail] = str(value or "")
    panel_field, panel_purpose = forms.BackgroundForm.PANEL
    background_initial[panel_field] = panel_purpose in active
    under_18 = background is not None and background.age_band == AgeBand.UNDER_18
    return {
        "profile_form": forms_given.get("profile_form")
        or forms.ProfileForm(initial=initial),
        "background_form": forms_given.get("background_form")
        or forms.BackgroundForm(
            initial=background_initial,
            districts=() if under_18 else selectors.district_choices(),
            under_18=under_18,
        ),
        "consents": consents,
    }


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def me(request: HttpRequest) -> HttpResponse:
    """Profile, background details with their consents, and the consent records."""
    if request.method == "POST":
        if ratelimit.limit_exceeded(
            f"account-write:user:{request.user.pk}",
            limit=ACCOUNT_WRITE_LIMIT,
            window_seconds=3600,
        ):
            messages.error(request, _("Too many changes in a short time. Try later."))
            return redirect("accounts:me")
        action = request.POST.get("action")
        if action == "profile":
            return _profile_save(request)
        if action == "background":
            return _background_save(request)
        if action == "withdraw":
            return _consent_withdraw(request)
        messages.error(request, _("Unknown action."))
        return redirect("accounts:me")
    return render(request, "accounts/me.html", _me_context(request))


def _profile_save(request: HttpRequest) -> HttpResponse:
    form = forms.ProfileForm(request.POST)
    if form.is_valid():
        try:
            user = services.profile_update(
                user=request.user,
                display_name=form.cleaned_data["display_name"],
                preferred_language=form.cleaned_data["preferred_language"],
            )
        except SERVICE_ERRORS as error:
            form_add_service_error(form, error)
        else:
            language = user.preferred_language
            with translation.override(language):
                messages.success(request, _("Your profile has been saved."))
            return _in_language(HttpResponseRedirect(_me_url(language)), language)
    context = _me_context(request, profile_form=form)
    return render(request, "accounts/me.html", context, status=400)


def _background_save(request: HttpRequest) -> HttpResponse:
    # Always the whole form: someone under 18 may be changing their age band,
    # and an under-18 age band makes the service ignore the rest anyway.
    form = forms.BackgroundForm(request.POST, districts=selectors.district_choices())
    if form.is_valid():
        try:
            services.background_save(
                user=request.user, consented=form.consented(), **form.details()
            )
        except SERVICE_ERRORS as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, _("Your background details have been saved."))
            return redirect("accounts:me")
    context = _me_context(request, background_form=form)
    return render(request, "accounts/me.html", context, status=400)


def _consent_withdraw(request: HttpRequest) -> HttpResponse:
    form = forms.WithdrawConsentForm(request.POST)
    if form.is_valid():
        purpose = form.cleaned_data["purpose"]
        services.consent_withdraw(user=request.user, purpose=purpose)
        if purpose == ConsentPurpose.PANEL_SELECTION:
            # This consent covers no detail: say what it changes instead.
            text = _("Consent withdrawn: you will not be invited to customer panels.")
        else:
            text = _("Consent withdrawn: the detail it covered has been erased.")
        messages.success(request, text)
    else:
        messages.error(request, _("Unknown consent purpose."))
    return redirect("accounts:me")


@never_cache
@login_required
@require_http_methods(["GET"])
def data_download(request: HttpRequest) -> HttpResponse:
    """Everything stored about the person, as a JSON attachment."""
    data = selectors.personal_data_export(request.user)
    body = json.dumps(
        {"exported_at": timezone.now(), **data},
        cls=DjangoJSONEncoder,
        ensure_ascii=False,
        indent=2,
    )
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="palvelupaja-personal-data-{stamp}.json"'
    )
    return response


@sensitive_post_parameters("password")
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest) -> HttpResponse:
    form = forms.AccountDeleteForm(
        request.POST or None, user=request.user, request=request
    )
    if request.method == "POST" and form.is_valid():
        services.account_delete(user=request.user)
        logout(request)
        messages.success(
            request,
            _(
                "Your account and personal data have been deleted. What you "
                "wrote stays, shown as written by a removed user."
            ),
        )
        return redirect(_home_url())
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/delete.html", {"form": form}, status=status)
