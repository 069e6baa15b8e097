"""The move to one shared `ServiceState` per service keeps what the copies said.

Migrates back to before the move, writes language copies that disagree (the
way the platform stored them then), migrates forward and checks the one record:
the Finnish copy's values, an answer published on any copy kept.
"""

import uuid
from datetime import timedelta

import pytest
from django.apps import apps as live_apps
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from participation.models import Lifecycle, PlannedServicePage, ServiceState
from tests.migrating import latest, migrate, once_on_postgresql

BEFORE = [("participation", "0007_delete_district")]


@once_on_postgresql
@pytest.mark.django_db(transaction=True)
def test_copies_become_one_state():
    try:
        executor = migrate(BEFORE)
        apps = executor.loader.project_state(BEFORE).apps
        Page = apps.get_model("participation", "PlannedServicePage")
        Locale = apps.get_model("wagtailcore", "Locale")
        OldContentType = apps.get_model("contenttypes", "ContentType")
        page_type, _ = OldContentType.objects.get_or_create(
            app_label="participation", model="plannedservicepage"
        )
        now = timezone.now()
        count = 0

        def page(key, language, **fields):
            nonlocal count
            count += 1
            return Page.objects.create(
                title=f"Palvelu {count}",
                slug=f"palvelu-{count}",
                path=f"0001Y{count:03d}",
                depth=2,
                content_type=page_type,
                locale=Locale.objects.get_or_create(language_code=language)[0],
                translation_key=key,
                live=True,
                summary="Tiivistelmä",
                **fields,
            )

        library, youth, lonely = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
        closes = now + timedelta(days=10)
        # The English copy was made first, but the Finnish one is the source.
        en = page(library, "en", status="closed", allow_anonymous=False)
        fi = page(
            library,
            "fi",
            status="open",
            comments_close_at=closes,
            allow_anonymous=True,
            report_threshold=5,
        )
        sv = page(library, "sv", status="planning")
        # The answer was published on the Swedish copy only.
        answered_at = now - timedelta(days=1)
        youth_fi = page(youth, "fi", status="closed")
        youth_sv = page(youth, "sv", status="answered", answer_published_at=answered_at)
        single = page(lonely, "sv", status="decided", premoderated=True)

        migrate(latest())

        assert ServiceState.objects.count() == 3
        state = ServiceState.objects.get(translation_key=library)
        assert state.status == Lifecycle.OPEN
        assert state.comments_close_at == closes
        assert (state.allow_anonymous, state.report_threshold) == (True, 5)
        assert set(
            PlannedServicePage.objects.filter(translation_key=library).values_list(
                "state_id", flat=True
            )
        ) == {state.pk}
        for old in (en, fi, sv):
            assert PlannedServicePage.objects.get(pk=old.pk).status == "open"
        youth_state = ServiceState.objects.get(translation_key=youth)
        assert youth_state.answer_published_at == answered_at
        assert youth_state.status == Lifecycle.ANSWERED
        for old in (youth_fi, youth_sv):
            assert PlannedServicePage.objects.get(pk=old.pk).answer_is_public
        alone = PlannedServicePage.objects.get(pk=single.pk)
        assert (alone.status, alone.premoderated) == ("decided", True)
    finally:
        migrate(latest())
        # Fill the content type cache again while the rows exist (see
        # tests/discussions/test_migrations.py for why).
        ContentType.objects.get_for_models(*live_apps.get_models())
