import pytest
from django.urls import reverse

from ideas.models import DreamStatus, DreamStatusChange
from tests.factories import UserFactory
from tests.ideas.factories import DreamFactory

pytestmark = pytest.mark.django_db

TRIAGE = "/admin/dreams/"


def test_triage_url():
    assert reverse("ideas_admin:triage") == TRIAGE


def test_residents_cannot_open_triage(client, resident, city):
    client.force_login(resident)
    response = client.get(TRIAGE)
    assert response.status_code in (302, 403)
    dream = DreamFactory(city=city)
    client.post(
        TRIAGE,
        {"action": "status", "dreams": [dream.pk], "to_status": "under_review"},
    )
    dream.refresh_from_db()
    assert dream.status == DreamStatus.NEW


def test_facilitator_sees_only_their_cities(client, facilitator, city, other_city):
    here = DreamFactory(city=city, title="Täällä")
    there = DreamFactory(city=other_city, title="Tuolla")
    client.force_login(facilitator)
    response = client.get(TRIAGE)
    assert response.status_code == 200
    dreams = response.context["dreams"]
    assert here in dreams and there not in dreams
    response = client.get(TRIAGE, {"city": city.slug, "status": "new", "q": "Täällä"})
    assert list(response.context["dreams"]) == [here]


def test_bulk_status_change(client, facilitator, city, other_city):
    mine = [DreamFactory(city=city) for _ in range(3)]
    foreign = DreamFactory(city=other_city)
    client.force_login(facilitator)
    response = client.post(
        TRIAGE,
        {
            "action": "status",
            "dreams": [d.pk for d in mine] + [foreign.pk],
            "to_status": "under_review",
            "reason": "Käsittelyssä",
        },
    )
    assert response.status_code == 302
    for dream in mine:
        dream.refresh_from_db()
        assert dream.status == DreamStatus.UNDER_REVIEW
    foreign.refresh_from_db()
    assert foreign.status == DreamStatus.NEW
    assert DreamStatusChange.objects.filter(changed_by=facilitator).count() == 3


def test_bulk_not_pursued_without_reason_changes_nothing(client, facilitator, city):
    dreams = [DreamFactory(city=city) for _ in range(2)]
    client.force_login(facilitator)
    client.post(
        TRIAGE,
        {
            "action": "status",
            "dreams": [d.pk for d in dreams],
            "to_status": "not_pursued",
        },
    )
    assert not DreamStatusChange.objects.exists()


def test_merge_from_triage(client, facilitator, city):
    target, source = DreamFactory(city=city), DreamFactory(city=city)
    client.force_login(facilitator)
    client.post(
        TRIAGE, {"action": "merge", "dreams": [source.pk], "target": str(target.pk)}
    )
    source.refresh_from_db()
    assert source.merged_into == target
    # Merging into itself is refused with a message, not an error page.
    response = client.post(
        TRIAGE,
        {"action": "merge", "dreams": [target.pk], "target": str(target.pk)},
        follow=True,
    )
    assert response.status_code == 200
    target.refresh_from_db()
    assert target.status == DreamStatus.NEW


def test_menu_item_only_for_triage_roles(client, facilitator):
    from ideas.wagtail_hooks import TriageMenuItem

    item = TriageMenuItem("Dreams", TRIAGE)

    class Request:
        user = facilitator

    assert item.is_shown(Request())
    Request.user = UserFactory()
    assert not item.is_shown(Request())
