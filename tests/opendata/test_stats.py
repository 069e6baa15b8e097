"""k-anonymous participation statistics: small cells and cells that could be
derived by subtraction are suppressed; only consented details are counted."""

from itertools import groupby

import pytest
from django.core.cache import cache

from accounts.models import BackgroundDetails
from accounts.services import consent_give
from core.actors import Actor
from discussions.services import comment_create
from opendata.stats import K, suppress
from tests.accounts.factories import DistrictFactory
from tests.factories import UserFactory


def test_small_cells_suppressed_and_not_derivable():
    published = suppress(12, {"a": 7, "b": 3, "c": 2})
    assert published == {"a": 7, "b": None, "c": None}
    # One small cell alone would be total minus the others: a second one goes too.
    published = suppress(12, {"a": 6, "b": 5, "c": 1})
    assert published["c"] is None and published["b"] is None
    assert published["a"] == 6
    assert suppress(4, {"a": 4}) == {"a": None}
    assert suppress(10, {"a": 5, "b": 5}) == {"a": 5, "b": 5}


def assert_not_derivable(total, published):
    hidden = [v for v in published.values() if v is None]
    if total is None or not hidden:
        return
    shown = sum(v for v in published.values() if v is not None)
    assert len(hidden) >= 2
    assert total - shown >= K


@pytest.mark.parametrize("seed", range(30))
def test_no_suppressed_cell_derivable_random(seed):
    import random

    rng = random.Random(seed)
    cells = {f"v{i}": rng.randint(1, 9) for i in range(rng.randint(1, 6))}
    total = sum(cells.values())
    published = suppress(total, cells)
    assert all(v is None or v >= K for v in published.values())
    assert_not_derivable(total if total >= K else None, published)


def test_endpoint_counts_only_consented_details(client, setup):
    service, discussion, user, _ = setup
    districts = [DistrictFactory(name_fi=f"Kallio{i}") for i in range(2)]
    people = [UserFactory() for _ in range(7)]
    for i, person in enumerate(people):
        # Details stored without consent (say, consent later withdrawn) must
        # never be counted: written straight to the table on purpose.
        BackgroundDetails.objects.create(
            user=person,
            age_band="30_44",
            home_district=districts[i % 2],
            first_language="fi",
        )
        if i < 6:
            consent_give(user=person, purpose="age_band")
        cache.clear()
        comment_create(
            discussion=discussion, participant=Actor(user=person), text=f"k{i}"
        )
    rows = client.get("/api/v1/participation-stats/").json()
    by = {(r["dimension"], r["value"]): r for r in rows if r["channel"] == "comment"}
    assert by[("all", "all")]["people"] == 7
    assert (
        by[("age_band", "30_44")]["people"] == 6
        or by[("age_band", "30_44")]["suppressed"]
    )
    # One person did not consent: 1 unknown is suppressed, and so is its complement.
    assert by[("age_band", "unknown")]["people"] is None
    assert by[("age_band", "30_44")]["people"] is None
    # Districts were never consented to: everything is unknown.
    assert by[("home_district", "unknown")]["people"] == 7
    assert not any("Kallio" in r["value"] for r in rows)
    for (_, dim), group in groupby(
        sorted(rows, key=lambda r: (r["month"], r["dimension"])),
        key=lambda r: (r["month"], r["dimension"]),
    ):
        if dim != "all":
            cells = {r["value"]: r["people"] for r in group}
            assert_not_derivable(7, cells)


def test_workshop_channel_counts_published_results_only(client, city):
    from tests.opendata.conftest import publish_workshop

    publish_workshop(city)
    rows = client.get("/api/v1/participation-stats/").json()
    workshop_rows = [r for r in rows if r["channel"] == "workshop"]
    total = next(r for r in workshop_rows if r["dimension"] == "all")
    # One participant: fewer than five people, so everything is suppressed.
    assert total["people"] is None and total["suppressed"]
    assert all(r["people"] is None for r in workshop_rows)


def test_dream_channel_counts_people_not_dreams(client, city):
    from tests.opendata.conftest import make_dream

    authors = [UserFactory() for _ in range(5)]
    for author in authors:
        make_dream(city, author)
        make_dream(city, author)
    rows = client.get("/api/v1/participation-stats/").json()
    total = next(r for r in rows if r["channel"] == "dream" and r["dimension"] == "all")
    assert total["people"] == 5


def test_stats_download_computed_once_with_an_etag_of_its_counts(
    client, setup, monkeypatch
):
    import csv
    import io

    from opendata import datasets

    service, discussion, user, _ = setup
    dataset = datasets.get("participation-stats")
    calls = []
    compute = dataset.compute
    monkeypatch.setattr(dataset, "compute", lambda: calls.append(1) or compute())
    url = "/api/v1/exports/participation-stats.csv"

    first = client.get(url)
    assert first.status_code == 200
    b"".join(first.streaming_content)
    assert calls == [1]
    etag = first["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304

    for n in range(K):
        cache.clear()
        comment_create(
            discussion=discussion,
            participant=Actor(user=UserFactory()),
            text=f"uusi {n}",
        )
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    rows = csv.DictReader(io.StringIO(b"".join(changed.streaming_content).decode()))
    totals = [r for r in rows if r["channel"] == "comment" and r["dimension"] == "all"]
    assert [r["people"] for r in totals] == [str(K)]


def test_stats_computed_at_most_once_a_minute_for_api_catalog_and_downloads(
    client, setup, monkeypatch
):
    from opendata import stats

    service, discussion, user, _ = setup
    calls = []
    compute = stats.participation_stats
    monkeypatch.setattr(
        stats, "participation_stats", lambda: calls.append(1) or compute()
    )
    for url in (
        "/api/v1/participation-stats/",
        "/api/v1/participation-stats/",
        "/api/v1/catalog.jsonld",
        "/api/v1/exports/participation-stats.jsonl",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        if response.streaming:
            b"".join(response.streaming_content)
    assert calls == [1]

    cache.delete(stats.CACHE_KEY)  # what a minute does
    client.get("/api/v1/participation-stats/")
    assert calls == [1, 1]
    assert cache.get(stats.CACHE_KEY) is not None


def _stats(client) -> dict[tuple[str, str], dict]:
    cache.clear()  # the statistics are cached for a minute
    rows = client.get("/api/v1/participation-stats/").json()
    return {(r["dimension"], r["value"]): r for r in rows if r["channel"] == "comment"}


def test_a_withdrawn_detail_vanishes_from_the_statistics(client, setup, city):
    from accounts.services import background_save, consent_withdraw
    from core.models import District

    service, discussion, user, _ = setup
    kallio = District.objects.create(
        city=city, slug="kallio", name_fi="Kallio", name_sv="Berghäll", name_en="Kallio"
    )
    people = [UserFactory() for _ in range(10)]
    for i, person in enumerate(people):
        background_save(
            user=person,
            consented={"gender", "home_district"},
            gender="female",
            home_district=kallio,
        )
        cache.clear()
        comment_create(
            discussion=discussion, participant=Actor(user=person), text=f"k{i}"
        )
    by = _stats(client)
    assert by[("gender", "female")]["people"] == 10
    district = by[("home_district", "helsinki/kallio")]
    assert district["people"] == 10
    # The district by its reference data and its names, never typed text.
    assert (district["label_fi"], district["label_sv"]) == ("Kallio", "Berghäll")
    assert by[("gender", "female")]["label_en"] == "woman"

    for person in people[:5]:
        consent_withdraw(user=person, purpose="gender")
    for person in people[5:]:
        consent_withdraw(user=person, purpose="home_district")
    by = _stats(client)
    assert by[("gender", "female")]["people"] == 5
    assert by[("gender", "unknown")]["people"] == 5
    assert by[("home_district", "helsinki/kallio")]["people"] == 5
    assert by[("home_district", "unknown")]["people"] == 5


def test_a_detail_whose_consent_row_is_gone_is_not_counted(client, setup, city):
    """A detail left behind without an active consent (written straight to the
    table) counts as unknown: the aggregate reads the consents, not the field."""
    from accounts.models import Consent

    service, discussion, user, _ = setup
    for i in range(5):
        person = UserFactory()
        BackgroundDetails.objects.create(user=person, gender="male")
        Consent.objects.create(user=person, purpose="gender")
        cache.clear()
        comment_create(
            discussion=discussion, participant=Actor(user=person), text=f"m{i}"
        )
    assert _stats(client)[("gender", "male")]["people"] == 5
    Consent.objects.update(withdrawn_at="2026-01-01T00:00:00Z")
    by = _stats(client)
    assert ("gender", "male") not in by
    assert by[("gender", "unknown")]["people"] == 5
