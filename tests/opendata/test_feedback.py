"""The feedback datasets: the published items with the city's answers and the
services they are about. Only public text, the published point, no contact data,
no sender, no redacted original; tombstones for mirrors; times to the second."""

import csv
import io
import json
import re

import pyarrow.parquet as pq
import pytest
from django.utils import timezone

from core.models import District
from feedback.models import FeedbackItem, FeedbackStatusChange, Status, Visibility
from opendata import datasets
from opendata.models import Tombstone
from tests.feedback.factories import FeedbackItemFactory, FeedbackServiceFactory
from tests.opendata.test_api import api_rows, download
from tests.opendata.test_sync import Mirror

FEEDBACK_COLUMNS = [
    "id",
    "city",
    "service_code",
    "kind",
    "status",
    "open311_status",
    "district",
    "district_slug",
    "requested_at",
    "closed_at",
    "lat",
    "long",
    "address",
    "title",
    "description",
    "answer",
    "answered_at",
    "language",
    "channel",
    "source_system",
    "source_licence",
    "support_count",
    "created_at",
    "updated_at",
]
SERVICE_COLUMNS = [
    "id",
    "city",
    "service_code",
    *(
        f"{name}_{code}"
        for name in ("name", "description", "group")
        for code in ("fi", "sv", "en")
    ),
    "publication",
    "active",
    "created_at",
    "updated_at",
]
# Planted where only the city may see them.
EMAIL = "salainen.lahettaja@example.org"
FIRST, LAST = "Sulo", "Salaperäinen"
PHONE = "040 765 4321"
HETU = "131052-308T"
ORIGINAL = f"Soita minulle {PHONE}, hetu {HETU}"
PRIVATE_TEXT = "Yksityinen huomio naapurista"
PENDING_TEXT = "Odottaa tarkistusta"
INTERNAL_NOTE = "Sisäinen muistiinpano käsittelijöille"
HOME_ADDRESS = "Kotikatu 13 B 7"
EXACT = (60.1698765, 24.9383456)
TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


@pytest.fixture
def service(city):
    return FeedbackServiceFactory(
        city=city,
        service_code="hel-library",
        name_fi="=Kirjasto",
        description_sv="Bibliotekets tjänster",
    )


def planted(service, city) -> dict[str, FeedbackItem]:
    """A public item, a redacted one, a private one, a pending one; each with
    contact details and an exact point, and a history with an internal note."""
    contact = {
        "email": EMAIL,
        "first_name": FIRST,
        "last_name": LAST,
        "phone": PHONE,
        "lat": EXACT[0],
        "long": EXACT[1],
        "address": HOME_ADDRESS,
    }
    district = District.objects.create(city=city, slug="kallio", name_fi="Kallio")
    items = {
        "public": FeedbackItemFactory(
            service=service,
            title="+Kirjaston ovi",
            description="-ovi ei aukea",
            district=district,
            answer="=Korjattu",
            answered_at=timezone.now(),
            status=Status.DONE,
            closed_at=timezone.now(),
            support_count=3,
            **contact,
        ),
        "redacted": FeedbackItemFactory(
            service=service,
            title=f"Soita {FIRST} {LAST}",
            description=ORIGINAL,
            public_title="Soita (poistettu)",
            public_description="Soita minulle (poistettu)",
            is_redacted=True,
            **contact,
        ),
        "private": FeedbackItemFactory(
            service=service,
            title=PRIVATE_TEXT,
            description=PRIVATE_TEXT,
            visibility=Visibility.PRIVATE,
            **contact,
        ),
        "pending": FeedbackItemFactory(
            service=service,
            title=PENDING_TEXT,
            description=PENDING_TEXT,
            visibility=Visibility.PENDING,
            **contact,
        ),
        "confirmed": FeedbackItemFactory(
            service=service,
            lat=60.17,
            long=24.94,
            address="Rautatientori",
            place_confirmed=True,
        ),
    }
    FeedbackStatusChange.objects.create(
        item=items["public"], status=Status.HANDLING, note=INTERNAL_NOTE, internal=True
    )
    return items


def every_output(client) -> bytes:
    outputs = [
        client.get("/api/v1/").content,
        client.get("/api/v1/catalog.jsonld").content,
        client.get("/api/v1/schema/", {"format": "json"}).content,
    ]
    for name in ("feedback", "feedback-services"):
        outputs.append(client.get(f"/api/v1/{name}/").content)
        outputs.append(
            client.get(
                f"/api/v1/{name}/", {"updated_since": "2000-01-01T00:00:00Z"}
            ).content
        )
        for fmt in ("csv", "jsonl", "excel.csv"):
            outputs.append(download(client, name, fmt))
        parquet = pq.read_table(io.BytesIO(download(client, name, "parquet")))
        outputs.append(json.dumps(parquet.to_pylist(), default=str).encode())
    return b"\n".join(outputs)


def test_columns_are_the_same_in_the_api_and_every_download(client, service, city):
    planted(service, city)
    for name, expected in (
        ("feedback", FEEDBACK_COLUMNS),
        ("feedback-services", SERVICE_COLUMNS),
    ):
        assert datasets.get(name).column_names == expected
        api = api_rows(client, name)
        assert api and list(api[0]) == expected
        header = next(csv.reader(io.StringIO(download(client, name, "csv").decode())))
        assert header == expected
        first = json.loads(download(client, name, "jsonl").splitlines()[0])
        assert first == api[0]
        table = pq.read_table(io.BytesIO(download(client, name, "parquet")))
        assert table.column_names == expected
    from opendata.exports import datapackage

    fields = {
        (r["name"], f["name"]): f["type"]
        for r in datapackage()["resources"]
        for f in r["schema"]["fields"]
    }
    assert fields[("feedback", "lat")] == fields[("feedback-parquet", "long")]
    assert fields[("feedback", "lat")] == "number"
    assert fields[("feedback-services", "active")] == "boolean"
    assert table.schema.field("active").type == "bool"
    catalog = client.get("/api/v1/catalog.jsonld").json()
    identifiers = {d["dct:identifier"] for d in catalog["dcat:dataset"]}
    assert {"feedback", "feedback-services"} <= identifiers


def test_only_published_items_with_public_text_and_published_point(
    client, service, city
):
    items = planted(service, city)
    rows = {row["id"]: row for row in api_rows(client, "feedback")}
    assert set(rows) == {
        items["public"].pk,
        items["redacted"].pk,
        items["confirmed"].pk,
    }
    row = rows[items["public"].pk]
    assert row["city"] == city.slug and row["service_code"] == "hel-library"
    assert (row["status"], row["open311_status"]) == ("done", "closed")
    assert (row["district"], row["district_slug"]) == ("Kallio", "kallio")
    assert (row["lat"], row["long"]) == (60.17, 24.938)  # coarsened
    assert row["address"] == ""  # the place was not confirmed
    assert row["title"] == "+Kirjaston ovi" and row["answer"] == "=Korjattu"
    assert row["support_count"] == 3 and row["channel"] == "web"
    for column in ("requested_at", "closed_at", "answered_at", "created_at"):
        assert TIME.match(row[column]), row[column]  # to the second
    assert TIME.match(row["updated_at"])
    assert rows[items["redacted"].pk]["title"] == "Soita (poistettu)"
    assert rows[items["redacted"].pk]["open311_status"] == "open"
    confirmed = rows[items["confirmed"].pk]
    assert (confirmed["lat"], confirmed["address"]) == (60.17, "Rautatientori")
    # Downloads: the formula guard on text, none on numbers and choices.
    body = download(client, "feedback", "csv")
    assert b"'+Kirjaston ovi" in body and b"'-ovi ei aukea" in body
    assert b"'=Korjattu" in body and b",60.17,24.938," in body
    assert b"'=Kirjasto" in download(client, "feedback-services", "csv")


def test_no_personal_data_in_any_output(client, service, city):
    planted(service, city)
    blob = every_output(client)
    for secret in (
        EMAIL,
        FIRST,
        LAST,
        PHONE,
        HETU,
        ORIGINAL,
        PRIVATE_TEXT,
        PENDING_TEXT,
        INTERNAL_NOTE,
        HOME_ADDRESS,
        str(EXACT[0]),
        str(EXACT[1]),
    ):
        assert secret.encode() not in blob, secret
    assert b"Soita (poistettu)" in blob


def test_services_dataset(client, service, city):
    FeedbackServiceFactory(city=city, service_code="hel-old", is_active=False)
    rows = {row["service_code"]: row for row in api_rows(client, "feedback-services")}
    assert rows["hel-library"]["name_fi"] == "=Kirjasto"
    assert rows["hel-library"]["description_sv"] == "Bibliotekets tjänster"
    assert rows["hel-library"]["publication"] == "immediate"
    assert (rows["hel-library"]["active"], rows["hel-old"]["active"]) == (True, False)
    assert [
        r["service_code"]
        for r in api_rows(client, "feedback-services", service_code="hel-old")
    ] == ["hel-old"]


def test_filters(client, service, city):
    items = planted(service, city)
    other = FeedbackItemFactory(city=city, status=Status.ALLOCATED)
    assert {r["id"] for r in api_rows(client, "feedback", status="done")} == {
        items["public"].pk
    }
    ids = {r["id"] for r in api_rows(client, "feedback", service_code="hel-library")}
    assert other.pk not in ids and items["public"].pk in ids
    assert {r["id"] for r in api_rows(client, "feedback", district="kallio")} == {
        items["public"].pk
    }


def _change(item: FeedbackItem, **fields) -> None:
    """As the handling services save an item: its change time moves."""
    for name, value in fields.items():
        setattr(item, name, value)
    item.save()


def test_a_mirror_follows_hiding_privacy_redaction_withdrawal_and_deletion(
    client, service, city
):
    items = [FeedbackItemFactory(service=service) for _ in range(6)]
    never = FeedbackItemFactory(service=service, visibility=Visibility.PENDING)
    mirror = Mirror(client, "feedback")
    assert set(mirror.rows) == {item.pk for item in items}

    hidden, private, redacted, withdrawn, deleted, kept = items
    _change(hidden, visibility=Visibility.PENDING)
    _change(private, visibility=Visibility.PRIVATE)
    old_title = redacted.public_title
    _change(redacted, public_title="Poistettu", is_redacted=True)
    _change(withdrawn, withdrawn_at=timezone.now())
    deleted_pk = deleted.pk
    deleted.delete()
    never.delete()  # never public: no tombstone

    changes = mirror.sync()
    removed = {row["id"] for row in changes if row.get("removed")}
    assert removed == {hidden.pk, private.pk, withdrawn.pk, deleted_pk}
    assert mirror.rows == mirror.live()
    assert set(mirror.rows) == {redacted.pk, kept.pk}
    assert mirror.rows[redacted.pk]["title"] == "Poistettu"
    assert old_title.encode() not in json.dumps(mirror.rows).encode()
    assert set(
        Tombstone.objects.filter(dataset="feedback").values_list("object_id", flat=True)
    ) == {deleted_pk}
    for row in changes:
        if row["id"] != deleted_pk:  # a recorded deletion keeps its exact time
            assert TIME.match(row["updated_at"]), row  # tombstones to the second


def test_updated_since_lists_only_later_changes(client, service, city):
    old = FeedbackItemFactory(service=service)
    changed = FeedbackItemFactory(service=service)
    FeedbackItem.objects.filter(pk=old.pk).update(
        updated_at=timezone.now() - timezone.timedelta(days=2)
    )
    since = (timezone.now() - timezone.timedelta(days=1)).isoformat()
    assert [r["id"] for r in api_rows(client, "feedback", updated_since=since)] == [
        changed.pk
    ]


def test_deleting_a_service_leaves_a_tombstone(client, service, city):
    spare = FeedbackServiceFactory(city=city)
    spare_pk = spare.pk
    spare.delete()
    stones = [
        r
        for r in api_rows(
            client, "feedback-services", updated_since="2000-01-01T00:00:00Z"
        )
        if r.get("removed")
    ]
    assert [r["id"] for r in stones] == [spare_pk]


def test_list_query_count_is_fixed(
    client, service, city, django_assert_max_num_queries
):
    district = District.objects.create(city=city, slug="kallio", name_fi="Kallio")
    for n in range(30):
        FeedbackItemFactory(service=service, district=district if n % 2 else None)
    with django_assert_max_num_queries(3):
        response = client.get("/api/v1/feedback/", {"page_size": 1000})
    assert len(response.json()["results"]) == 30
    with django_assert_max_num_queries(3):
        response = client.get(
            "/api/v1/feedback/", {"updated_since": "2000-01-01T00:00:00Z"}
        )
    assert len(response.json()["results"]) == 30


def test_flat_rows_equal_model_rows(service, city):
    from opendata import formats

    planted(service, city)
    for name in ("feedback", "feedback-services"):
        dataset = datasets.get(name)
        objects = dataset.queryset().order_by("updated_at", "id")
        expected = [list(dataset.row(obj).values()) for obj in objects]
        assert list(formats.value_rows(dataset, formats.rows(dataset))) == expected


def test_a_mirror_follows_the_feedback_services(client, service, city):
    """The same through the handlers' and the sender's own services."""
    import uuid

    from accounts.models import Role
    from accounts.services import role_grant
    from core.actors import Actor
    from feedback.services import handling
    from feedback.services.intake import feedback_submit, feedback_withdraw
    from tests.factories import UserFactory

    handler = UserFactory()
    role_grant(user=handler, city=city, role=Role.FEEDBACK_HANDLER)

    def submit(n: int, text: str = "Kirjaston ovi ei aukea aamulla"):
        return feedback_submit(
            actor=Actor(anonymous_key=uuid.uuid4()),
            service=service,
            kind="complaint",
            title=f"Ovi {n}",
            description=text,
            language="fi",
            email=EMAIL,
            phone=PHONE,
        )

    private, withdrawn, answered = (submit(n) for n in range(3))
    redacted = submit(3, "Alkuperäinen teksti, jonka käsittelijä muokkaa")
    held = submit(4, f"Soita {PHONE}, hetuni on {HETU}")
    assert held.item.visibility == Visibility.PENDING
    mirror = Mirror(client, "feedback")
    assert set(mirror.rows) == {
        s.item.pk for s in (private, redacted, withdrawn, answered)
    }

    handling.item_make_private(item=private.item, user=handler)
    handling.item_redact(
        item=redacted.item,
        user=handler,
        public_title="Ovi (muokattu)",
        public_description="Teksti muokattu.",
    )
    feedback_withdraw(item=withdrawn.item, token=withdrawn.token)
    handling.status_change(item=answered.item, user=handler, status=Status.DONE)
    handling.answer_give(item=answered.item, user=handler, answer="Korjattu.")
    handling.item_redact(
        item=held.item,
        user=handler,
        public_title="Ovi 4",
        public_description="Soita (poistettu).",
    )
    handling.item_publish(item=held.item, user=handler)

    changes = mirror.sync()
    assert {r["id"] for r in changes if r.get("removed")} == {
        private.item.pk,
        withdrawn.item.pk,
    }
    assert mirror.rows == mirror.live()
    assert mirror.rows[redacted.item.pk]["title"] == "Ovi (muokattu)"
    assert mirror.rows[answered.item.pk]["answer"] == "Korjattu."
    assert mirror.rows[answered.item.pk]["open311_status"] == "closed"
    assert mirror.rows[held.item.pk]["description"] == "Soita (poistettu)."
    blob = every_output(client)
    for secret in (EMAIL, PHONE, HETU, "Alkuperäinen teksti"):
        assert secret.encode() not in blob


def test_comments_on_an_item_follow_it_out_of_the_public_and_back(service, city):
    from discussions.models import Comment
    from discussions.services.threads import discussion_for

    item = FeedbackItemFactory(service=service)
    discussion = discussion_for(item, city=city, title="Palaute", url="/")
    comment = Comment.objects.create(discussion=discussion, text="Sama täällä")
    hidden = Comment.objects.create(discussion=discussion, text="x", status="hidden")
    before = Comment.objects.get(pk=comment.pk).updated_at

    item.visibility = Visibility.PRIVATE
    item.save(update_fields=["visibility", "updated_at"])
    stones = Tombstone.objects.filter(dataset="comments")
    assert list(stones.values_list("object_id", "city")) == [(comment.pk, city.slug)]
    item.support_count = 2
    item.save(update_fields=["support_count", "updated_at"])  # no visibility change
    assert stones.count() == 1

    item.visibility = Visibility.PUBLIC
    item.save(update_fields=["visibility", "updated_at"])
    assert Comment.objects.get(pk=comment.pk).updated_at > before
    item_pk = item.pk
    item.delete()
    assert set(stones.values_list("object_id", flat=True)) == {comment.pk}
    assert stones.count() == 2 and hidden.pk not in stones.values_list(
        "object_id", flat=True
    )
    assert Tombstone.objects.get(dataset="feedback").object_id == item_pk
