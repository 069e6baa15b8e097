"""API keys: issued and revoked by administrators in the Wagtail admin, stored
only as a hash, and raising the request limit of the API and the downloads."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from accounts.models import Role
from accounts.services import role_grant
from core import apikeys as services
from core.models import ApiKey
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ADMIN_URL = "/admin/api-keys/"


@pytest.fixture
def admin():
    return UserFactory(is_superuser=True, is_staff=True, display_name="Ylläpitäjä")


def issue(admin, name="Tutkimusryhmä", owner="Yliopisto, data@example.org"):
    return services.api_key_issue(user=admin, name=name, owner=owner)


def test_default_limits_are_60_anonymous_and_600_with_a_key(client, admin):
    response = client.get("/api/v1/comments/")
    assert response["X-RateLimit-Limit"] == "60"
    assert response["X-RateLimit-Remaining"] == "59"
    assert 0 < int(response["X-RateLimit-Reset"]) <= 60
    _, key = issue(admin)
    keyed = client.get("/api/v1/comments/", HTTP_AUTHORIZATION=f"Api-Key {key}")
    assert keyed.status_code == 200
    assert keyed["X-RateLimit-Limit"] == "600"
    assert keyed["X-RateLimit-Remaining"] == "599"


@override_settings(OPENDATA_ANON_PER_MINUTE=2, OPENDATA_KEY_PER_MINUTE=4)
def test_a_key_has_its_own_higher_limit_on_api_and_downloads(client, admin):
    _, key = issue(admin)
    for _i in range(2):
        assert client.get("/api/v1/dreams/").status_code == 200
    assert client.get("/api/v1/dreams/").status_code == 429
    header = {"HTTP_X_API_KEY": key}
    urls = ["/api/v1/dreams/", "/api/v1/exports/dreams.csv", "/api/v1/catalog.jsonld"]
    for remaining, url in zip((3, 2, 1), urls, strict=True):
        response = client.get(url, **header)
        assert response.status_code == 200, url
        assert response["X-RateLimit-Limit"] == "4"
        assert response["X-RateLimit-Remaining"] == str(remaining)
    assert client.get("/api/v1/exports/dreams.jsonl", **header).status_code == 200
    refused = client.get("/api/v1/exports/dreams.csv", **header)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert refused["X-RateLimit-Remaining"] == "0"


@pytest.mark.parametrize(
    "header",
    [
        {"HTTP_AUTHORIZATION": "Api-Key wrong.key"},
        {"HTTP_X_API_KEY": "nonsense"},
        {"HTTP_AUTHORIZATION": "Api-Key "},
    ],
)
def test_invalid_key_is_refused_clearly(client, header):
    response = client.get("/api/v1/comments/", **header)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Api-Key"
    body = response.json()
    assert "not valid" in body["detail"]
    download = client.get("/api/v1/exports/comments.csv", **header)
    assert download.status_code == 401


def test_revoked_and_expired_keys_are_refused(client, admin):
    api_key, key = issue(admin)
    expired, expired_key = issue(admin, name="Vanha")
    ApiKey.objects.filter(pk=expired.pk).update(
        expiry_date=timezone.now() - timedelta(days=1)
    )
    assert client.get("/api/v1/", HTTP_X_API_KEY=key).status_code == 200
    services.api_key_revoke(user=admin, api_key=api_key)
    assert client.get("/api/v1/", HTTP_X_API_KEY=key).status_code == 401
    assert client.get("/api/v1/", HTTP_X_API_KEY=expired_key).status_code == 401


def test_key_is_stored_only_as_a_hash_and_use_is_recorded(client, admin):
    api_key, key = issue(admin)
    stored = ApiKey.objects.filter(pk=api_key.pk).values().get()
    secret = key.split(".", 1)[1]
    assert all(secret not in str(value) for value in stored.values())
    assert stored["last_used_at"] is None
    client.get("/api/v1/", HTTP_AUTHORIZATION=f"Api-Key {key}")
    api_key.refresh_from_db()
    assert api_key.last_used_at is not None


def test_only_superusers_issue_and_revoke(city, admin):
    editor = UserFactory()
    role_grant(user=editor, city=city, role=Role.EDITOR)
    with pytest.raises(PermissionDenied):
        issue(editor)
    api_key, _ = issue(admin)
    with pytest.raises(PermissionDenied):
        services.api_key_revoke(user=editor, api_key=api_key)
    with pytest.raises(ValidationError):
        services.api_key_issue(user=admin, name="  ", owner="")
    with pytest.raises(ValidationError):
        services.api_key_issue(
            user=admin,
            name="x",
            owner="y",
            expires_at=timezone.now() - timedelta(hours=1),
        )
    services.api_key_revoke(user=admin, api_key=api_key)
    with pytest.raises(ValidationError):
        services.api_key_revoke(user=admin, api_key=api_key)
    assert ApiKey.objects.count() == 1


def test_admin_issues_a_key_shown_once_and_revokes_it(client, admin):
    client.force_login(admin)
    page = client.get(ADMIN_URL)
    assert page.status_code == 200
    assert b"Api-Key" in page.content
    response = client.post(
        ADMIN_URL, {"name": "Yritys Oy", "owner": "Yritys Oy, api@yritys.example"}
    )
    assert response.status_code == 200
    key = response.context["issued_key"]
    assert key and key.encode() in response.content
    assert client.get("/api/v1/", HTTP_X_API_KEY=key)["X-RateLimit-Limit"] == "600"
    listing = client.get(ADMIN_URL)
    assert key.encode() not in listing.content
    assert b"Yritys Oy" in listing.content
    api_key = ApiKey.objects.get()
    revoke = client.post(f"{ADMIN_URL}{api_key.prefix}/revoke/")
    assert revoke.status_code == 302
    assert client.get("/api/v1/", HTTP_X_API_KEY=key).status_code == 401


def test_admin_form_errors_write_nothing(client, admin):
    client.force_login(admin)
    response = client.post(ADMIN_URL, {"name": "", "owner": ""})
    assert response.status_code == 400
    assert response.context["issued_key"] is None
    assert ApiKey.objects.count() == 0


def test_non_superusers_cannot_open_the_key_admin(client, city, admin):
    editor = UserFactory()
    role_grant(user=editor, city=city, role=Role.EDITOR)
    client.force_login(editor)
    assert client.get(ADMIN_URL).status_code in (302, 403)
    assert client.post(ADMIN_URL, {"name": "x", "owner": "y"}).status_code in (
        302,
        403,
    )
    api_key, key = issue(admin)
    client.post(f"{ADMIN_URL}{api_key.prefix}/revoke/")
    api_key.refresh_from_db()
    assert not api_key.revoked
    assert ApiKey.objects.count() == 1


def test_admin_chooses_scopes_and_lists_them(client, admin):
    client.force_login(admin)
    page = client.get(ADMIN_URL)
    assert b'value="feedback:write"' in page.content
    response = client.post(
        ADMIN_URL,
        {"name": "Palautesovellus", "owner": "Turku", "scopes": ["feedback:write"]},
    )
    assert response.status_code == 200
    key = response.context["issued_key"]
    api_key = ApiKey.objects.get_from_key(key)
    assert api_key.scope_list == ["read", "feedback:write"]
    issue(admin, name="Vain luku")
    listing = client.get(ADMIN_URL).content.decode()
    assert "<code>read</code>, <code>feedback:write</code>" in listing
    assert listing.count("<code>read</code></td>") == 1
    # A key with write scope has the open data API's higher limit as well.
    assert client.get("/api/v1/", HTTP_X_API_KEY=key)["X-RateLimit-Limit"] == "600"


def test_admin_refuses_an_unknown_scope_and_writes_nothing(client, admin):
    client.force_login(admin)
    response = client.post(
        ADMIN_URL, {"name": "Yritys", "owner": "Yritys Oy", "scopes": ["admin"]}
    )
    assert response.status_code == 400
    assert response.context["form"].has_error("scopes")
    assert ApiKey.objects.count() == 0
