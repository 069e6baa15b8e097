"""Uploaded files are served through one view that applies each app's
visibility check and never leaves MEDIA_ROOT."""

import os

import pytest
from django.utils.http import http_date

from core import media
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("home_page")]

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def media_root(tmp_path, settings, monkeypatch):
    root = tmp_path / "media"
    (root / "original_images").mkdir(parents=True)
    (root / "original_images" / "kirjasto.png").write_bytes(PNG)
    (root / "documents").mkdir()
    (root / "documents" / "budget.pdf").write_bytes(b"%PDF-1.7 private")
    (tmp_path / "secret.txt").write_text("outside MEDIA_ROOT")
    settings.MEDIA_ROOT = root
    # Each test starts from the apps' own registrations and leaves them intact.
    monkeypatch.setattr(media, "_checks", dict(media._checks))
    return root


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_public_image_is_served_inline(client, media_root):
    response = client.get("/media/original_images/kirjasto.png")
    assert response.status_code == 200
    assert _body(response) == PNG
    assert response.headers["Content-Type"] == "image/png"
    assert not response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_an_unchanged_file_is_not_sent_again(client, media_root):
    mtime = (media_root / "original_images" / "kirjasto.png").stat().st_mtime
    response = client.get(
        "/media/original_images/kirjasto.png",
        headers={"if-modified-since": http_date(mtime)},
    )
    assert response.status_code == 304


@pytest.mark.parametrize(
    "name", ["page.html", "drawing.svg", "notes.txt", "archive.tar.gz"]
)
def test_files_a_browser_could_run_are_downloads(client, media_root, name):
    (media_root / name).write_bytes(b"<script>alert(1)</script>")
    response = client.get(f"/media/{name}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/octet-stream"
    assert response.headers["Content-Disposition"].startswith("attachment")


@pytest.mark.parametrize(
    "path",
    [
        "/media/../secret.txt",
        "/media/original_images/../../secret.txt",
        "/media/%2e%2e/secret.txt",
        "/media//etc/passwd",
        "/media/..%5csecret.txt",
        "/media/original_images/",
        "/media/missing.png",
    ],
)
def test_nothing_outside_media_root_or_missing_is_served(client, media_root, path):
    response = client.get(path)
    assert response.status_code == 404
    assert b"outside MEDIA_ROOT" not in response.content


def test_a_symlink_out_of_media_root_is_refused(client, media_root):
    os.symlink(media_root.parent / "secret.txt", media_root / "link.txt")
    assert client.get("/media/link.txt").status_code == 404


def test_wagtail_documents_are_never_served_as_media(client, media_root):
    # Their collections may be private: only /documents/<id>/<name> serves them.
    response = client.get("/media/documents/budget.pdf")
    assert response.status_code == 404
    assert b"private" not in response.content


def test_a_registered_check_decides_per_request_and_per_file(client, media_root):
    (media_root / "applications").mkdir()
    (media_root / "applications" / "cv.png").write_bytes(PNG)
    (media_root / "applications" / "open.png").write_bytes(PNG)
    asked = []

    def staff_or_open(request, name):
        asked.append(name)
        return name.endswith("open.png") or request.user.is_staff

    media.register("applications", staff_or_open)
    assert client.get("/media/applications/cv.png").status_code == 404
    response = client.get("/media/applications/open.png")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-cache"
    assert asked == ["applications/cv.png", "applications/open.png"]
    client.force_login(UserFactory(is_staff=True))
    assert client.get("/media/applications/cv.png").status_code == 200
    # Files outside the folder are not asked about.
    assert client.get("/media/original_images/kirjasto.png").status_code == 200
    assert len(asked) == 3


def test_media_is_read_only(client, media_root):
    response = client.post("/media/original_images/kirjasto.png")
    assert response.status_code == 405
