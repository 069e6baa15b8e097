"""Panel pages: the public list and page, applying, the facilitators' page,
permissions, bad input and query counts."""

import json

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.workshops.panels.conftest import apply, close
from workshops.panels import services
from workshops.panels.models import PanelApplication

pytestmark = pytest.mark.django_db


def _client(client, user):
    client.force_login(user)
    return client


def test_the_list_groups_panels_by_city_in_a_fixed_number_of_queries(
    client, panel, facilitator, city, other_city, django_assert_max_num_queries
):
    from datetime import date, timedelta

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from accounts.models import Role
    from accounts.services import role_grant

    role_grant(user=facilitator, city=other_city, role=Role.FACILITATOR)
    with CaptureQueriesContext(connection) as one_panel:
        client.get("/panels/")
    for n in range(5):
        services.panel_create(
            user=facilitator,
            city=other_city if n % 2 else city,
            theme=f"Raati {n}",
            size=5,
            term_starts_on=date(2027, 1, 1),
            term_ends_on=date(2027, 6, 1),
            applications_close_at=timezone.now() + timedelta(days=1),
            criteria=[],
        )
    with django_assert_max_num_queries(len(one_panel)):
        response = client.get("/panels/")
    html = response.content.decode()
    assert html.index("Helsinki") < html.index("Raati 0") < html.index("Turku")
    assert "Kirjastoraati &lt;script&gt;" in html
    assert "<script>alert(1)" not in html


def test_the_panel_page_publishes_the_seed_hash_not_the_seed(client, panel):
    html = client.get(f"/en/panels/{panel.pk}/").content.decode()
    assert panel.seed_hash in html
    assert panel.seed not in html
    assert "greedy-quota/1" in html
    assert "Apply to the panel" in html
    assert "by: age band, gender, home district." in html
    assert "first language" not in html  # not a criterion of this panel


def test_after_the_draw_the_page_shows_seed_pool_hash_and_one_fit_figure(
    client, panel, facilitator, districts
):
    for gender in ("male", "female", "female", "male", "female"):
        apply(panel, {"gender": gender, "district": str(districts[0].pk)})
    services.panel_draw(user=facilitator, panel=close(panel))
    panel.refresh_from_db()
    html = client.get(f"/en/panels/{panel.pk}/").content.decode()
    assert panel.seed in html and panel.pool_hash in html
    assert "percentage points" in html
    assert "Target" not in html  # no per-segment shares in public


def test_applying_needs_an_account(client, panel):
    response = client.get(f"/en/panels/{panel.pk}/apply/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_apply_change_and_withdraw_through_the_pages(client, panel, districts):
    user = UserFactory()
    _client(client, user)
    url = f"/en/panels/{panel.pk}/apply/"
    page = client.get(url).content.decode()
    assert 'name="consent"' in page and 'name="age_band"' in page
    assert 'name="first_language"' not in page  # the panel does not ask it
    response = client.post(
        url,
        {
            "gender": "female",
            "district": str(districts[1].pk),
            "consent": "on",
            "availability": ["weekend"],
        },
    )
    assert response.status_code == 302
    application = PanelApplication.objects.get(user=user)
    assert application.answers == {"gender": "female", "district": str(districts[1].pk)}
    assert application.availability == ["weekend"]
    client.post(f"/en/panels/{panel.pk}/withdraw/")
    application.refresh_from_db()
    assert application.status == "withdrawn"


@pytest.mark.parametrize(
    "data",
    [
        {"gender": "female"},  # no consent
        {"gender": "<script>", "consent": "on"},
        {"district": "x' OR 1=1", "consent": "on"},
        {"availability": ["always"], "consent": "on"},
    ],
)
def test_a_bad_application_shows_the_form_again(client, panel, data):
    _client(client, UserFactory())
    response = client.post(f"/en/panels/{panel.pk}/apply/", data)
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not PanelApplication.objects.exists()


def test_an_invited_member_confirms_on_the_page(client, panel, facilitator):
    application = apply(panel, {"gender": "male"})
    services.panel_draw(user=facilitator, panel=close(panel))
    _client(client, application.user)
    page = client.get(f"/en/panels/{panel.pk}/apply/").content.decode()
    assert "Yes, I take part" in page
    client.post(f"/en/panels/{panel.pk}/respond/", {"answer": "accept"})
    application.refresh_from_db()
    assert application.status == "member"


@pytest.mark.parametrize(
    "path",
    ["manage/", "pool.json"],
)
def test_facilitator_pages_are_refused_to_others(client, panel, path):
    assert client.get(f"/en/panels/{panel.pk}/{path}").status_code == 302
    _client(client, UserFactory())
    assert client.get(f"/en/panels/{panel.pk}/{path}").status_code == 403


@pytest.mark.parametrize(
    "action", ["draw/", "close/", "end/", "criteria/", "meetings/"]
)
def test_facilitator_actions_are_refused_to_residents(client, panel, action):
    _client(client, UserFactory())
    assert client.post(f"/en/panels/{panel.pk}/{action}").status_code == 403
    panel.refresh_from_db()
    assert not panel.is_drawn and not panel.has_ended


def test_unknown_panels_are_404(client):
    assert client.get("/en/panels/999999/").status_code == 404


def test_the_facilitator_sees_targets_against_drawn_shares_and_the_reserve(
    client, panel, facilitator, districts, django_assert_max_num_queries
):
    for n in range(8):
        apply(panel, {"gender": ("male", "female")[n % 2], "age_band": "18_29"})
    _client(client, facilitator)
    client.post(f"/en/panels/{panel.pk}/close/")
    client.post(f"/en/panels/{panel.pk}/draw/")
    panel.refresh_from_db()
    assert panel.is_drawn
    with django_assert_max_num_queries(20):
        html = client.get(f"/en/panels/{panel.pk}/manage/").content.decode()
    assert "Target and drawn shares" in html
    assert "50.0 %" in html  # gender: the city's half and half, drawn so
    assert "Reserve list" in html
    pool = json.loads(client.get(f"/en/panels/{panel.pk}/pool.json").content)
    assert pool["pool_hash"] == panel.pool_hash and len(pool["pool"]) == 8
    assert all(set(row) == {"id", "strata"} for row in pool["pool"])


def test_meetings_attendance_and_joining_through_the_pages(client, panel, facilitator):
    application = apply(panel, {"gender": "male"})
    _client(client, facilitator)
    response = client.post(
        f"/en/panels/{panel.pk}/meetings/",
        {
            "title": "Kokous",
            "method": "brainstorming",
            "starts_at": "2027-01-10T17:00",
            "online": "on",
        },
    )
    assert response.status_code == 302
    meeting = panel.meetings.get()
    bad = client.post(
        f"/en/panels/{panel.pk}/meetings/",
        {"title": "Kokous", "method": "nope", "starts_at": "eilen"},
    )
    assert bad.status_code == 302 and panel.meetings.count() == 1
    client.post(f"/en/panels/{panel.pk}/close/")
    client.post(f"/en/panels/{panel.pk}/draw/")
    services.invitation_respond(user=application.user, panel=panel, accept=True)
    attendance = f"/en/panels/{panel.pk}/meetings/{meeting.pk}/attendance/"
    assert client.get(attendance).status_code == 200
    client.post(attendance, {"present": [str(application.pk)]})
    assert meeting.attendance.get().present
    client.logout()
    _client(client, application.user)
    page = client.get(f"/en/panels/{panel.pk}/").content.decode()
    assert reverse("workshops:panel_meeting_join", args=[panel.pk, meeting.pk]) in page
    response = client.post(f"/en/panels/{panel.pk}/meetings/{meeting.pk}/join/")
    assert response["Location"].endswith(f"/workshops/{meeting.workshop_id}/")
    board = client.get(response["Location"], follow=True)
    assert board.status_code == 200
