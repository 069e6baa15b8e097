"""The data migration counts each dream's supports of the trending window.

Migrates the test database back to the state with the new `trend` column but
before its counts (0010), writes dreams and supports there with the historical
models (recent ones and ones older than the window), migrates forward and checks
that each dream's `trend` holds its recent supports only.
"""

from datetime import timedelta

import pytest
from django.apps import apps as live_apps
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from ideas.models import TRENDING_DAYS, Dream
from tests.migrating import latest, migrate, once_on_postgresql

BEFORE = [("ideas", "0010_dream_trend")]


@once_on_postgresql
@pytest.mark.django_db(transaction=True)
def test_the_data_migration_counts_the_supports_of_the_window():
    try:
        executor = migrate(BEFORE)
        old = executor.loader.project_state(BEFORE).apps
        OldDream = old.get_model("ideas", "Dream")
        OldSupport = old.get_model("ideas", "DreamSupport")

        def dream(title):
            return OldDream.objects.create(
                title=title, description="Kuvaus", target_group="everyone"
            )

        rising, faded, quiet = dream("Nouseva"), dream("Hiipunut"), dream("Hiljainen")
        aged = timezone.now() - timedelta(days=TRENDING_DAYS, hours=2)
        for n, (target, recent) in enumerate(
            [(rising, True), (rising, True), (rising, False), (faded, False)]
        ):
            support = OldSupport.objects.create(
                dream=target, anonymous_key=f"00000000-0000-0000-0000-00000000000{n}"
            )
            if not recent:
                OldSupport.objects.filter(pk=support.pk).update(created_at=aged)

        migrate(latest())

        counted = dict(Dream.objects.values_list("title", "trend"))
        assert counted == {"Nouseva": 2, "Hiipunut": 0, "Hiljainen": 0}
        assert quiet.pk in Dream.objects.values_list("pk", flat=True)
    finally:
        migrate(latest())
        # Fill the content type cache again while the rows exist (see
        # tests/discussions/test_migrations.py for why).
        ContentType.objects.get_for_models(*live_apps.get_models())
