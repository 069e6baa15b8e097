"""The give-feedback form, the receipt, the follow-up page and similar answers."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from core.models import District
from feedback.models import (
    FeedbackItem,
    FeedbackPhoto,
    FeedbackStatusChange,
    Status,
    Visibility,
)
from feedback.services.common import search_terms_refresh
from feedback.services.intake import feedback_submit
from tests.feedback.factories import (
    FeedbackItemFactory,
    FeedbackServiceFactory,
    FeedbackStatusChangeFactory,
)

NEW = "/feedback/new/"
SIMILAR = "/feedback/similar/"


def jpeg() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (30, 20), "green").save(buffer, "JPEG")
    return SimpleUploadedFile("door.jpg", buffer.getvalue(), content_type="image/jpeg")


def valid(chosen, **extra) -> dict:
    data = {
        "city": chosen.city.slug,
        "service": chosen.service_code,
        "kind": "complaint",
        "title": "Kirjaston ovi on rikki",
        "description": "Pääoven automatiikka ei toimi, pyörätuolilla ei pääse sisään.",
        "language": "fi",
    }
    data.update(extra)
    return data


def nothing_written() -> bool:
    return not (
        FeedbackItem.objects.exists()
        or FeedbackStatusChange.objects.exists()
        or FeedbackPhoto.objects.exists()
    )


def sent_link(client) -> str:
    page = client.get(reverse("feedback:sent")).content.decode()
    match = re.search(r'href="(http://testserver/feedback/track/[^"/]+/)"', page)
    assert match, page
    return match.group(1).removeprefix("http://testserver")


# --- the form


def test_form_groups_services_by_subject_area_and_warns(client, service, city):
    FeedbackServiceFactory(city=city, group_en="Streets", name_en="Potholes")
    FeedbackServiceFactory(city=city, is_active=False, name_en="Closed service")
    page = client.get("/en" + NEW)
    html = page.content.decode()
    assert page.status_code == 200
    assert '<optgroup label="Culture and leisure">' in html
    assert '<optgroup label="Streets">' in html
    assert "Closed service" not in html
    assert "identity numbers" in html
    assert "never published" in html
    # Help texts are tied to their inputs before any error, too.
    assert 'aria-describedby="id_description_helptext"' in html
    assert 'type="hidden" name="lat"' in html
    assert "tile.openstreetmap.org" in page["Content-Security-Policy"]


def test_form_page_queries_are_fixed(client, service, city, django_assert_num_queries):
    client.get(NEW)
    for n in range(5):
        FeedbackServiceFactory(city=city, group_fi=f"Alue {n}")
        District.objects.create(city=city, slug=f"d{n}", name_fi=f"D {n}")
    # Services, districts, the city choices, and the base layout's pages.
    with django_assert_num_queries(6):
        assert client.get(NEW).status_code == 200


def test_send_redirects_to_the_receipt_with_the_link_once(client, service):
    response = client.post(NEW, valid(service))
    assert response.status_code == 302
    assert response["Location"].endswith("/feedback/new/sent/")
    item = FeedbackItem.objects.get()
    assert item.visibility == Visibility.PUBLIC
    assert item.anonymous_key is not None
    link = sent_link(client)
    assert client.get(link).status_code == 200
    # Shown once: reloading the receipt goes back to the form.
    again = client.get(reverse("feedback:sent"))
    assert again.status_code == 302


def test_receipt_page_is_private(client, service):
    client.post(NEW, valid(service))
    response = client.get(reverse("feedback:sent"))
    assert response["Referrer-Policy"] == "no-referrer"
    assert '<meta name="robots" content="noindex">' in response.content.decode()


def test_send_with_photo_place_and_district(client, service):
    district = District.objects.create(city=service.city, slug="kallio", name_fi="K")
    data = valid(
        service,
        address="Kirjastokatu 1",
        lat="60.1234567",
        long="24.9876543",
        district=str(district.pk),
        email="sender@example.org",
    )
    data["photos"] = [jpeg(), jpeg()]
    assert client.post(NEW, data).status_code == 302
    item = FeedbackItem.objects.get()
    assert item.district == district
    assert (item.public_lat, item.public_long) == (60.123, 24.988)
    assert item.photos.count() == 2


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": ""}, "title"),
        ({"description": ""}, "description"),
        ({"service": "no-such-service"}, "service"),
        ({"kind": "rant"}, "kind"),
        ({"lat": "60.1"}, None),
        ({"lat": "95", "long": "24"}, None),
        ({"lat": "north", "long": "24"}, "lat"),
        ({"email": "not-an-address"}, "email"),
        ({"description": "x" * 5001}, "description"),
    ],
)
def test_bad_input_is_a_clear_400_and_nothing_written(client, service, change, field):
    response = client.post(NEW, valid(service, **change))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Please correct the marked fields." in html or "Korjaa" in html
    assert 'role="alert"' in html
    if field:
        assert f'id="id_{field}_errors"' in html
        assert re.search(rf'aria-describedby="[^"]*id_{field}_errors', html) or (
            field in ("kind", "lat")
        )
    assert nothing_written()


def test_service_of_another_city_is_refused(client, service, other_city):
    other = FeedbackServiceFactory(city=other_city)
    response = client.post(NEW, valid(service, service=other.service_code))
    assert response.status_code == 400
    assert nothing_written()


def test_not_an_image_is_refused_with_the_files_name(client, service, media_root):
    data = valid(service)
    data["photos"] = [
        jpeg(),
        SimpleUploadedFile("evil.jpg", b"<?php echo 1; ?>", content_type="image/jpeg"),
    ]
    response = client.post(NEW, data)
    assert response.status_code == 400
    assert "evil.jpg" in response.content.decode()
    assert nothing_written()
    # Not even the good photo reached the disk.
    assert not [path for path in media_root.rglob("*") if path.is_file()]


def test_honeypot_refuses(client, service):
    response = client.post(NEW, valid(service, website="http://spam.example"))
    assert response.status_code == 400
    assert nothing_written()


def test_rate_limit_answers_429(client, service, monkeypatch):
    from feedback.services import intake

    monkeypatch.setattr(intake, "SUBMITS_PER_ACTOR_PER_HOUR", 1)
    assert client.post(NEW, valid(service)).status_code == 302
    response = client.post(NEW, valid(service))
    assert response.status_code == 429
    assert FeedbackItem.objects.count() == 1


# --- the follow-up page


@pytest.fixture
def sent(service):
    from core.actors import Actor

    return feedback_submit(
        actor=Actor(ip="10.1.1.1"),
        service=service,
        kind="question",
        title="Milloin kirjasto aukeaa?",
        description="Kirjaston aukioloajat puuttuvat sivuilta.",
        language="fi",
        email="secret-sender@example.org",
        first_name="Salainen",
        phone="0401234567",
        address="Kotikatu 5 A 3",
        lat=60.1,
        long=24.9,
    )


def test_track_page_shows_trail_answer_and_public_notes_only(client, sent, handler):
    item, token = sent
    FeedbackStatusChangeFactory(item=item, status=Status.ALLOCATED, note="Kirjastolle")
    FeedbackStatusChangeFactory(
        item=item, status=Status.HANDLING, note="Sisäinen muistio", internal=True
    )
    FeedbackItem.objects.filter(pk=item.pk).update(
        status=Status.HANDLING, answer="Aukioloajat on nyt lisätty."
    )
    response = client.get(f"/en/feedback/track/{token}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert response["Referrer-Policy"] == "no-referrer"
    assert '<meta name="robots" content="noindex">' in html
    assert "Kirjastolle" in html
    assert "Sisäinen muistio" not in html
    assert "Aukioloajat on nyt lisätty." in html
    assert 'aria-current="step">Being handled' in html
    assert "Milloin kirjasto aukeaa?" in html
    # Contact details and the exact point never appear.
    for private in ("secret-sender@example.org", "Salainen", "0401234567", "60.1"):
        assert private not in html


def test_made_up_token_is_404(client, sent):
    assert client.get("/feedback/track/made-up-token/").status_code == 404
    assert client.post("/feedback/track/made-up/withdraw/").status_code == 404


def test_withdraw_needs_the_confirmation(client, sent):
    item, token = sent
    client.post(f"/feedback/track/{token}/withdraw/")
    item.refresh_from_db()
    assert item.withdrawn_at is None
    response = client.post(f"/feedback/track/{token}/withdraw/", {"confirm": "yes"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.withdrawn_at is not None
    page = client.get(f"/en/feedback/track/{token}/").content.decode()
    assert "You withdrew this feedback" in page
    assert 'name="confirm"' not in page


def test_track_page_shows_own_unapproved_photos(client, service):
    from core.actors import Actor

    item, token = feedback_submit(
        actor=Actor(ip="10.1.1.2"),
        service=service,
        kind="fault_report",
        title="Rikki penkki",
        description="Puistonpenkin lauta on irti.",
        language="fi",
        photos=[jpeg()],
    )
    html = client.get(f"/feedback/track/{token}/").content.decode()
    src = re.search(r'<img src="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert client.get(src).status_code == 200
    # Without the token the same photo is not shown to anyone else.
    assert client.get(src.split("?")[0]).status_code == 404


def test_signed_in_sender_sees_their_feedback_in_activity(client, service, resident):
    client.force_login(resident)
    client.post(NEW, valid(service, title="Oma palautteeni kirjastosta"))
    item = FeedbackItem.objects.get()
    assert item.author == resident
    activity = client.get(reverse("accounts:activity")).content.decode()
    assert "Oma palautteeni kirjastosta" in activity
    mine = reverse("feedback:mine", kwargs={"pk": item.pk})
    assert mine in activity
    assert client.get(mine).status_code == 200
    response = client.post(
        reverse("feedback:mine_withdraw", kwargs={"pk": item.pk}), {"confirm": "yes"}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.withdrawn_at is not None


def test_someone_elses_feedback_is_404_on_mine(client, sent, resident):
    item, _token = sent
    client.force_login(resident)
    assert client.get(reverse("feedback:mine", kwargs={"pk": item.pk})).status_code == (
        404
    )


def test_personal_data_export_has_the_feedback(client, service, resident):
    from accounts.selectors import personal_data_export

    client.force_login(resident)
    client.post(NEW, valid(service, email="riikka@example.org"))
    data = personal_data_export(resident)
    assert data["feedback"][0]["email"] == "riikka@example.org"


# --- similar answered feedback


def answered(service, **kwargs):
    item = FeedbackItemFactory(
        service=service, answer="Kirjasto on auki arkisin 9–20.", **kwargs
    )
    search_terms_refresh(item)
    return item


def test_similar_shows_answered_public_feedback(client, service, city):
    shown = answered(
        service,
        title="Kirjaston aukioloajat",
        description="Milloin kirjasto on auki?",
    )
    unanswered = FeedbackItemFactory(
        service=service, title="Vastaamaton kirjasto", description="Kirjasto auki?"
    )
    search_terms_refresh(unanswered)
    pending = answered(
        service,
        title="Odottava kirjasto",
        description="Kirjasto",
        visibility=Visibility.PENDING,
    )
    withdrawn = answered(service, title="Peruttu kirjasto")
    FeedbackItem.objects.filter(pk=withdrawn.pk).update(withdrawn_at=shown.created_at)
    response = client.get("/feedback/similar/", {"q": "kirjastoon", "city": "helsinki"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kirjaston aukioloajat" in html
    assert "Kirjasto on auki arkisin" in html
    assert unanswered.title not in html
    assert pending.title not in html
    assert withdrawn.title not in html


def test_similar_without_words_is_empty_and_other_city_filtered(
    client, service, other_city
):
    answered(service, title="Kirjaston aukioloajat", description="auki")
    assert client.get("/feedback/similar/", {"q": "  "}).content.strip() == b""
    other = client.get("/feedback/similar/", {"q": "kirjasto", "city": "turku"})
    assert b"Kirjaston" not in other.content


def test_similar_query_count(client, service, city, django_assert_num_queries):
    for n in range(6):
        answered(service, title=f"Kirjaston aukiolo {n}", description="auki")
    with django_assert_num_queries(2):  # the city; the candidates, ranked
        response = client.get(SIMILAR, {"q": "kirjasto", "city": city.slug})
    assert response.content.decode().count("<li>") == 5


def test_similar_is_rate_limited(client, db, monkeypatch):
    from feedback import views

    monkeypatch.setattr(views, "SIMILAR_REQUESTS_PER_MINUTE", 2)
    for _n in range(2):
        assert client.get("/feedback/similar/", {"q": "x"}).status_code == 200
    assert client.get("/feedback/similar/", {"q": "x"}).status_code == 429


def test_track_page_queries_are_fixed(client, sent, django_assert_num_queries):
    item, token = sent
    url = f"/feedback/track/{token}/"
    client.get(url)
    for n in range(5):
        FeedbackStatusChangeFactory(item=item, status=Status.HANDLING, note=f"{n}")
    # The item with its service, the trail, the photos, the base layout's pages.
    with django_assert_num_queries(6):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("tiles", "origin"),
    [
        (
            "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
            "https://tile.openstreetmap.org",
        ),
        ("https://{s}.tiles.example.fi/{z}/{x}/{y}.png", "https://*.tiles.example.fi"),
        ("", ""),
        ("javascript:alert(1)", ""),
    ],
)
def test_csp_img_src_follows_the_tile_setting(tiles, origin):
    from config.settings import _tile_origin

    assert _tile_origin(tiles) == origin


def test_without_tiles_there_is_no_map(client, service, settings):
    settings.FEEDBACK_MAP_TILES = ""
    html = client.get(NEW).content.decode()
    assert "leaflet" not in html
    assert 'id="feedback-map"' not in html
    assert 'type="hidden" name="lat"' in html
