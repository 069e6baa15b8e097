"""Giving and withdrawing feedback (`feedback.services.intake`)."""

import io
import uuid

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.actors import Actor
from core.errors import Forbidden, Invalid, RateLimited
from core.models import District, OutgoingMail
from feedback.models import (
    Channel,
    FeedbackItem,
    FeedbackPhoto,
    FeedbackStatusChange,
    HeldReason,
    Kind,
    Publication,
    Status,
    Visibility,
    tracking_token_hash,
)
from feedback.selectors import item_by_token
from feedback.services.intake import (
    SUBMITS_PER_ACTOR_PER_HOUR,
    feedback_submit,
    feedback_withdraw,
)
from tests.feedback.factories import FeedbackServiceFactory


def anonymous(ip="10.0.0.1") -> Actor:
    return Actor(anonymous_key=uuid.uuid4(), ip=ip)


def jpeg(name="photo.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def district_of(city, name="Kallio") -> District:
    return District.objects.create(city=city, slug=name.lower(), name_fi=name)


def submit(service, actor=None, **kwargs):
    values = {
        "actor": actor or anonymous(),
        "service": service,
        "kind": Kind.COMPLAINT,
        "title": "Kirjaston ovi on rikki",
        "description": "Pääoven automatiikka ei toimi, pyörätuolilla ei pääse.",
        "language": "fi",
    }
    values.update(kwargs)
    return feedback_submit(**values)


def nothing_written():
    return (
        not FeedbackItem.objects.exists()
        and not FeedbackStatusChange.objects.exists()
        and not FeedbackPhoto.objects.exists()
        and not OutgoingMail.objects.exists()
    )


def test_submit_stores_item_history_and_only_the_token_hash(service):
    item, token = submit(service, title="  Ovi\u202e rikki  ")
    item.refresh_from_db()
    assert item.title == "Ovi rikki"  # sanitised: the bidi override is gone
    assert item.public_title == item.title
    assert item.language == "fi"
    assert item.city_id == service.city_id
    assert item.status == Status.RECEIVED
    assert item.visibility == Visibility.PUBLIC
    assert item.published_at is not None
    assert item.channel == Channel.WEB
    assert len(token) >= 32
    assert item.tracking_token_hash == tracking_token_hash(token)
    assert token not in item.tracking_token_hash
    assert item_by_token(token) == item
    assert item_by_token(token + "x") is None
    assert " pyörätuoli " in item.search_terms
    history = list(item.history.all())
    assert [h.status for h in history] == [Status.RECEIVED]
    assert not history[0].internal


def test_tokens_differ_between_items(service):
    assert submit(service).token != submit(service).token


def test_signed_in_sender_is_the_author(service, resident):
    item, _token = submit(service, actor=Actor(user=resident, ip="10.0.0.2"))
    assert item.author == resident
    assert item.anonymous_key is None


def test_service_publishing_after_a_check_holds_the_item(city):
    service = FeedbackServiceFactory(city=city, publication=Publication.AFTER_CHECK)
    item, _token = submit(service)
    assert item.visibility == Visibility.PENDING
    assert item.held_reason == HeldReason.SERVICE
    assert item.published_at is None
    assert not FeedbackItem.objects.public().exists()


def test_identity_code_holds_the_item_whatever_the_service(service):
    item, _token = submit(service, description="Hetuni on 131052-308T, soittakaa.")
    assert item.visibility == Visibility.PENDING
    assert item.held_reason == HeldReason.PERSONAL_DATA


def test_place_is_kept_exactly_and_published_coarsened(service):
    district = district_of(service.city)
    item, _token = submit(
        service,
        address="Mannerheimintie 1",
        lat=60.1699123,
        long=24.9384123,
        district=district,
    )
    assert (item.lat, item.long) == (60.1699123, 24.9384123)
    assert (item.public_lat, item.public_long) == (60.17, 24.938)
    assert item.district == district


@pytest.mark.parametrize(
    ("lat", "long", "code"),
    [
        (60.1, None, "point_incomplete"),
        (None, 24.9, "point_incomplete"),
        (91, 24.9, "point_range"),
        (60.1, -181, "point_range"),
        ("north", 24.9, "point_invalid"),
        ("nan", 24.9, "point_range"),
    ],
)
def test_bad_point_is_refused(service, lat, long, code):
    with pytest.raises(Invalid) as caught:
        submit(service, lat=lat, long=long)
    assert caught.value.error_dict["lat"][0].code == code
    assert nothing_written()


def test_district_of_another_city_is_refused(service, other_city):
    with pytest.raises(Invalid) as caught:
        submit(service, district=district_of(other_city))
    assert "district" in caught.value.error_dict
    assert nothing_written()


def test_every_field_error_at_once_and_nothing_written(service):
    with pytest.raises(ValidationError) as caught:
        submit(
            service,
            kind="rant",
            title="",
            description="short",
            language="de",
            email="not-an-address",
        )
    assert set(caught.value.error_dict) == {
        "kind",
        "title",
        "description",
        "language",
        "email",
    }
    assert nothing_written()


def test_too_long_description_is_refused(service):
    with pytest.raises(Invalid) as caught:
        submit(service, description="x" * 5001)
    assert caught.value.error_dict["description"][0].code == "too_long"
    assert nothing_written()


def test_inactive_service_refuses(city):
    service = FeedbackServiceFactory(city=city, is_active=False)
    with pytest.raises(Forbidden):
        submit(service)
    assert nothing_written()


def test_bad_photo_refuses_the_whole_feedback(service):
    text = SimpleUploadedFile("door.jpg", b"not an image", content_type="image/jpeg")
    with pytest.raises(Invalid) as caught:
        submit(service, photos=[jpeg(), text])
    assert caught.value.error_dict["photos"][0].code == "photo_type"
    assert nothing_written()


def test_photos_are_stored_unapproved(service):
    item, _token = submit(service, photos=[jpeg(), jpeg("b.jpg")])
    photos = list(item.photos.all())
    assert len(photos) == 2
    assert not any(photo.approved for photo in photos)
    assert all(photo.image.name.startswith("feedback/") for photo in photos)
    assert "photo" not in photos[0].image.name


def test_rate_limit_per_actor(service):
    actor = anonymous()
    for _n in range(SUBMITS_PER_ACTOR_PER_HOUR):
        submit(service, actor=actor)
    with pytest.raises(RateLimited):
        submit(service, actor=actor)
    assert FeedbackItem.objects.count() == SUBMITS_PER_ACTOR_PER_HOUR


def test_rate_limit_per_address(service, settings):
    from feedback.services import intake

    for _n in range(intake.SUBMITS_PER_IP_PER_HOUR):
        submit(service, actor=anonymous(ip="10.9.9.9"))
    with pytest.raises(RateLimited):
        submit(service, actor=anonymous(ip="10.9.9.9"))
    submit(service, actor=anonymous(ip="10.9.9.10"))


@pytest.mark.parametrize(
    ("language", "subject_start", "body_words"),
    [
        ("fi", "Saimme palautteesi", "Seuraa"),
        ("sv", "Vi har fått din respons", "Följ"),
        ("en", "We received your feedback", "Follow"),
    ],
)
def test_receipt_email_in_the_senders_language(
    service, language, subject_start, body_words, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        item, token = submit(
            service, language=language, email="sender@example.org", first_name="Sanna"
        )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["sender@example.org"]
    assert message.subject.startswith(subject_start)
    assert body_words in message.body
    assert f"/feedback/track/{token}/" in message.body
    assert "Sanna" in message.body


def test_no_email_no_receipt(service, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submit(service)
    assert not OutgoingMail.objects.exists()
    assert mail.outbox == []


# --- withdraw


def test_withdraw_by_token_holder_hides_the_item(service):
    item, token = submit(service)
    assert FeedbackItem.objects.public().filter(pk=item.pk).exists()
    feedback_withdraw(item=item, token=token)
    item.refresh_from_db()
    assert item.withdrawn_at is not None
    assert not FeedbackItem.objects.public().filter(pk=item.pk).exists()
    assert item.history.count() == 2


def test_withdraw_by_signed_in_sender(service, resident):
    actor = Actor(user=resident)
    item, _token = submit(service, actor=actor)
    feedback_withdraw(item=item, actor=actor)
    item.refresh_from_db()
    assert item.withdrawn_at is not None


def test_withdraw_by_anonymous_sender_with_their_key(service):
    actor = anonymous()
    item, _token = submit(service, actor=actor)
    feedback_withdraw(item=item, actor=actor)
    assert FeedbackItem.objects.get(pk=item.pk).withdrawn_at is not None


def test_withdraw_by_someone_else_is_refused(service, resident):
    item, _token = submit(service)
    with pytest.raises(PermissionDenied):
        feedback_withdraw(item=item, actor=Actor(user=resident))
    with pytest.raises(PermissionDenied):
        feedback_withdraw(item=item, token="made-up-token")
    with pytest.raises(PermissionDenied):
        feedback_withdraw(item=item)
    item.refresh_from_db()
    assert item.withdrawn_at is None
    assert item.history.count() == 1


def test_withdraw_twice_is_refused(service):
    item, token = submit(service)
    feedback_withdraw(item=item, token=token)
    with pytest.raises(Invalid) as caught:
        feedback_withdraw(item=item, token=token)
    assert caught.value.code == "withdrawn"
    assert item.history.count() == 2


def test_done_item_cannot_be_withdrawn(service):
    item, token = submit(service)
    FeedbackItem.objects.filter(pk=item.pk).update(status=Status.DONE)
    with pytest.raises(Invalid) as caught:
        feedback_withdraw(item=item, token=token)
    assert caught.value.code == "handled"


def test_signed_in_sender_hears_why_a_second_withdrawal_fails(service, resident):
    actor = Actor(user=resident)
    item, _token = submit(service, actor=actor)
    feedback_withdraw(item=item, actor=actor)
    with pytest.raises(Invalid) as caught:
        feedback_withdraw(item=item, actor=actor)
    assert caught.value.code == "withdrawn"


def test_a_stranger_learns_nothing_about_the_items_state(service, resident):
    item, token = submit(service)
    feedback_withdraw(item=item, token=token)
    with pytest.raises(Forbidden):
        feedback_withdraw(item=item, actor=Actor(user=resident))


def test_nobody_but_the_signed_in_sender_withdraws_their_feedback(service, resident):
    item, _token = submit(service, actor=Actor(user=resident))
    for stranger in (Actor(ip="10.0.0.9"), anonymous()):
        with pytest.raises(PermissionDenied):
            feedback_withdraw(item=item, actor=stranger)
    assert FeedbackItem.objects.get(pk=item.pk).withdrawn_at is None
    feedback_withdraw(item=item, actor=Actor(user=resident))
    assert FeedbackItem.objects.get(pk=item.pk).withdrawn_at is not None
