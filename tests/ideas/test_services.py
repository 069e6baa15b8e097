import uuid

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from core.actors import Actor
from core.models import District, OutgoingMail
from ideas import services
from ideas.models import (
    DESCRIPTION_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Dream,
    DreamLink,
    DreamSource,
    DreamStatus,
    DreamStatusChange,
    DreamSupport,
)
from tests.factories import UserFactory
from tests.ideas.factories import (
    DreamFactory,
    DreamSupportFactory,
    TopicFactory,
    allow_anonymous,
)

pytestmark = pytest.mark.django_db


def _create(**overrides):
    values = {
        "title": "Iltakirjasto nuorille",
        "description": "Kirjasto, joka on auki myöhään illalla nuorille.",
        "target_group": "young_people",
        "what_would_change": "Turvallinen paikka iltaisin.",
        "language": "fi",
    }
    values.update(overrides)
    return services.dream_create(**values)


# --- Telling a dream ---------------------------------------------------------


def test_dream_create_stores_plain_text_with_topics(city, resident):
    topics = [TopicFactory(), TopicFactory()]
    kallio = District.objects.create(city=city, slug="kallio", name_fi="Kallio")
    dream = _create(
        title="<script>alert(1)</script>Iltakirjasto <b>nuorille</b>",
        description="Auki <img src=x onerror=alert(1)>myöhään illalla joka päivä.",
        city=city,
        district=kallio,
        topics=topics,
        author=resident,
    )
    # As typed (#12: text as typed); every page escapes it.
    assert dream.title == "<script>alert(1)</script>Iltakirjasto <b>nuorille</b>"
    assert dream.description == (
        "Auki <img src=x onerror=alert(1)>myöhään illalla joka päivä."
    )
    assert dream.district == kallio
    assert set(dream.topics.all()) == set(topics)
    assert dream.status == DreamStatus.NEW
    assert dream.author == resident and dream.anonymous_key is None


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", ""),
        ("title", "   "),
        ("title", "\u202e\u2066\x00"),  # nothing left but dangerous controls
        ("title", "abc"),
        ("title", "x" * (TITLE_MAX_LENGTH + 1)),
        ("description", ""),
        ("description", "y" * (DESCRIPTION_MAX_LENGTH + 1)),
        ("what_would_change", "z" * 2001),
        ("target_group", "aliens"),
        ("language", "xx"),
    ],
)
def test_dream_create_refuses_bad_fields_and_writes_nothing(
    city, resident, field, value
):
    with pytest.raises(ValidationError) as error:
        _create(city=city, author=resident, **{field: value})
    assert field in error.value.message_dict
    assert Dream.objects.count() == 0


def test_dream_create_refuses_more_than_five_topics(city, resident):
    topics = [TopicFactory() for _ in range(6)]
    with pytest.raises(ValidationError):
        _create(city=city, author=resident, topics=topics)
    assert Dream.objects.count() == 0


def test_anonymous_dream_refused_where_city_does_not_allow_it(city):
    with pytest.raises(ValidationError) as error:
        _create(city=city, nickname="Maija", anonymous_key=uuid.uuid4())
    assert "nickname" in error.value.message_dict
    assert Dream.objects.count() == 0


def test_anonymous_dream_for_all_cities_is_refused(city):
    allow_anonymous(city)
    with pytest.raises(ValidationError):
        _create(city=None, nickname="Maija", anonymous_key=uuid.uuid4())


def test_anonymous_dream_needs_a_nickname(city):
    allow_anonymous(city)
    with pytest.raises(ValidationError) as error:
        _create(city=city, nickname=" ", anonymous_key=uuid.uuid4())
    assert "nickname" in error.value.message_dict


def test_anonymous_dream_keeps_the_key_and_nickname(city):
    allow_anonymous(city)
    key = uuid.uuid4()
    dream = _create(city=city, nickname="<i>Maija</i>", anonymous_key=key)
    assert dream.author is None
    assert dream.anonymous_key == key
    assert dream.nickname == "<i>Maija</i>"  # as typed (#12)
    assert dream.dreamer_label == "<i>Maija</i>"


def test_dream_create_is_rate_limited_per_person(city, resident):
    for n in range(services.DREAMS_PER_PERSON_PER_HOUR):
        _create(city=city, author=resident, title=f"Unelma numero {n}")
    with pytest.raises(ValidationError) as error:
        _create(city=city, author=resident)
    assert error.value.code == "rate_limited"
    assert Dream.objects.count() == services.DREAMS_PER_PERSON_PER_HOUR


def test_dream_create_is_rate_limited_per_ip(city):
    for n in range(services.DREAMS_PER_IP_PER_HOUR):
        _create(city=city, author=UserFactory(), ip="10.0.0.1", title=f"Unelma {n}")
    with pytest.raises(ValidationError):
        _create(city=city, author=UserFactory(), ip="10.0.0.1")
    _create(city=city, author=UserFactory(), ip="10.0.0.2")


def test_dream_create_from_card_links_the_workshop(city, facilitator):
    dream = services.dream_create_from_card(
        card_text="Yhteinen <script>x</script>kaupunkiviljelypalsta koululle",
        title="Koulun palsta",
        city=city,
        facilitator=facilitator,
        workshop_ref=42,
    )
    assert dream.source == DreamSource.WORKSHOP
    assert dream.author is None
    assert "Yhteinen <script>x</script>kaupunkiviljelypalsta" in dream.description
    link = DreamLink.objects.get(dream=dream)
    assert link.workshop_id == 42 and link.kind == "workshop"


def test_dream_create_from_card_needs_a_facilitator(city, resident):
    with pytest.raises(PermissionDenied):
        services.dream_create_from_card(
            card_text="Palsta koululle",
            title="Koulun palsta",
            city=city,
            facilitator=resident,
        )
    assert Dream.objects.count() == 0


# --- Supporting -------------------------------------------------------------


def test_support_once_and_withdraw(city, resident):
    dream = DreamFactory(city=city)
    person = Actor(user=resident)
    assert services.dream_support(dream=dream, participant=person) is True
    assert services.dream_support(dream=dream, participant=person) is False
    dream.refresh_from_db()
    assert dream.support_count == 1
    assert DreamSupport.objects.filter(dream=dream).count() == 1
    assert services.dream_support_withdraw(dream=dream, participant=person) is True
    assert services.dream_support_withdraw(dream=dream, participant=person) is False
    dream.refresh_from_db()
    assert dream.support_count == 0


def test_supporting_your_own_dream_is_refused(city, resident):
    # Decision: the dream already says its dreamer wants it; a support would
    # count them twice.
    dream = DreamFactory(city=city, author=resident)
    with pytest.raises(ValidationError) as error:
        services.dream_support(dream=dream, participant=Actor(user=resident))
    assert error.value.code == "own"
    dream.refresh_from_db()
    assert dream.support_count == 0


def test_anonymous_cannot_support_own_anonymous_dream(city):
    allow_anonymous(city)
    key = uuid.uuid4()
    dream = DreamFactory(city=city, author=None, anonymous_key=key, nickname="M")
    with pytest.raises(ValidationError):
        services.dream_support(dream=dream, participant=Actor(anonymous_key=key))


def test_anonymous_support_needs_a_city_that_allows_it(city):
    dream = DreamFactory(city=city)
    with pytest.raises(PermissionDenied):
        services.dream_support(
            dream=dream, participant=Actor(anonymous_key=uuid.uuid4())
        )
    allow_anonymous(city)
    key = uuid.uuid4()
    assert services.dream_support(dream=dream, participant=Actor(anonymous_key=key))
    assert not services.dream_support(dream=dream, participant=Actor(anonymous_key=key))
    dream.refresh_from_db()
    assert dream.support_count == 1


@pytest.mark.parametrize("status", [DreamStatus.NOT_PURSUED, DreamStatus.MERGED])
def test_closed_dreams_take_no_supports(city, resident, status):
    dream = DreamFactory(city=city, status=status)
    with pytest.raises(ValidationError):
        services.dream_support(dream=dream, participant=Actor(user=resident))
    assert not DreamSupport.objects.exists()


def test_deleting_an_account_keeps_the_count_exact(city, resident):
    dream = DreamFactory(city=city)
    services.dream_support(dream=dream, participant=Actor(user=resident))
    resident.delete()
    dream.refresh_from_db()
    assert dream.support_count == DreamSupport.objects.filter(dream=dream).count() == 1


def test_a_dream_outlives_its_dreamers_deleted_account(client, city, resident):
    from accounts.models import REMOVED_USER_LABEL
    from accounts.services import account_delete

    dream = DreamFactory(city=city, author=resident, title="Kirjastobussi kylille")
    account_delete(user=resident)
    dream.refresh_from_db()
    assert dream.author is None
    assert dream.dreamer_label == str(REMOVED_USER_LABEL)
    page = client.get(dream.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert "Kirjastobussi kylille" in html
    assert resident.display_name not in html
    assert str(REMOVED_USER_LABEL) in html


# --- Following through ------------------------------------------------------


def test_status_change_records_history_and_mails_everyone_once(
    city, facilitator, resident, other_resident, django_capture_on_commit_callbacks
):
    dream = DreamFactory(city=city, author=resident)
    DreamSupportFactory(dream=dream, user=other_resident)
    with django_capture_on_commit_callbacks(execute=True):
        change = services.dream_status_change(
            dream=dream,
            to_status=DreamStatus.UNDER_REVIEW,
            by=facilitator,
            reason="Katsomme <script>x</script>tätä syksyllä.",
        )
    dream.refresh_from_db()
    assert dream.status == DreamStatus.UNDER_REVIEW
    assert change.from_status == DreamStatus.NEW
    assert change.changed_by == facilitator
    assert change.reason == "Katsomme <script>x</script>tätä syksyllä."
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [resident.email, other_resident.email]
    )
    assert (
        "Katsomme <script>x</script>tätä syksyllä." in mail.outbox[0].body
    )  # plain text


def test_no_mail_before_commit(city, facilitator, django_capture_on_commit_callbacks):
    dream = DreamFactory(city=city)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.dream_status_change(
            dream=dream, to_status=DreamStatus.UNDER_REVIEW, by=facilitator
        )
    # The sending (and the search index's update) wait for the commit.
    assert callbacks
    assert mail.outbox == []


def test_status_mail_is_queued_with_the_change_in_each_recipients_language(
    city, facilitator, django_capture_on_commit_callbacks
):
    finn = UserFactory(preferred_language="fi")
    swede = UserFactory(preferred_language="sv")
    dream = DreamFactory(city=city, author=finn)
    DreamSupportFactory(dream=dream, user=swede)
    DreamSupportFactory(dream=dream, user=UserFactory(email=""))
    with django_capture_on_commit_callbacks(execute=False):
        services.dream_status_change(
            dream=dream, to_status=DreamStatus.UNDER_REVIEW, by=facilitator
        )
    # In the outbox, in the change's transaction; nothing sent before commit.
    queued = {row.to_email: row for row in OutgoingMail.objects.all()}
    assert set(queued) == {finn.email, swede.email}
    assert queued[finn.email].subject.startswith("Palvelu-unelmasi: ")
    assert queued[swede.email].subject.startswith("Din servicedröm: ")
    assert dream.get_absolute_url() in queued[swede.email].body
    assert mail.outbox == []


def test_a_refused_change_queues_no_mail(city, resident):
    dream = DreamFactory(city=city)
    with pytest.raises(PermissionDenied):
        services.dream_status_change(
            dream=dream, to_status=DreamStatus.UNDER_REVIEW, by=resident
        )
    assert not OutgoingMail.objects.exists()


def test_not_pursued_needs_a_public_reason(city, facilitator):
    dream = DreamFactory(city=city)
    for reason in ["", "   ", "\u202e\u2066"]:
        with pytest.raises(ValidationError) as error:
            services.dream_status_change(
                dream=dream,
                to_status=DreamStatus.NOT_PURSUED,
                by=facilitator,
                reason=reason,
            )
        assert "reason" in error.value.message_dict
    dream.refresh_from_db()
    assert dream.status == DreamStatus.NEW
    assert not DreamStatusChange.objects.exists()


def test_status_change_follows_the_allowed_path(city, editor):
    dream = DreamFactory(city=city)
    with pytest.raises(ValidationError):
        services.dream_status_change(
            dream=dream, to_status=DreamStatus.REALISED, by=editor
        )
    with pytest.raises(ValidationError):
        services.dream_status_change(dream=dream, to_status="merged", by=editor)
    with pytest.raises(ValidationError):
        services.dream_status_change(dream=dream, to_status="bogus", by=editor)
    for step in [
        DreamStatus.UNDER_REVIEW,
        DreamStatus.IN_WORKSHOP,
        DreamStatus.IN_PLANNING,
        DreamStatus.REALISED,
    ]:
        services.dream_status_change(dream=dream, to_status=step, by=editor)
    assert list(
        DreamStatusChange.objects.filter(dream=dream).values_list(
            "to_status", flat=True
        )
    ) == ["under_review", "in_workshop", "in_planning", "realised"]


@pytest.mark.parametrize("who", ["resident", "other_city_facilitator", "anonymous"])
def test_residents_and_other_cities_cannot_change_status(city, request, who):
    from django.contrib.auth.models import AnonymousUser

    user = AnonymousUser() if who == "anonymous" else request.getfixturevalue(who)
    dream = DreamFactory(city=city)
    with pytest.raises(PermissionDenied):
        services.dream_status_change(
            dream=dream, to_status=DreamStatus.UNDER_REVIEW, by=user
        )
    with pytest.raises(PermissionDenied):
        services.dream_merge(source=dream, target=DreamFactory(city=city), by=user)
    with pytest.raises(PermissionDenied):
        services.dream_link_add(dream=dream, by=user, workshop_id=1)
    dream.refresh_from_db()
    assert dream.status == DreamStatus.NEW


def test_all_city_dreams_can_be_triaged_by_any_citys_facilitator(facilitator):
    dream = DreamFactory(city=None)
    services.dream_status_change(
        dream=dream, to_status=DreamStatus.UNDER_REVIEW, by=facilitator
    )
    dream.refresh_from_db()
    assert dream.status == DreamStatus.UNDER_REVIEW
    assert dream.status_changes.get().changed_by == facilitator


# --- Merging ------------------------------------------------------------------


def test_merge_combines_supports_without_counting_anyone_twice(city, facilitator):
    a_author, b_author = UserFactory(), UserFactory()
    target = DreamFactory(city=city, author=a_author)
    source = DreamFactory(city=city, author=b_author)
    both, only_a, only_b = UserFactory(), UserFactory(), UserFactory()
    for user in (both, only_a):
        services.dream_support(dream=target, participant=Actor(user=user))
    for user in (both, only_b, a_author):
        services.dream_support(dream=source, participant=Actor(user=user))

    services.dream_merge(source=source, target=target, by=facilitator)

    target.refresh_from_db()
    source.refresh_from_db()
    supporters = set(
        DreamSupport.objects.filter(dream=target).values_list("user_id", flat=True)
    )
    # both, only_a, only_b and the source's dreamer; the target's own dreamer not.
    assert supporters == {both.pk, only_a.pk, only_b.pk, b_author.pk}
    assert target.support_count == 4
    assert source.status == DreamStatus.MERGED
    assert source.merged_into == target
    assert source.support_count == 0
    assert not DreamSupport.objects.filter(dream=source).exists()
    change = DreamStatusChange.objects.get(dream=source)
    assert change.to_status == DreamStatus.MERGED and change.reason


def test_merge_into_itself_is_refused(city, facilitator):
    dream = DreamFactory(city=city)
    with pytest.raises(ValidationError):
        services.dream_merge(source=dream, target=dream, by=facilitator)
    dream.refresh_from_db()
    assert dream.status == DreamStatus.NEW


def test_merge_into_a_merged_dream_is_refused(city, facilitator):
    a, b, c = DreamFactory(city=city), DreamFactory(city=city), DreamFactory(city=city)
    services.dream_merge(source=b, target=a, by=facilitator)
    with pytest.raises(ValidationError) as error:
        services.dream_merge(source=c, target=b, by=facilitator)
    assert error.value.code == "target_merged"
    with pytest.raises(ValidationError) as error:
        services.dream_merge(source=b, target=c, by=facilitator)
    assert error.value.code == "merged"
    c.refresh_from_db()
    assert c.status == DreamStatus.NEW


def test_merge_repoints_dreams_merged_earlier(city, facilitator):
    a, b, c = DreamFactory(city=city), DreamFactory(city=city), DreamFactory(city=city)
    services.dream_merge(source=c, target=b, by=facilitator)
    services.dream_merge(source=b, target=a, by=facilitator)
    c.refresh_from_db()
    assert c.merged_into == a


def test_merge_needs_rights_in_both_cities(city, other_city, facilitator):
    here, there = DreamFactory(city=city), DreamFactory(city=other_city)
    with pytest.raises(PermissionDenied):
        services.dream_merge(source=here, target=there, by=facilitator)
    here.refresh_from_db()
    assert here.status == DreamStatus.NEW


# --- Links ------------------------------------------------------------------------


def test_link_to_a_page_and_a_workshop(city, facilitator, city_page):
    dream = DreamFactory(city=city)
    link = services.dream_link_add(dream=dream, by=facilitator, page=city_page)
    assert link.kind == "planned_service"
    again = services.dream_link_add(dream=dream, by=facilitator, page=city_page)
    assert again.pk == link.pk
    services.dream_link_add(dream=dream, by=facilitator, workshop_id=7, label="Jam")
    assert dream.links.count() == 2
    with pytest.raises(ValidationError):
        services.dream_link_add(dream=dream, by=facilitator)
    with pytest.raises(ValidationError):
        services.dream_link_add(
            dream=dream, by=facilitator, page=city_page, workshop_id=3
        )
