"""The `panels` dataset: panels with the fit figure, meetings and links to
published results; never a member, an applicant or a per-group share."""

from datetime import timedelta

import pytest
from django.utils import timezone

from opendata.models import Tombstone
from tests.factories import UserFactory
from tests.opendata.test_api import api_rows, download
from tests.workshops.panels.conftest import (
    apply,
    close,
    make_districts,
    make_figures,
    make_panel,
)
from workshops import services as workshop_services
from workshops.panels import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def facilitator(city):
    from accounts.models import Role
    from accounts.services import role_grant

    user = UserFactory(display_name="Fasilitaattori Fanni", email="fanni@example.org")
    role_grant(user=user, city=city, role=Role.FACILITATOR)
    return user


@pytest.fixture
def panel(facilitator, city):
    make_figures(city, make_districts(city))
    return make_panel(facilitator, city)


def test_a_drawn_panel_with_published_results(client, panel, facilitator):
    applicant = UserFactory(display_name="Hakija Heikki", email="heikki@example.org")
    apply(panel, {"gender": "male", "age_band": "30_44"}, user=applicant)
    apply(panel, {"gender": "female"})
    meeting = services.panel_meeting_add(
        user=facilitator,
        panel=panel,
        title="Kokous",
        method="customer_panel",
        starts_at=timezone.now() - timedelta(hours=2),
        place='=HYPERLINK("x")',
    )
    services.panel_draw(user=facilitator, panel=close(panel))
    [row] = api_rows(client, "panels")
    assert row["theme"] == "Kirjastoraati <script>alert(1)</script>"
    assert row["city"] == "helsinki" and row["size"] == 4
    assert row["term_starts_on"] == "2027-01-01"
    assert row["languages"] == ["fi", "sv"]
    assert row["meetings"] == 1 and row["results"] == []
    assert isinstance(row["fit"], float)
    assert row["algorithm"] == "greedy-quota/1"
    since = row["updated_at"]

    workshop_services.workshop_close(user=facilitator, workshop=meeting.workshop)
    workshop_services.workshop_publish(user=facilitator, workshop=meeting.workshop)
    [row] = api_rows(client, "panels", updated_since=since)
    [link] = row["results"]
    assert link.startswith("http") and "/en/" not in link
    assert link.endswith(f"/workshops/{meeting.workshop_id}/results/")

    blob = b"".join(download(client, "panels", f) for f in ("csv", "jsonl"))
    assert b"Kirjastoraati" in blob
    for secret in (b"Heikki", b"heikki@example.org", b"Fanni", b"18_29", b"male"):
        assert secret not in blob


def test_the_list_runs_a_fixed_number_of_queries(
    client, panel, facilitator, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        api_rows(client, "panels")
    for n in range(4):
        services.panel_meeting_add(
            user=facilitator,
            panel=panel,
            title=f"Kokous {n}",
            method="brainstorming",
            starts_at=timezone.now(),
            online=True,
        )
    with django_assert_max_num_queries(len(one)):
        [row] = api_rows(client, "panels")
    assert row["meetings"] == 4


def test_a_deleted_panel_is_a_tombstone(client, panel):
    since = api_rows(client, "panels")[0]["updated_at"]
    pk = panel.pk
    panel.delete()
    assert Tombstone.objects.filter(dataset="panels", object_id=pk).exists()
    rows = api_rows(client, "panels", updated_since=since)
    assert rows and rows[-1]["removed"] is True
