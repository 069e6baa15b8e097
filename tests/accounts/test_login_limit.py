"""Password guesses are limited per account and address, per address, and per
account with growing delays (accounts/password_guard.py)."""

import threading

import pytest
from django.core.cache import cache
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils.html import escape

from tests.factories import UserFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("_small_limit"),
]

PASSWORD = "correct horse battery"
LIMIT = 3


@pytest.fixture
def _small_limit():
    cache.clear()
    with override_settings(
        LOGIN_FAILURE_LIMIT=LIMIT,
        LOGIN_FAILURE_WINDOW_SECONDS=600,
        LOGIN_ADDRESS_LIMIT=LIMIT,
        LOGIN_MAX_DELAY_SECONDS=60,
    ):
        yield
    cache.clear()


def _login(client, email, password, ip="10.0.0.1", path=None):
    return client.post(
        path or reverse("accounts:login"),
        {"username": email, "password": password},
        REMOTE_ADDR=ip,
    )


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_after_the_limit_even_the_right_password_is_refused(client, monkeypatch):
    UserFactory(email="a@example.org")
    for _ in range(LIMIT):
        _login(client, "a@example.org", "wrong")
    checked = []
    from django.contrib.auth.backends import ModelBackend

    original = ModelBackend.authenticate
    monkeypatch.setattr(
        ModelBackend,
        "authenticate",
        lambda self, *a, **kw: checked.append(1) or original(self, *a, **kw),
    )
    response = _login(client, "a@example.org", PASSWORD)
    assert response.status_code == 200
    assert not _logged_in(client)
    assert checked == []  # the password was not even checked
    assert response.context["form"].has_error("__all__", code="rate_limited")
    # The refusal is on the page, not only in the form object.
    message = response.context["form"].errors["__all__"][0]
    assert escape(message) in response.content.decode()


def test_the_limited_person_is_told_clearly(client):
    for _ in range(LIMIT):
        _login(client, "a@example.org", "wrong")
    response = _login(client, "a@example.org", PASSWORD, path="/en/accounts/login/")
    html = response.content.decode()
    assert "Too many failed log-ins. Try again in 10 minutes" in html
    assert 'role="alert"' in html
    response = _login(client, "a@example.org", PASSWORD, path="/accounts/login/")
    assert "Liian monta epäonnistunutta kirjautumista" in response.content.decode()


def test_guesses_from_elsewhere_never_lock_the_owner_out(client):
    UserFactory(email="a@example.org")
    for _ in range(LIMIT):
        _login(client, "a@example.org", "wrong", ip="10.0.1.1")
    # That address is locked out of the account ...
    response = _login(client, "A@example.org", PASSWORD, ip="10.0.1.1")
    assert response.context["form"].has_error("__all__", code="rate_limited")
    assert not _logged_in(client)
    # ... but the owner, from their own address, gets in at once.
    _login(client, "a@example.org", PASSWORD, ip="10.0.2.1")
    assert _logged_in(client)


def test_guessing_from_many_addresses_meets_a_growing_delay(client):
    UserFactory(email="a@example.org")
    for n in range(LIMIT):
        _login(client, "a@example.org", "wrong", ip=f"10.0.1.{n}")
    # Past the limit, one check per delay gets through, from any address ...
    response = _login(client, "a@example.org", "wrong", ip="10.0.3.1")
    assert response.context["form"].has_error("__all__", code="invalid_login")
    # ... and the next one right after it is refused unchecked.
    response = _login(client, "a@example.org", PASSWORD, ip="10.0.3.2")
    assert response.context["form"].has_error("__all__", code="rate_limited")
    assert not _logged_in(client)
    # Waiting out the delay (here: forgetting its slot) lets the owner in.
    from accounts.password_guard import _keys

    cache.delete(f"{_keys(None, 'a@example.org')[2]}:slot")
    _login(client, "a@example.org", PASSWORD, ip="10.0.3.2")
    assert _logged_in(client)


def test_the_delay_doubles_with_each_attempt_up_to_the_cap():
    from accounts.password_guard import begin_check

    request = RequestFactory().post("/")
    for n in range(LIMIT):
        request.META["REMOTE_ADDR"] = f"10.4.{n}.1"  # a new address each time
        check = begin_check(request, "a@example.org")
        assert check.allowed
        check.failed()
    waits = []
    for n in range(10):
        request.META["REMOTE_ADDR"] = f"10.5.{n}.1"
        check = begin_check(request, "a@example.org")
        if check.allowed:
            check.failed()
        else:
            waits.append(check.retry_after)
    assert len(waits) >= 8
    assert waits == sorted(waits)
    assert waits[0] <= 8
    assert max(waits) == 60


@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_guesses_get_only_the_limit_checked():
    """The attack: fifty wrong passwords at once were all hashed; now the
    counter is taken before the hash, so only the limit's worth are."""
    from accounts.password_guard import begin_check

    start = threading.Barrier(50)
    allowed = []
    lock = threading.Lock()

    def guess():
        request = RequestFactory().post("/", REMOTE_ADDR="10.7.7.7")
        start.wait()
        check = begin_check(request, "victim@example.org")
        if check.allowed:
            with lock:
                allowed.append(check)
            check.failed()

    threads = [threading.Thread(target=guess) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(allowed) == LIMIT


def test_limit_per_ip_holds_across_email_addresses(client):
    UserFactory(email="victim@example.org")
    for n in range(LIMIT):
        _login(client, f"guess{n}@example.org", "wrong", ip="10.9.9.9")
    response = _login(client, "victim@example.org", PASSWORD, ip="10.9.9.9")
    assert response.context["form"].has_error("__all__", code="rate_limited")
    assert not _logged_in(client)
    # The same person from another IP address gets in.
    _login(client, "victim@example.org", PASSWORD, ip="10.9.9.10")
    assert _logged_in(client)


def test_failures_below_the_limit_do_not_block(client):
    UserFactory(email="a@example.org")
    for _ in range(LIMIT - 1):
        _login(client, "a@example.org", "wrong")
    _login(client, "a@example.org", PASSWORD)
    assert _logged_in(client)


def test_success_does_not_reset_the_ip_counter(client):
    """An attacker's own account must not let them keep guessing from one IP."""
    UserFactory(email="attacker@example.org")
    UserFactory(email="victim@example.org")
    for _ in range(LIMIT - 1):
        _login(client, "victim@example.org", "guess", ip="10.6.6.6")
    _login(client, "attacker@example.org", PASSWORD, ip="10.6.6.6")
    assert _logged_in(client)
    client.logout()
    _login(client, "victim@example.org", "guess", ip="10.6.6.6")
    response = _login(client, "victim@example.org", PASSWORD, ip="10.6.6.6")
    assert response.context["form"].has_error("__all__", code="rate_limited")


def test_success_resets_the_own_email_counter(client):
    UserFactory(email="a@example.org")
    for _ in range(LIMIT - 1):
        _login(client, "a@example.org", "wrong", ip="10.0.0.1")
    _login(client, "a@example.org", PASSWORD, ip="10.0.0.2")
    assert _logged_in(client)
    client.logout()
    # A fresh IP, so only the e-mail counter could block: it was cleared.
    for _ in range(LIMIT - 1):
        _login(client, "a@example.org", "wrong", ip="10.0.0.3")
    _login(client, "a@example.org", PASSWORD, ip="10.0.0.4")
    assert _logged_in(client)


def test_unknown_addresses_count_too(client):
    """Guessing at an e-mail nobody has is limited the same way, so the answers
    do not tell which addresses have accounts."""
    for _ in range(LIMIT):
        _login(client, "nobody@example.org", "wrong", ip="10.1.1.1")
    response = _login(client, "nobody@example.org", "wrong", ip="10.1.1.1")
    assert response.context["form"].has_error("__all__", code="rate_limited")


def test_the_admin_login_is_limited_the_same_way(client):
    UserFactory(email="editor@example.org", is_superuser=True)
    admin_login = reverse("wagtailadmin_login")
    for _ in range(LIMIT):
        _login(client, "editor@example.org", "wrong", path=admin_login)
    response = _login(client, "editor@example.org", PASSWORD, path=admin_login)
    assert response.status_code == 200
    assert not _logged_in(client)
    assert response.context["form"].has_error("__all__", code="rate_limited")


def test_password_confirmations_count_like_failed_logins(client):
    user = UserFactory(email="a@example.org")
    client.force_login(user)
    for _ in range(LIMIT - 1):
        response = client.post(
            reverse("accounts:delete"), {"password": "guess"}, REMOTE_ADDR="10.0.0.1"
        )
        assert response.status_code == 400
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "guess", "new_password1": "x" * 12, "new_password2": "x" * 12},
        REMOTE_ADDR="10.0.0.1",
    )
    assert response.context["form"].has_error("old_password", code="password_incorrect")
    # Now even the right password is refused, on both forms.
    response = client.post(
        reverse("accounts:delete"), {"password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    assert response.context["form"].has_error("password", code="rate_limited")
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "brand new secret 99",
            "new_password2": "brand new secret 99",
        },
        REMOTE_ADDR="10.0.0.1",
    )
    assert response.context["form"].has_error("old_password", code="rate_limited")
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
