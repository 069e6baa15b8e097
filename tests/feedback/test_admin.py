"""The handlers' admin: who reaches it, the queue's filters and query count, bulk
actions, the item page's actions and bad inputs."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from accounts.services import role_grant
from feedback.models import (
    Agency,
    FeedbackItem,
    FeedbackService,
    FeedbackStatusChange,
    HeldReason,
    Kind,
    Status,
    Visibility,
)
from tests.factories import UserFactory
from tests.feedback.factories import (
    AgencyFactory,
    FeedbackItemFactory,
    FeedbackServiceFactory,
)

pytestmark = pytest.mark.django_db

QUEUE = "/admin/feedback/"


def _item_url(item) -> str:
    return f"/admin/feedback/{item.pk}/"


@pytest.fixture
def signed_in(client, handler):
    client.force_login(handler)
    return client


def test_urls():
    assert reverse("feedback_admin:queue") == QUEUE
    assert reverse("feedback_admin:overdue") == QUEUE + "overdue/"
    assert reverse("feedback_admin:item", kwargs={"item_id": 3}) == QUEUE + "3/"


def test_resident_never_reaches_the_queue(client, resident, service):
    item = FeedbackItemFactory(service=service)
    client.force_login(resident)
    for url in (QUEUE, _item_url(item), QUEUE + "overdue/"):
        response = client.get(url)
        assert response.status_code in (302, 403)
    client.post(QUEUE, {"items": [item.pk], "action": "private"})
    client.post(_item_url(item), {"action": "private"})
    item.refresh_from_db()
    assert item.visibility == Visibility.PUBLIC


def test_anonymous_goes_to_the_login(client):
    response = client.get(QUEUE)
    assert response.status_code == 302 and "login" in response["Location"]


def test_other_role_in_the_city_is_refused(client, city):
    editor = UserFactory()
    role_grant(user=editor, city=city, role=Role.EDITOR)
    client.force_login(editor)
    assert client.get(QUEUE).status_code == 403


def test_handler_of_another_city_gets_404_on_items(client, other_city, service):
    item = FeedbackItemFactory(service=service)
    stranger = UserFactory()
    role_grant(user=stranger, city=other_city, role=Role.FEEDBACK_HANDLER)
    client.force_login(stranger)
    assert client.get(_item_url(item)).status_code == 404
    assert client.post(_item_url(item), {"action": "private"}).status_code == 404
    client.post(QUEUE, {"items": [item.pk], "action": "private"})
    item.refresh_from_db()
    assert item.visibility == Visibility.PUBLIC
    response = client.get(QUEUE)
    assert item not in response.context["items"]


def test_menu_item_and_header_link_only_for_handlers(client, handler, resident, city):
    editor = UserFactory()
    role_grant(user=editor, city=city, role=Role.EDITOR)
    client.force_login(handler)
    assert QUEUE in client.get("/admin/").content.decode()
    client.force_login(editor)
    html = client.get("/admin/").content.decode()
    assert f'href="{QUEUE}"' not in html
    assert "/admin/feedback/services/" not in html
    client.force_login(handler)
    assert f'href="{QUEUE}"' in client.get("/en/accounts/activity/").content.decode()
    client.force_login(resident)
    assert (
        f'href="{QUEUE}"' not in client.get("/en/accounts/activity/").content.decode()
    )


def test_queue_new_first_and_filters(signed_in, handler, service, city, other_city):
    agency = AgencyFactory(city=city)
    old = FeedbackItemFactory(service=service, title="Vanha")
    FeedbackItem.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=3)
    )
    new = FeedbackItemFactory(
        service=service,
        title="Uusi",
        kind=Kind.QUESTION,
        visibility=Visibility.PENDING,
        held_reason=HeldReason.PERSONAL_DATA,
        agency=agency,
        assigned_to=handler,
        status=Status.HANDLING,
        expected_at=timezone.now() - timedelta(days=1),
    )
    elsewhere = FeedbackItemFactory(service=FeedbackServiceFactory(city=other_city))

    def listed(**params):
        response = signed_in.get(QUEUE, params)
        assert response.status_code == 200
        return list(response.context["items"])

    assert listed() == [new, old]
    assert elsewhere not in listed()
    assert listed(status="handling") == [new]
    assert listed(kind="question") == [new]
    assert listed(visibility="pending") == [new]
    assert listed(agency=agency.pk) == [new]
    assert listed(service=service.pk, city=city.slug) == [new, old]
    assert listed(mine="1") == [new]
    assert listed(overdue="1") == [new]
    assert listed(q="Vanha") == [old]
    assert listed(q=f"#{old.pk}") == [old]
    # Another city's service is not a way in.
    assert listed(service=elsewhere.service_id) == []
    response = signed_in.get(QUEUE + "overdue/")
    assert list(response.context["items"]) == [new]


@pytest.mark.parametrize(
    "params",
    [
        {"status": "closed"},
        {"kind": "<script>"},
        {"service": "abc"},
        {"service": "9" * 22},
        {"agency": "-1"},
        {"city": "nowhere"},
        {"p": "999"},
        {"p": "x"},
        {"q": "x" * 5000},
    ],
)
def test_bad_filters_never_fail(signed_in, service, params):
    FeedbackItemFactory(service=service)
    assert signed_in.get(QUEUE, params).status_code == 200


def test_queue_query_count_does_not_grow(
    signed_in, service, city, django_assert_num_queries
):
    agency = AgencyFactory(city=city)
    FeedbackItemFactory.create_batch(2, service=service, agency=agency)
    signed_in.get(QUEUE)  # warm the per-session caches of the admin chrome
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        signed_in.get(QUEUE)
    FeedbackItemFactory.create_batch(20, service=service, agency=agency)
    with django_assert_num_queries(len(few.captured_queries)):
        response = signed_in.get(QUEUE)
    assert len(response.context["items"]) == 22


def test_bulk_actions(signed_in, handler, service, city, other_city):
    agency = AgencyFactory(city=city)
    mine = FeedbackItemFactory.create_batch(
        3, service=service, visibility=Visibility.PENDING
    )
    foreign = FeedbackItemFactory(service=FeedbackServiceFactory(city=other_city))
    ids = [i.pk for i in mine] + [foreign.pk]

    response = signed_in.post(
        QUEUE,
        {
            "items": ids,
            "action": "status",
            "bulk-status": "handling",
            "bulk-note": "Käsittelyssä",
        },
    )
    assert response.status_code == 302
    assert FeedbackStatusChange.objects.filter(changed_by=handler).count() == 3
    signed_in.post(QUEUE, {"items": ids, "action": "assign", "bulk-agency": agency.pk})
    signed_in.post(QUEUE, {"items": ids, "action": "publish"})
    for item in mine:
        item.refresh_from_db()
        assert item.status == Status.HANDLING and item.agency == agency
        assert item.visibility == Visibility.PUBLIC
    signed_in.post(QUEUE, {"items": ids, "action": "private"})
    assert not FeedbackItem.objects.public().filter(city=city).exists()
    foreign.refresh_from_db()
    assert foreign.status == Status.RECEIVED and foreign.visibility == "public"


@pytest.mark.parametrize(
    "data",
    [
        {"action": "status", "bulk-status": "closed"},
        {"action": "assign", "bulk-agency": "999999"},
        {"action": "explode"},
        {"action": "status", "bulk-status": "done", "items": ["x", "9" * 22]},
    ],
)
def test_bulk_bad_inputs_change_nothing(signed_in, service, data):
    item = FeedbackItemFactory(service=service)
    response = signed_in.post(QUEUE, {"items": [item.pk], **data})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == Status.RECEIVED and item.agency is None
    assert not FeedbackStatusChange.objects.exists()


def test_bulk_assign_refuses_another_citys_agency(signed_in, service, other_city):
    item = FeedbackItemFactory(service=service)
    foreign_agency = AgencyFactory(city=other_city)
    signed_in.post(
        QUEUE,
        {"items": [item.pk], "action": "assign", "bulk-agency": foreign_agency.pk},
    )
    item.refresh_from_db()
    assert item.agency is None


# --- the item page --------------------------------------------------------


def test_item_page_shows_original_public_text_and_history(signed_in, service, handler):
    item = FeedbackItemFactory(
        service=service,
        title="Alkuperäinen otsikko",
        public_title="Julkinen otsikko",
        is_redacted=True,
        held_reason=HeldReason.PERSONAL_DATA,
        visibility=Visibility.PENDING,
        email="s@example.org",
    )
    FeedbackStatusChange.objects.create(
        item=item, status=Status.HANDLING, note="Sisäinen muistio", internal=True
    )
    response = signed_in.get(_item_url(item))
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "Alkuperäinen otsikko",
        "Julkinen otsikko",
        "Sisäinen muistio",
        "s@example.org",
        str(HeldReason.PERSONAL_DATA.label),
    ):
        assert text in html


def test_item_actions(signed_in, handler, service, city):
    agency = AgencyFactory(city=city)
    item = FeedbackItemFactory(
        service=service,
        visibility=Visibility.PENDING,
        lat=60.1699123,
        long=24.9384123,
    )
    url = _item_url(item)

    def post(**data):
        response = signed_in.post(url, data)
        assert response.status_code == 302, response.content.decode()[:2000]

    post(action="status", **{"status-status": "handling", "status-note": "Alettu"})
    post(action="answer", **{"answer-answer": "Korjataan."})
    post(
        action="assign",
        **{
            "assign-agency": agency.pk,
            "assign-assignee": handler.pk,
            "assign-expected_at": "2030-01-31",
        },
    )
    post(
        action="redact",
        **{"redact-public_title": "Ovi", "redact-public_description": "Ovi rikki."},
    )
    post(action="place")
    post(action="publish")
    item.refresh_from_db()
    assert item.status == Status.HANDLING
    assert item.answer == "Korjataan."
    assert item.agency == agency and item.assigned_to == handler
    assert timezone.localtime(item.expected_at).date().isoformat() == "2030-01-31"
    assert item.public_title == "Ovi" and item.is_redacted
    assert item.place_confirmed and item.public_lat == 60.1699123
    assert item.visibility == Visibility.PUBLIC
    post(action="private")
    item.refresh_from_db()
    assert item.visibility == Visibility.PRIVATE


def test_internal_status_note_from_the_item_page(signed_in, service):
    item = FeedbackItemFactory(service=service)
    signed_in.post(
        _item_url(item),
        {
            "action": "status",
            "status-status": "handling",
            "status-note": "Vain meille",
            "status-internal": "on",
        },
    )
    assert item.history.get().internal


@pytest.mark.parametrize(
    "data, field",
    [
        ({"action": "status", "status-status": "closed"}, "status"),
        ({"action": "answer", "answer-answer": ""}, "answer"),
        ({"action": "answer", "answer-answer": "Tunnus 131052-308T"}, "answer"),
        ({"action": "merge", "merge-into": "abc"}, "into"),
        ({"action": "merge", "merge-into": "9" * 22}, "into"),
        ({"action": "redact", "redact-public_title": ""}, "public_title"),
        ({"action": "assign", "assign-expected_at": "31.31.2030"}, "expected_at"),
    ],
)
def test_item_bad_inputs_show_the_error_on_the_field(signed_in, service, data, field):
    item = FeedbackItemFactory(service=service)
    response = signed_in.post(_item_url(item), data)
    assert response.status_code == 400
    form = response.context[data["action"] + "_form"]
    assert form.is_bound
    assert field in form.errors
    item.refresh_from_db()
    assert item.status == Status.RECEIVED and item.answer == ""
    assert not FeedbackStatusChange.objects.exists()


def test_merge_from_the_item_page(signed_in, service, other_city, handler):
    stays = FeedbackItemFactory(service=service)
    duplicate = FeedbackItemFactory(service=service)
    response = signed_in.post(
        _item_url(duplicate), {"action": "merge", "merge-into": duplicate.pk}
    )
    assert response.status_code == 400
    assert "into" in response.context["merge_form"].errors
    # Another city the handler cannot see: as if it did not exist.
    elsewhere = FeedbackItemFactory(service=FeedbackServiceFactory(city=other_city))
    response = signed_in.post(
        _item_url(duplicate), {"action": "merge", "merge-into": elsewhere.pk}
    )
    assert response.status_code == 400
    # A city the handler handles too, but not the same: a clear error.
    role_grant(user=handler, city=other_city, role=Role.FEEDBACK_HANDLER)
    response = signed_in.post(
        _item_url(duplicate), {"action": "merge", "merge-into": elsewhere.pk}
    )
    assert response.status_code == 400
    assert response.context["merge_form"].has_error("into", "other_city")
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id is None
    response = signed_in.post(
        _item_url(duplicate), {"action": "merge", "merge-into": stays.pk}
    )
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.merged_into == stays


def test_unknown_action_changes_nothing(signed_in, service):
    item = FeedbackItemFactory(service=service)
    response = signed_in.post(_item_url(item), {"action": "explode"})
    assert response.status_code == 400
    item.refresh_from_db()
    assert item.visibility == Visibility.PUBLIC


# --- services and agencies -----------------------------------------------


def test_services_and_agencies_only_of_the_handlers_cities(
    signed_in, service, city, other_city
):
    agency = AgencyFactory(city=city)
    foreign_agency = AgencyFactory(city=other_city)
    foreign_service = FeedbackServiceFactory(city=other_city)
    response = signed_in.get("/admin/feedback/services/")
    assert response.status_code == 200
    html = response.content.decode()
    assert service.name_fi in html and foreign_service.name_fi not in html
    response = signed_in.get("/admin/feedback/agencies/")
    html = response.content.decode()
    assert agency.name_fi in html and foreign_agency.name_fi not in html
    # Wagtail's admin answers a refusal by sending the person to its home page.
    response = signed_in.get(f"/admin/feedback/services/edit/{foreign_service.pk}/")
    assert response.status_code in (302, 403)
    assert foreign_service.name_fi not in response.content.decode()
    signed_in.post(
        f"/admin/feedback/services/edit/{foreign_service.pk}/",
        {
            "city": other_city.pk,
            "service_code": foreign_service.service_code,
            "name_fi": "Kaapattu",
            "group_fi": "Muu",
            "publication": "immediate",
            "order": 0,
        },
    )
    foreign_service.refresh_from_db()
    assert foreign_service.name_fi != "Kaapattu"
    # The same form on the handler's own city's service saves (the check bites).
    signed_in.post(
        f"/admin/feedback/services/edit/{service.pk}/",
        {
            "city": city.pk,
            "service_code": service.service_code,
            "name_fi": "Oma palvelu",
            "group_fi": "Muu",
            "publication": "immediate",
            "order": 0,
        },
    )
    service.refresh_from_db()
    assert service.name_fi == "Oma palvelu"
    response = signed_in.post(f"/admin/feedback/agencies/delete/{foreign_agency.pk}/")
    assert response.status_code in (302, 403)
    assert Agency.objects.filter(pk=foreign_agency.pk).exists()
    response = signed_in.post(
        "/admin/feedback/agencies/new/",
        {"city": other_city.pk, "name_fi": "Vieras", "name_sv": "", "name_en": ""},
    )
    assert not Agency.objects.filter(name_fi="Vieras").exists()
    response = signed_in.post(
        "/admin/feedback/agencies/new/",
        {"city": city.pk, "name_fi": "Oma", "name_sv": "", "name_en": ""},
    )
    assert Agency.objects.filter(name_fi="Oma", city=city).exists()
    assert FeedbackService.objects.count() == 2


def test_item_page_query_count_does_not_grow_with_history(signed_in, service):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    short, long = (FeedbackItemFactory(service=service) for _ in range(2))
    FeedbackStatusChange.objects.create(item=short, status=Status.HANDLING)
    for _ in range(10):
        FeedbackStatusChange.objects.create(item=long, status=Status.HANDLING)
    FeedbackItemFactory.create_batch(3, service=service, merged_into=long)
    signed_in.get(_item_url(short))  # warm the per-session caches of the chrome
    with CaptureQueriesContext(connection) as few:
        assert signed_in.get(_item_url(short)).status_code == 200
    with CaptureQueriesContext(connection) as many:
        assert signed_in.get(_item_url(long)).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_photo_review_from_the_item_page(signed_in, service, make_photo):
    item = FeedbackItemFactory(service=service)
    photo = make_photo(item)
    response = signed_in.get(_item_url(item))
    assert 'value="photo_approve"' in response.content.decode()
    signed_in.post(_item_url(item), {"action": "photo_approve", "photo": photo.pk})
    photo.refresh_from_db()
    assert photo.approved
    response = signed_in.post(
        _item_url(item), {"action": "photo_approve", "photo": "nonsense"}
    )
    assert response.status_code == 400
    signed_in.post(_item_url(item), {"action": "photo_reject", "photo": photo.pk})
    assert not item.photos.exists()


def test_a_service_with_feedback_is_not_deleted_and_the_handler_is_told(
    signed_in, service
):
    FeedbackItemFactory(service=service)
    response = signed_in.post(
        f"/admin/feedback/services/delete/{service.pk}/", follow=True
    )
    assert response.status_code == 200
    assert "on yhä käytössä, joten sitä ei poistettu" in response.content.decode()
    assert FeedbackService.objects.filter(pk=service.pk).exists()
