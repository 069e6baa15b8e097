"""One planned service, one truth: what takes effect when (#15).

The shared values (status, comment period, discussion rules) change when a
language version is published, never by a draft; the city's answer is published
from any version once some version has its text; open data has one response row
per language the answer is written in, never an empty one.
"""

import csv
import io
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone, translation
from wagtail.models import Revision

from core.errors import Invalid
from discussions.models import Discussion
from participation.models import Lifecycle, PlannedServicePage, ServiceState
from participation.services import service_answer_publish, service_status_set
from tests.factories import UserFactory
from tests.opendata.test_api import api_rows, download

pytestmark = pytest.mark.django_db

NO_ANSWER_FI = "Mikään kieliversio ei vielä sisällä kaupungin vastausta"


def fresh(page) -> PlannedServicePage:
    return PlannedServicePage.objects.get(pk=page.pk)


def form_data(form) -> dict:
    """What the browser sends back for the admin page form as rendered."""
    data = {}
    forms = [form]
    for name in ("sections", "attachments"):
        inline = form.formsets[name]
        data.update(
            {
                f"{inline.prefix}-{key}": value
                for key, value in inline.management_form.initial.items()
            }
        )
        forms += inline.forms
    for each in forms:
        for name, field in each.fields.items():
            value = each[name].value()
            if value is None or value is False:
                continue
            if value is True:
                value = "on"
            elif not isinstance(value, list):
                value = field.widget.format_value(value)
            if value is not None:
                data[each.add_prefix(name)] = value
    return data


@pytest.fixture
def admin_client(client):
    admin = UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)
    client.force_login(admin)
    return client


def edit(client, page, *, publish: bool, **changes):
    """Open `page`'s edit form, change fields and save a draft or publish."""
    url = f"/admin/pages/{page.pk}/edit/"
    data = form_data(client.get(url).context["form"])
    for name, value in changes.items():
        if value is False:
            data.pop(name, None)
        else:
            data[name] = "on" if value is True else value
    if publish:
        data["action-publish"] = "action-publish"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    return response


def edit_form_initial(client, page) -> dict:
    return client.get(f"/admin/pages/{page.pk}/edit/").context["form"].initial


def page_discussion(page) -> Discussion:
    return Discussion.objects.get(
        target_key=page.discussion_key, target_type__endswith="page"
    )


# Shared values take effect when a version is published


def test_a_draft_in_swedish_changes_no_live_page(admin_client, client, copies):
    edit(
        admin_client,
        copies["sv"],
        publish=False,
        status=Lifecycle.CLOSED,
        premoderated=True,
    )
    state = ServiceState.objects.get()
    assert (state.status, state.premoderated) == (Lifecycle.OPEN, False)
    for page in copies.values():
        page = fresh(page)
        assert page.status == Lifecycle.OPEN and page.comments_accepted_now()
        assert "badge--open" in client.get(page.url).content.decode()
    assert not page_discussion(copies["fi"]).premoderated
    assert page_discussion(copies["fi"]).is_open
    assert {row["status"] for row in api_rows(client, "services")} == {"open"}
    # The Swedish editor sees the draft's values, the Finnish one the live ones.
    assert edit_form_initial(admin_client, copies["sv"])["status"] == "closed"
    assert edit_form_initial(admin_client, copies["sv"])["premoderated"] is True
    assert edit_form_initial(admin_client, copies["fi"])["status"] == "open"


def test_publishing_the_draft_changes_every_version(admin_client, client, copies):
    edit(admin_client, copies["sv"], publish=False, status=Lifecycle.CLOSED)
    edit(admin_client, copies["sv"], publish=True)
    assert ServiceState.objects.get().status == Lifecycle.CLOSED
    for page in copies.values():
        assert "badge--open" not in client.get(fresh(page).url).content.decode()
    assert not page_discussion(copies["en"]).is_open
    assert {row["status"] for row in api_rows(client, "services")} == {"closed"}


def test_a_draft_keeps_only_what_its_editor_changed(admin_client, copies, editor):
    edit(admin_client, copies["en"], publish=False, premoderated=True)
    # Meanwhile the service is closed from the Finnish version.
    service_status_set(page=copies["fi"], user=editor, status=Lifecycle.CLOSED)
    edit(admin_client, copies["en"], publish=True)
    state = ServiceState.objects.get()
    assert (state.status, state.premoderated) == (Lifecycle.CLOSED, True)


def test_a_published_revision_does_not_bring_back_old_values(
    admin_client, copies, editor
):
    edit(admin_client, copies["sv"], publish=True, status=Lifecycle.CLOSED)
    service_status_set(page=copies["fi"], user=editor, status=Lifecycle.OPEN)
    # The Swedish form shows the current value, and saving it keeps it.
    assert edit_form_initial(admin_client, copies["sv"])["status"] == "open"
    edit(admin_client, copies["sv"], publish=True)
    assert ServiceState.objects.get().status == Lifecycle.OPEN


def test_a_scheduled_version_changes_the_values_when_it_goes_live(copies):
    later = timezone.now() + timedelta(days=2)
    sv = copies["sv"].get_latest_revision_as_object()
    sv.status = Lifecycle.CLOSED
    sv.go_live_at = later
    revision = sv.save_revision()
    revision.publish()
    assert ServiceState.objects.get().status == Lifecycle.OPEN
    assert fresh(copies["fi"]).comments_accepted_now()
    # The scheduler's turn: the time has come.
    past = timezone.now() - timedelta(minutes=1)
    content = {**revision.content, "go_live_at": past.isoformat()}
    Revision.objects.filter(pk=revision.pk).update(
        approved_go_live_at=past, content=content
    )
    PlannedServicePage.objects.filter(pk=sv.pk).update(go_live_at=past)
    call_command("publish_scheduled")
    assert ServiceState.objects.get().status == Lifecycle.CLOSED
    assert not fresh(copies["en"]).comments_accepted_now()
    assert not page_discussion(copies["fi"]).is_open


def test_a_preview_shows_the_draft_and_writes_nothing(admin_client, copies):
    url = f"/admin/pages/{copies['fi'].pk}/edit/"
    data = form_data(admin_client.get(url).context["form"])
    data["status"] = Lifecycle.WITHDRAWN
    response = admin_client.post(f"{url}preview/", data)
    assert response.status_code == 200 and response.json()["is_valid"]
    assert ServiceState.objects.get().status == Lifecycle.OPEN


# Publishing the answer from any version


def write_answer(page, text: str, *, publish: bool = True) -> None:
    latest = page.get_latest_revision_as_object()
    latest.answer = text
    revision = latest.save_revision()
    if publish:
        revision.publish()


def test_the_answer_is_published_from_a_version_without_its_own(client, copies, editor):
    write_answer(copies["fi"], "<p>Aukioloajat pitenevät.</p>")
    service_answer_publish(page=copies["sv"], user=editor)
    state = ServiceState.objects.get()
    assert state.status == Lifecycle.ANSWERED and state.answer_published_at
    sv_html = client.get(fresh(copies["sv"]).url).content.decode()
    assert '<div lang="fi"><p>Aukioloajat pitenevät.</p></div>' in sv_html


@pytest.mark.parametrize("fi_answer", ["", "<p> </p>"])
def test_no_version_with_an_answer_is_refused_clearly(copies, editor, fi_answer):
    write_answer(copies["fi"], fi_answer)
    # Text in a draft nobody published is not an answer anyone would see.
    write_answer(copies["en"], "<p>Draft only.</p>", publish=False)
    with translation.override("en"), pytest.raises(Invalid) as refused:
        service_answer_publish(page=copies["sv"], user=editor)
    assert refused.value.code == "empty"
    assert "No language version has the city's answer yet" in str(refused.value)
    state = ServiceState.objects.get()
    assert state.answer_published_at is None and state.status == Lifecycle.OPEN


def test_admin_screen_from_a_version_without_its_own_answer(client, copies, editor):
    client.force_login(editor)
    url = f"/admin/participation/services/{copies['sv'].pk}/answer/"
    # The editor's admin is in Finnish.
    text = client.get(url).content.decode()
    assert NO_ANSWER_FI in text and "<form" not in text.split("<main")[-1]
    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert NO_ANSWER_FI in response.content.decode()
    assert ServiceState.objects.get().answer_published_at is None

    write_answer(copies["fi"], "<p>Aukioloajat pitenevät.</p>")
    text = client.get(url).content.decode()
    assert '<div lang="fi"><p>Aukioloajat pitenevät.</p></div>' in text
    response = client.post(url)
    assert response.status_code == 302
    assert ServiceState.objects.get().status == Lifecycle.ANSWERED


# Open data: one response row per language the answer is written in


def response_rows(client) -> dict[str, str]:
    """The responses by language from the API, checked against the downloads."""
    rows = api_rows(client, "responses")
    by_language = {row["language"]: row["answer"] for row in rows}
    jsonl = download(client, "responses", "jsonl").decode().splitlines()
    assert {
        (row := json.loads(line))["language"]: row["answer"] for line in jsonl
    } == by_language
    csv_rows = csv.DictReader(
        io.StringIO(download(client, "responses", "csv").decode())
    )
    assert {row["language"]: row["answer"] for row in csv_rows} == by_language
    assert len(rows) == len(by_language)
    return by_language


def test_responses_only_in_the_languages_the_answer_is_written_in(
    client, copies, editor
):
    write_answer(copies["fi"], "<p>Aukioloajat pitenevät.</p>")
    write_answer(copies["sv"], "<p> </p>")
    # Nothing before the answer is published, the draft text least of all.
    write_answer(copies["en"], "<p>Longer hours.</p>", publish=False)
    assert response_rows(client) == {}
    since = max(row["updated_at"] for row in api_rows(client, "services"))

    service_answer_publish(page=copies["en"], user=editor)
    assert response_rows(client) == {
        "fi": "Aukioloajat pitenevät.",
        "en": "Longer hours.",
    }
    # A reader who syncs gets the new rows, and no tombstone for the Swedish
    # version, which never had a row.
    changed = api_rows(client, "responses", updated_since=since)
    assert sorted(row["language"] for row in changed) == ["en", "fi"]
    assert not any(row.get("removed") for row in changed)


def test_a_removed_answer_text_becomes_a_tombstone(client, copies, editor):
    write_answer(copies["fi"], "<p>Aukioloajat pitenevät.</p>")
    write_answer(copies["sv"], "<p>Längre öppettider.</p>")
    service_answer_publish(page=copies["fi"], user=editor)
    since = max(row["updated_at"] for row in api_rows(client, "responses"))

    write_answer(copies["sv"], "")
    assert response_rows(client) == {"fi": "Aukioloajat pitenevät."}
    changed = {
        row["id"]: row for row in api_rows(client, "responses", updated_since=since)
    }
    assert changed[copies["sv"].pk]["removed"] is True
    assert "answer" not in changed[copies["sv"].pk]
    assert changed[copies["sv"].pk]["updated_at"] > since
    assert not changed[copies["fi"].pk].get("removed")
    assert copies["en"].pk not in changed  # never had a row
    # The Swedish page shows the Finnish answer, marked, as before.
    sv_html = client.get(fresh(copies["sv"]).url).content.decode()
    assert '<div lang="fi"><p>Aukioloajat pitenevät.</p></div>' in sv_html


def test_responses_parquet_has_no_empty_answer(client, copies, editor):
    pq = pytest.importorskip("pyarrow.parquet")
    write_answer(copies["sv"], "<p>Längre öppettider.</p>")
    service_answer_publish(page=copies["fi"], user=editor)
    table = pq.read_table(io.BytesIO(download(client, "responses", "parquet")))
    assert table.column("language").to_pylist() == ["sv"]
    assert table.column("answer").to_pylist() == ["Längre öppettider."]
