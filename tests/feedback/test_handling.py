"""The handlers' services: status, answer, assignment, publication, redaction,
place, merging; who hears of what, and that a refusal writes nothing."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import Role
from accounts.services import role_grant
from core.models import OutgoingMail
from feedback.models import (
    FeedbackItem,
    FeedbackStatusChange,
    FeedbackSupport,
    HeldReason,
    Status,
    Visibility,
)
from feedback.services import handling
from feedback.services.notices import ANSWER_KIND, STATUS_KIND, item_path
from notifications.models import Follow, Notification
from notifications.services import follow_create
from tests.factories import UserFactory
from tests.feedback.factories import (
    AgencyFactory,
    FeedbackItemFactory,
    FeedbackServiceFactory,
    FeedbackSupportFactory,
)

pytestmark = pytest.mark.django_db

PERSONAL_CODE = "131052-308T"


@pytest.fixture
def item(service):
    return FeedbackItemFactory(
        service=service,
        title="Kirjaston ovi rikki",
        description="Ovi ei aukea. Soita minulle.",
        email="sender@example.org",
        first_name="Sanni",
        language="sv",
    )


def _mails() -> list[OutgoingMail]:
    """The e-mails queued in the outbox (rendered, in the recipient's language)."""
    return list(OutgoingMail.objects.order_by("id"))


def _nothing_written(item, before_status=Status.RECEIVED):
    item.refresh_from_db()
    assert item.status == before_status
    assert not FeedbackStatusChange.objects.filter(item=item).exists()
    assert not OutgoingMail.objects.exists()
    assert not Notification.objects.exists()


# --- status --------------------------------------------------------------


def test_status_change_writes_history_closes_and_mails_sender_in_their_language(
    item, handler
):
    change = handling.status_change(
        item=item, user=handler, status=Status.DONE, note="Ovi on korjattu."
    )
    item.refresh_from_db()
    assert item.status == Status.DONE
    assert item.closed_at is not None
    assert change.internal is False and change.note == "Ovi on korjattu."
    assert change.changed_by == handler
    [mail] = _mails()
    assert mail.to_email == "sender@example.org"
    # The sender wrote in Swedish and has no account: the e-mail is Swedish.
    assert mail.subject.startswith("Din respons")
    assert "har en ny status: Klar" in mail.body
    assert "Ovi on korjattu." in mail.body
    assert item_path(item) in mail.body


def test_the_mail_is_sent_after_commit(
    item, handler, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        handling.answer_give(item=item, user=handler, answer="Kiitos palautteesta.")
    [mail] = mailoutbox
    assert mail.to == ["sender@example.org"]
    assert "Kiitos palautteesta." in mail.body


def test_reopening_clears_closed_at(item, handler):
    handling.status_change(item=item, user=handler, status=Status.DONE)
    handling.status_change(item=item, user=handler, status=Status.HANDLING)
    item.refresh_from_db()
    assert item.closed_at is None


def test_account_language_wins_for_a_signed_in_sender(service, handler):
    author = UserFactory(email="author@example.org", preferred_language="en")
    item = FeedbackItemFactory(service=service, author=author, language="fi")
    handling.status_change(item=item, user=handler, status=Status.HANDLING)
    [mail] = _mails()
    assert mail.to_email == "author@example.org"
    assert "has a new status: Being handled" in mail.body


def test_private_item_mail_points_to_the_receipt_not_a_page(service, handler):
    item = FeedbackItemFactory(
        service=service,
        visibility=Visibility.PRIVATE,
        email="s@example.org",
        language="en",
    )
    handling.status_change(item=item, user=handler, status=Status.HANDLING)
    [mail] = _mails()
    assert "/feedback/" not in mail.body
    assert "follow-up link in the receipt" in mail.body


def test_internal_note_tells_nobody(item, handler, resident):
    follow_create(user=resident, target=item)
    change = handling.status_change(
        item=item, user=handler, status=Status.HANDLING, note="Soitettu", internal=True
    )
    assert change.internal
    assert not _mails()
    assert not Notification.objects.exists()


def test_followers_hear_of_public_changes_with_the_public_text_only(
    service, handler, resident
):
    item = FeedbackItemFactory(
        service=service,
        title="Alkuperäinen 131052-308T",
        public_title="Kirjaston ovi",
        is_redacted=True,
    )
    follow_create(user=resident, target=item)
    follow_create(user=handler, target=item)
    handling.status_change(item=item, user=handler, status=Status.HANDLING, note="x")
    handling.answer_give(item=item, user=handler, answer="Korjattu.")
    notes = list(Notification.objects.order_by("id"))
    assert [n.kind for n in notes] == [STATUS_KIND, ANSWER_KIND]
    # Never the handler who did it, never the original text.
    assert {n.recipient_id for n in notes} == {resident.pk}
    for note in notes:
        assert note.text == "Kirjaston ovi"
        assert PERSONAL_CODE not in str(note.params)
        assert note.url == item_path(item)


def test_followers_of_a_private_item_hear_nothing(service, handler, resident):
    item = FeedbackItemFactory(service=service)
    follow_create(user=resident, target=item)
    FeedbackItem.objects.filter(pk=item.pk).update(visibility=Visibility.PRIVATE)
    item.refresh_from_db()
    handling.status_change(item=item, user=handler, status=Status.HANDLING)
    handling.answer_give(item=item, user=handler, answer="Vastaus")
    assert not Notification.objects.exists()


@pytest.mark.parametrize("status", ["", "closed", "open", "DONE", None])
def test_unknown_status_is_refused(item, handler, status):
    with pytest.raises(ValidationError) as error:
        handling.status_change(item=item, user=handler, status=status)
    assert error.value.code == "invalid" and error.value.field == "status"
    _nothing_written(item)


def test_same_status_without_note_is_refused(item, handler):
    with pytest.raises(ValidationError) as error:
        handling.status_change(item=item, user=handler, status=Status.RECEIVED)
    assert error.value.code == "unchanged"
    _nothing_written(item)


def test_too_long_note_is_refused(item, handler):
    with pytest.raises(ValidationError):
        handling.status_change(
            item=item, user=handler, status=Status.DONE, note="x" * 2001
        )
    _nothing_written(item)


def test_handler_of_another_city_and_resident_are_refused(item, other_city, resident):
    stranger = UserFactory()
    role_grant(user=stranger, city=other_city, role=Role.FEEDBACK_HANDLER)
    for user in (stranger, resident):
        for call in (
            lambda u: handling.status_change(item=item, user=u, status=Status.DONE),
            lambda u: handling.answer_give(item=item, user=u, answer="x"),
            lambda u: handling.item_publish(item=item, user=u),
            lambda u: handling.item_make_private(item=item, user=u),
            lambda u: handling.place_confirm(item=item, user=u),
            lambda u: handling.item_assign(item=item, user=u, expected_at=None),
            lambda u: handling.item_redact(
                item=item, user=u, public_title="a", public_description="b"
            ),
        ):
            with pytest.raises(PermissionDenied):
                call(user)
    item.refresh_from_db()
    assert item.visibility == Visibility.PUBLIC and item.answer == ""
    _nothing_written(item)


# --- answer --------------------------------------------------------------


def test_answer_is_public_searchable_and_mailed(item, handler):
    handling.answer_give(item=item, user=handler, answer="Ovi korjataan maanantaina.")
    item.refresh_from_db()
    assert item.answer == "Ovi korjataan maanantaina."
    assert item.answered_by == handler and item.answered_at is not None
    assert "maanantai" in item.search_terms
    [mail] = _mails()
    assert "Ovi korjataan maanantaina." in mail.body
    # Swedish, the language the sender wrote in (no account to ask).
    assert mail.subject.startswith("Staden svarade på din respons")


@pytest.mark.parametrize("answer", ["", "   ", f"Soita {PERSONAL_CODE}"])
def test_empty_or_personal_answer_is_refused(item, handler, answer):
    with pytest.raises(ValidationError) as error:
        handling.answer_give(item=item, user=handler, answer=answer)
    assert error.value.field == "answer"
    item.refresh_from_db()
    assert item.answer == ""
    assert not OutgoingMail.objects.exists()


def test_no_mail_without_an_address_or_after_withdrawal(service, handler):
    anonymous = FeedbackItemFactory(service=service)
    withdrawn = FeedbackItemFactory(
        service=service, email="w@example.org", withdrawn_at=timezone.now()
    )
    for one in (anonymous, withdrawn):
        handling.answer_give(item=one, user=handler, answer="Kiitos")
    assert not _mails()


# --- assignment ----------------------------------------------------------


def test_assign_agency_allocates_a_received_item(item, handler, city):
    agency = AgencyFactory(city=city)
    expected = timezone.now() + timedelta(days=7)
    handling.item_assign(
        item=item, user=handler, agency=agency, assignee=handler, expected_at=expected
    )
    item.refresh_from_db()
    assert item.agency == agency and item.assigned_to == handler
    assert item.expected_at == expected
    assert item.status == Status.ALLOCATED
    [step] = item.history.all()
    assert step.status == Status.ALLOCATED and not step.internal


def test_assign_keeps_what_is_not_given(item, handler, city):
    agency = AgencyFactory(city=city)
    handling.item_assign(item=item, user=handler, agency=agency)
    handling.item_assign(item=item, user=handler, assignee=handler)
    item.refresh_from_db()
    assert item.agency == agency and item.assigned_to == handler
    handling.item_assign(item=item, user=handler, agency=None)
    item.refresh_from_db()
    assert item.agency is None and item.assigned_to == handler


def test_assign_refuses_another_citys_agency_and_non_handlers(
    item, handler, other_city, resident
):
    with pytest.raises(ValidationError) as error:
        handling.item_assign(
            item=item, user=handler, agency=AgencyFactory(city=other_city)
        )
    assert error.value.field == "agency"
    with pytest.raises(ValidationError) as error:
        handling.item_assign(item=item, user=handler, assignee=resident)
    assert error.value.field == "assignee"
    item.refresh_from_db()
    assert item.agency is None and item.assigned_to is None
    _nothing_written(item)


# --- publication and redaction -------------------------------------------


def test_publish_a_held_item(service, handler):
    item = FeedbackItemFactory(
        service=service,
        visibility=Visibility.PENDING,
        held_reason=HeldReason.SERVICE,
        search_terms="",
    )
    handling.item_publish(item=item, user=handler)
    item.refresh_from_db()
    assert item.visibility == Visibility.PUBLIC
    assert item.held_reason == HeldReason.NONE
    assert item.published_at is not None
    assert item.search_terms
    assert FeedbackItem.objects.public().filter(pk=item.pk).exists()


def test_publish_refuses_personal_data_and_withdrawn(service, handler):
    personal = FeedbackItemFactory(
        service=service,
        visibility=Visibility.PENDING,
        description=f"Tunnukseni {PERSONAL_CODE}",
        held_reason=HeldReason.PERSONAL_DATA,
    )
    withdrawn = FeedbackItemFactory(
        service=service, visibility=Visibility.PENDING, withdrawn_at=timezone.now()
    )
    answered = FeedbackItemFactory(
        service=service,
        visibility=Visibility.PENDING,
        answer=f"Asiakkaan tunnus {PERSONAL_CODE} tarkistettu.",
    )
    for one, code in (
        (personal, "personal_data"),
        (withdrawn, "withdrawn"),
        (answered, "personal_data"),
    ):
        with pytest.raises(ValidationError) as refused:
            handling.item_publish(item=one, user=handler)
        assert refused.value.code == code
        one.refresh_from_db()
        assert one.visibility == Visibility.PENDING


def test_redact_keeps_the_original_privately(service, handler):
    item = FeedbackItemFactory(
        service=service,
        visibility=Visibility.PENDING,
        title="Ovi rikki",
        description=f"Olen {PERSONAL_CODE} ja ovi on rikki.",
    )
    handling.item_redact(
        item=item,
        user=handler,
        public_title="Ovi rikki",
        public_description="[poistettu] ja ovi on rikki.",
    )
    handling.item_publish(item=item, user=handler)
    item.refresh_from_db()
    assert item.is_redacted
    assert PERSONAL_CODE in item.description
    assert item.public_description == "[poistettu] ja ovi on rikki."
    assert "131052" not in item.search_terms


def test_redact_refuses_empty_or_still_personal_text(item, handler):
    for title, description in (
        ("", "teksti"),
        ("otsikko", ""),
        ("otsikko", f"yhä {PERSONAL_CODE}"),
    ):
        with pytest.raises(ValidationError):
            handling.item_redact(
                item=item,
                user=handler,
                public_title=title,
                public_description=description,
            )
    item.refresh_from_db()
    assert not item.is_redacted and item.public_title == item.title


def test_make_private_takes_it_off_public_pages(item, handler):
    handling.item_make_private(item=item, user=handler)
    assert not FeedbackItem.objects.public().filter(pk=item.pk).exists()


# --- place ---------------------------------------------------------------


def test_place_confirm_publishes_the_exact_point(service, handler):
    item = FeedbackItemFactory(service=service, lat=60.1699123, long=24.9384123)
    assert item.public_lat == 60.17
    handling.place_confirm(item=item, user=handler)
    item.refresh_from_db()
    assert item.place_confirmed
    assert (item.public_lat, item.public_long) == (60.1699123, 24.9384123)


def test_place_confirm_without_a_place_is_refused(item, handler):
    with pytest.raises(ValidationError):
        handling.place_confirm(item=item, user=handler)
    item.refresh_from_db()
    assert not item.place_confirmed


# --- merging -------------------------------------------------------------


def test_merge_carries_supports_and_followers_over(service, handler, resident):
    stays = FeedbackItemFactory(service=service)
    sender = UserFactory()
    duplicate = FeedbackItemFactory(service=service, author=sender)
    earlier = FeedbackItemFactory(service=service, merged_into=duplicate)
    both = UserFactory()
    FeedbackSupportFactory(item=stays, user=both)
    FeedbackSupportFactory(item=duplicate, user=both)
    FeedbackSupportFactory(item=duplicate, user=resident)
    FeedbackSupport.objects.create(item=duplicate, anonymous_key=None, user=None)
    follow_create(user=resident, target=duplicate)
    follow_create(user=both, target=stays)
    follow_create(user=both, target=duplicate)

    result = handling.items_merge(duplicate=duplicate, into=stays, user=handler)

    assert result.pk == stays.pk
    stays.refresh_from_db()
    duplicate.refresh_from_db()
    earlier.refresh_from_db()
    assert duplicate.merged_into == stays and earlier.merged_into == stays
    assert duplicate.status == Status.DONE and duplicate.closed_at is not None
    assert f"#{stays.pk}" in duplicate.history.get().note
    # "both" counts once; the row without a supporter moved too, and the
    # duplicate's sender now supports the one that stays.
    assert stays.support_count == 4
    assert FeedbackSupport.objects.filter(item=stays, user=sender).exists()
    assert FeedbackSupport.objects.filter(item=stays, user=both).count() == 1
    followers = set(
        Follow.objects.filter(object_id=stays.pk).values_list("user_id", flat=True)
    )
    assert followers == {resident.pk, both.pk, sender.pk}
    assert not Follow.objects.filter(object_id=duplicate.pk).exists()


def test_merge_bad_inputs_write_nothing(service, handler, other_city):
    one = FeedbackItemFactory(service=service)
    other = FeedbackItemFactory(service=service)
    role_grant(user=handler, city=other_city, role=Role.FEEDBACK_HANDLER)
    elsewhere = FeedbackItemFactory(service=FeedbackServiceFactory(city=other_city))
    with pytest.raises(ValidationError) as error:
        handling.items_merge(duplicate=one, into=one, user=handler)
    assert error.value.code == "self"
    with pytest.raises(ValidationError) as error:
        handling.items_merge(duplicate=one, into=elsewhere, user=handler)
    assert error.value.code == "other_city"
    handling.items_merge(duplicate=other, into=one, user=handler)
    with pytest.raises(ValidationError) as error:
        handling.items_merge(duplicate=other, into=one, user=handler)
    assert error.value.code == "merged"
    third = FeedbackItemFactory(service=service)
    with pytest.raises(ValidationError) as error:
        handling.items_merge(duplicate=third, into=other, user=handler)
    assert error.value.code == "target_merged"
    for item in (one, elsewhere, third):
        item.refresh_from_db()
        assert item.merged_into_id is None and item.status == Status.RECEIVED
    assert not FeedbackStatusChange.objects.exclude(item=other).exists()


def test_merge_needs_the_right_to_handle_both(service, handler, other_city):
    one = FeedbackItemFactory(service=service)
    elsewhere = FeedbackItemFactory(service=FeedbackServiceFactory(city=other_city))
    with pytest.raises(PermissionDenied):
        handling.items_merge(duplicate=one, into=elsewhere, user=handler)
    one.refresh_from_db()
    assert one.merged_into_id is None


def test_merged_item_takes_no_more_status_changes(service, handler):
    one = FeedbackItemFactory(service=service)
    other = FeedbackItemFactory(service=service)
    handling.items_merge(duplicate=other, into=one, user=handler)
    with pytest.raises(ValidationError) as error:
        handling.status_change(item=other, user=handler, status=Status.HANDLING)
    assert error.value.code == "merged"


# --- photos --------------------------------------------------------------


def test_photo_approve_and_reject(
    item, handler, resident, make_photo, django_capture_on_commit_callbacks
):
    from feedback.models import FeedbackPhoto

    kept, rejected = make_photo(item), make_photo(item)
    storage, name = rejected.image.storage, rejected.image.name
    with pytest.raises(PermissionDenied):
        handling.photo_review(photo=kept, user=resident, approve=True)
    handling.photo_review(photo=kept, user=handler, approve=True)
    with django_capture_on_commit_callbacks(execute=True):
        handling.photo_review(photo=rejected, user=handler, approve=False)
    kept.refresh_from_db()
    assert kept.approved
    assert not FeedbackPhoto.objects.filter(pk=rejected.pk).exists()
    assert not storage.exists(name)
