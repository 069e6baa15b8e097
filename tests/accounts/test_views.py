"""Sign-up, log-in, log-out, password reset and change, as a person uses them."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


@pytest.mark.parametrize("secure", [True, False])
def test_log_in_remembers_the_language_in_a_cookie_that_works_on_plain_http(
    client, secure
):
    """Production marks the language cookie Secure; the embedded profile, on
    plain http, must not, or the browser drops it (LANGUAGE_COOKIE_SECURE)."""
    UserFactory(email="aino@example.org", password=PASSWORD, preferred_language="sv")
    with override_settings(DEBUG=False, LANGUAGE_COOKIE_SECURE=secure):
        response = client.post(
            reverse("accounts:login"),
            {"username": "aino@example.org", "password": PASSWORD},
        )
    assert response.status_code == 302
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "sv"
    assert bool(cookie["secure"]) is secure


def test_signup_creates_the_account_and_logs_in(client):
    response = client.post(
        reverse("accounts:signup"),
        {
            "email": "Aino@example.org",
            "display_name": "Aino",
            "password1": "a quite long secret 42",
            "password2": "a quite long secret 42",
            "preferred_language": "sv",
        },
    )
    user = User.objects.get(email="aino@example.org")
    # Logged in, and taken to the profile in the language chosen.
    assert response.status_code == 302
    assert response["Location"] == "/sv/accounts/me/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "sv"
    assert client.session["_auth_user_id"] == str(user.pk)
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert b"aino@example.org" in page.content


def test_signup_form_is_labelled_and_shows_errors_tied_to_fields(client):
    page = client.get(reverse("accounts:signup"))
    html = page.content.decode()
    for name in ("email", "display_name", "password1", "password2"):
        assert f'<label for="id_{name}">' in html
    assert 'autocomplete="new-password"' in html
    assert 'autocomplete="email"' in html
    response = client.post(
        reverse("accounts:signup"),
        {
            "email": "not-an-address",
            "display_name": "A",
            "password1": "a quite long secret 42",
            "password2": "another one entirely 42",
            "preferred_language": "fi",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert not User.objects.exists()
    assert 'id="id_email_error"' in html
    assert re.search(r'aria-describedby="[^"]*id_email_error', html)
    assert re.search(r'aria-describedby="[^"]*id_password2_error', html)
    assert 'aria-invalid="true"' in html


def test_signup_refuses_weak_password_and_taken_address(client):
    UserFactory(email="taken@example.org")
    response = client.post(
        reverse("accounts:signup"),
        {
            "email": "TAKEN@example.org",
            "display_name": "B",
            "password1": "12345678",
            "password2": "12345678",
            "preferred_language": "fi",
        },
    )
    assert response.status_code == 200
    assert User.objects.count() == 1
    assert "_auth_user_id" not in client.session


def test_login_by_email_in_any_case_and_logout(client):
    user = UserFactory(email="matti@example.org", preferred_language="en")
    response = client.post(
        reverse("accounts:login"),
        {"username": "Matti@Example.org", "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/me/"
    assert client.session["_auth_user_id"] == str(user.pk)
    # Log-out is a POST; a GET does not log anyone out.
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_login_honours_a_safe_next_only(client):
    UserFactory(email="a@example.org")
    response = client.post(
        reverse("accounts:login"),
        {"username": "a@example.org", "password": PASSWORD, "next": "/dreams/"},
    )
    assert response["Location"] == "/dreams/"
    client.logout()
    response = client.post(
        reverse("accounts:login"),
        {
            "username": "a@example.org",
            "password": PASSWORD,
            "next": "https://evil.example/",
        },
    )
    assert "evil" not in response["Location"]


def test_wrong_password_gives_a_clear_error(client):
    UserFactory(email="a@example.org")
    response = client.post(
        reverse("accounts:login"), {"username": "a@example.org", "password": "nope"}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert response.context["form"].errors["__all__"]
    assert 'role="alert"' in response.content.decode()


def test_inactive_person_cannot_log_in(client):
    UserFactory(email="a@example.org", is_active=False)
    client.post(
        reverse("accounts:login"), {"username": "a@example.org", "password": PASSWORD}
    )
    assert "_auth_user_id" not in client.session


def test_me_requires_login(client):
    for name in ("accounts:me", "accounts:data", "accounts:delete"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    assert client.get(reverse("accounts:password_change")).status_code == 302


def test_password_reset_sends_a_link_that_works(client):
    user = UserFactory(email="reset@example.org")
    response = client.post(
        reverse("accounts:password_reset"), {"email": "Reset@example.org"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["reset@example.org"]
    assert "\n" not in message.subject
    link = re.search(r"https?://testserver(/\S+)", message.body).group(1)
    # Django swaps the token for a session marker on the first visit.
    response = client.get(link, follow=True)
    assert response.status_code == 200
    assert response.context["validlink"]
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url,
        {
            "new_password1": "brand new secret 99",
            "new_password2": "brand new secret 99",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_complete")
    user.refresh_from_db()
    assert user.check_password("brand new secret 99")
    # The link is used up.
    assert not client.get(link, follow=True).context["validlink"]


def test_password_reset_e_mail_speaks_the_persons_language(client):
    UserFactory(email="sv@example.org", preferred_language="sv")
    client.post(reverse("accounts:password_reset"), {"email": "sv@example.org"})
    message = mail.outbox[0]
    assert "/sv/accounts/password/reset/" in message.body
    assert message.subject == "Välj ett nytt lösenord för Palvelupaja"


def test_password_reset_for_unknown_address_sends_nothing_and_tells_nothing(client):
    response = client.post(
        reverse("accounts:password_reset"), {"email": "nobody@example.org"}
    )
    assert response.status_code == 302
    assert mail.outbox == []


@override_settings(PASSWORD_RESET_LIMIT=2)
def test_password_reset_requests_are_rate_limited(client):
    UserFactory(email="reset@example.org")
    for _ in range(2):
        client.post(reverse("accounts:password_reset"), {"email": "reset@example.org"})
    response = client.post(
        reverse("accounts:password_reset"), {"email": "reset@example.org"}
    )
    assert response.status_code == 200
    assert len(mail.outbox) == 2


def test_password_change(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "brand new secret 99",
            "new_password2": "brand new secret 99",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("brand new secret 99")
    # Still logged in after the change.
    assert client.get(reverse("accounts:me")).status_code == 200


def test_pages_answer_in_every_language(client):
    for prefix in ("", "/sv", "/en"):
        for path in (
            "/accounts/login/",
            "/accounts/signup/",
            "/accounts/password/reset/",
        ):
            response = client.get(prefix + path)
            assert response.status_code == 200, prefix + path


def test_logout_returns_to_the_home_page_in_the_same_language(client):
    client.force_login(UserFactory())
    response = client.post("/sv/accounts/logout/")
    assert response["Location"] == "/sv/"


@override_settings(SIGNUP_LIMIT=2)
def test_signups_are_rate_limited_per_ip(client):
    def signup(n):
        return client.post(
            reverse("accounts:signup"),
            {
                "email": f"new{n}@example.org",
                "display_name": f"New {n}",
                "password1": "a quite long secret 42",
                "password2": "a quite long secret 42",
                "preferred_language": "fi",
            },
        )

    for n in range(2):
        assert signup(n).status_code == 302
        client.logout()
    response = signup(3)
    assert response.status_code == 429
    assert not User.objects.filter(email="new3@example.org").exists()
    assert response.context["form"].non_field_errors()
