"""The move of API keys from opendata to core keeps every key working.

Migrates the test database back to before the move, issues a key the way the old
code stored it (prefix and hash in `opendata_apikey`) and gives a group a
permission on it, migrates forward again and checks that the key still
authenticates, now with the `read` scope, and that its content type, permission
and group followed it.
"""

import pytest
from django.apps import apps as live_apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

from core.apikeys import api_key_for
from core.models import ApiKey
from tests.migrating import latest, migrate, once_on_postgresql

BEFORE = [("opendata", "0001_initial"), ("core", "0004_places_topics_population")]


@once_on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_key_issued_before_the_move_still_authenticates():
    try:
        executor = migrate(BEFORE)
        old = executor.loader.project_state(BEFORE).apps
        OldApiKey = old.get_model("opendata", "ApiKey")
        OldContentType = old.get_model("contenttypes", "ContentType")
        OldPermission = old.get_model("auth", "Permission")
        old_key = OldApiKey(name="Tutkimusryhmä", owner="Yliopisto")
        # As the old code's create_key did: only the prefix and a hash are kept.
        key = ApiKey.objects.assign_key(old_key)
        old_key.save()
        key_type = OldContentType.objects.get(app_label="opendata", model="apikey")
        view_key = OldPermission.objects.get(
            content_type=key_type, codename="view_apikey"
        )
        group = old.get_model("auth", "Group").objects.create(name="Key readers")
        group.permissions.add(view_key)

        migrate(latest())

        api_key = api_key_for(key)
        assert api_key.pk == old_key.id
        assert (api_key.name, api_key.owner) == ("Tutkimusryhmä", "Yliopisto")
        assert api_key.scope_list == ["read"]
        assert ContentType.objects.get(pk=key_type.pk).app_label == "core"
        assert not ContentType.objects.filter(app_label="opendata", model="apikey")
        permission = Permission.objects.get(pk=view_key.pk)
        assert permission.content_type.app_label == "core"
        assert (
            Group.objects.get(name="Key readers")
            .permissions.filter(pk=permission.pk)
            .exists()
        )
    finally:
        migrate(latest())
        # Fill the content type cache again while the rows exist (see
        # tests/discussions/test_migrations.py for why).
        ContentType.objects.get_for_models(*live_apps.get_models())
