"""`participation-stats` carries insight's channels, districts and background,
public contributions only, suppressed by insight's rules."""

import pytest

pytestmark = pytest.mark.django_db


def _rows(client):
    response = client.get("/api/v1/participation-stats/")
    assert response.status_code == 200
    return [r for r in response.json() if r["month"] == "2026-11"]


def test_channels_districts_and_background(client, crowd, world):
    rows = _rows(client)
    by = {(r["channel"], r["dimension"], r["value"]): r for r in rows}
    web = by[("web", "all", "all")]
    assert (web["people"], web["contributions"]) == (9, 15)
    # Public only: the unpublished workshop's cards and the chat are left out;
    # the API sender is a tenth person.
    everyone = by[("all", "all", "all")]
    assert (everyone["people"], everyone["contributions"]) == (10, 17)
    assert ("advice_chat", "all", "all") not in by
    assert ("workshop_online", "all", "all") not in by
    kallio = by[("all", "district", "helsinki/kallio")]
    assert kallio["people"] == 9 and kallio["label_fi"] == "Kallio"
    # Nobody gave an age band: all ten unknown.
    assert by[("all", "age_band", "unknown")]["people"] == 10
    # The earlier rows are still there, with no contributions column value.
    comment = by[("comment", "all", "all")]
    assert comment["people"] == 8 and comment["contributions"] is None


def test_small_cells_are_suppressed(client, world):
    from insights.rollups import refresh

    refresh(full=True)
    rows = _rows(client)
    by = {(r["channel"], r["dimension"], r["value"]): r for r in rows}
    assert by[("web", "all", "all")]["people"] is None
    assert by[("web", "all", "all")]["suppressed"]
    assert by[("web", "all", "all")]["contributions"] == 10
    paper = by.get(("workshop_in_person", "all", "all"))
    assert paper is None  # unpublished workshop: not public
