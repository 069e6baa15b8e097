"""API keys in core: scopes required by an API view, `manage.py issue_api_key`
(its last line is a working key), and refusals that write nothing."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import path
from django.utils import timezone
from rest_framework.response import Response
from rest_framework.views import APIView

from core import apikeys
from core.apikeys import (
    FEEDBACK_WRITE,
    OPERATOR,
    ApiKeyAuthentication,
    HasApiKeyScope,
)
from core.errors import Forbidden, Invalid
from core.models import ApiKey
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.test_apikeys")]


class FeedbackPostView(APIView):
    """Stands in for the feedback API: posting needs `feedback:write`."""

    authentication_classes = [ApiKeyAuthentication]
    permission_classes = [HasApiKeyScope(FEEDBACK_WRITE)]

    def post(self, request):
        return Response({"posted_by": request.auth.name}, status=201)


urlpatterns = [path("feedback/", FeedbackPostView.as_view())]


def issue(*scopes: str, name: str = "Palautesovellus", **kwargs):
    return apikeys.api_key_issue(
        user=OPERATOR, name=name, owner="Turun kaupunki", scopes=scopes, **kwargs
    )


def post(client, key: str | None, header: str = "HTTP_AUTHORIZATION"):
    extra = {} if key is None else {header: f"Api-Key {key}"}
    if header == "HTTP_X_API_KEY" and key is not None:
        extra = {header: key}
    return client.post("/feedback/", {"title": "Katuvalo"}, **extra)


def issue_by_command(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("issue_api_key", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_key_with_the_scope_may_post(client):
    _, key = issue(FEEDBACK_WRITE)
    response = post(client, key)
    assert response.status_code == 201
    assert response.json() == {"posted_by": "Palautesovellus"}
    assert post(client, key, header="HTTP_X_API_KEY").status_code == 201


def test_a_read_only_key_is_refused_with_403_naming_the_scope(client):
    api_key, key = issue()
    assert api_key.scope_list == ["read"]
    response = post(client, key)
    assert response.status_code == 403
    assert "feedback:write" in response.json()["detail"]


def test_no_key_is_401_asking_for_one(client):
    response = post(client, None)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Api-Key"
    assert "needs an API key" in response.json()["detail"]


@pytest.mark.parametrize("state", ["wrong", "revoked", "expired"])
def test_wrong_revoked_and_expired_keys_are_refused_with_401(client, state):
    api_key, key = issue(FEEDBACK_WRITE)
    assert post(client, key).status_code == 201
    if state == "wrong":
        key = key[:-4] + "abcd"
    elif state == "revoked":
        admin = UserFactory(is_superuser=True, is_staff=True)
        apikeys.api_key_revoke(user=admin, api_key=api_key)
    else:
        ApiKey.objects.filter(pk=api_key.pk).update(
            expiry_date=timezone.now() - datetime.timedelta(minutes=1)
        )
    response = post(client, key)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Api-Key"
    assert "not valid" in response.json()["detail"]


def test_command_prints_a_working_key_as_its_last_line(client):
    out, err = issue_by_command(
        "Palautesovellus", "--owner", "Turku, api@turku.example", "--scope",
        FEEDBACK_WRITE, "--expires", "2099-12-31",
    )  # fmt: skip
    key = out.splitlines()[-1]
    assert "Palautesovellus" in err
    assert post(client, key).status_code == 201
    api_key = ApiKey.objects.get_from_key(key)
    assert api_key.owner == "Turku, api@turku.example"
    assert api_key.scope_list == ["read", FEEDBACK_WRITE]
    # It stops working as that day begins, in the city's time.
    expires = timezone.localtime(api_key.expiry_date)
    assert (expires.date(), expires.hour) == (datetime.date(2099, 12, 31), 0)


def test_command_without_scopes_issues_a_read_key(client):
    out, _err = issue_by_command("Tutkimusryhmä")
    key = out.splitlines()[-1]
    api_key = ApiKey.objects.get_from_key(key)
    assert api_key.scope_list == ["read"]
    assert api_key.owner == "Tutkimusryhmä"
    assert api_key.expiry_date is None
    assert post(client, key).status_code == 403


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--scope", "feedback:delete"], "Unknown scope feedback:delete"),
        (["--expires", "2001-01-01"], "must be in the future"),
        (["--expires", "31.12.2099"], "YYYY-MM-DD"),
        (["--owner", "x" * 201], "At most 200"),
    ],
)
def test_command_refuses_bad_input_clearly_and_writes_nothing(args, message):
    with pytest.raises(CommandError, match=message):
        issue_by_command("Palautesovellus", *args)
    assert not ApiKey.objects.exists()


def test_service_refuses_unknown_scopes_and_non_administrators():
    with pytest.raises(Invalid) as error:
        issue("admin")
    assert error.value.field == "scopes"
    editor = UserFactory(is_staff=True)
    with pytest.raises(Forbidden):
        apikeys.api_key_issue(user=editor, name="x", owner="y")
    with pytest.raises(Forbidden):
        apikeys.api_key_issue(user=None, name="x", owner="y")
    assert not ApiKey.objects.exists()


def test_scopes_are_stored_in_one_order_and_always_include_read():
    api_key, _ = issue(FEEDBACK_WRITE, "read", FEEDBACK_WRITE)
    assert api_key.scopes == "read feedback:write"
    assert api_key.has_scope("read") and api_key.has_scope(FEEDBACK_WRITE)
    with transaction.atomic(), pytest.raises(IntegrityError):
        ApiKey.objects.filter(pk=api_key.pk).update(scopes=FEEDBACK_WRITE)


def test_unknown_scope_in_a_view_is_a_programming_error():
    with pytest.raises(ValueError, match="feedback:read"):
        HasApiKeyScope("feedback:read")
