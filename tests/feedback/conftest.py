import pytest

from accounts.models import Role
from accounts.services import role_grant
from tests.factories import UserFactory
from tests.feedback.factories import FeedbackServiceFactory


@pytest.fixture(autouse=True)
def media_root(tmp_path, settings):
    """Photos go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def service(city):
    return FeedbackServiceFactory(city=city, service_code="hel-library")


@pytest.fixture
def handler(city):
    user = UserFactory(display_name="Handler Hanna", email="hanna@example.org")
    role_grant(user=user, city=city, role=Role.FEEDBACK_HANDLER)
    return user


@pytest.fixture
def resident(db):
    return UserFactory(display_name="Resident Riikka", email="riikka@example.org")


@pytest.fixture
def make_photo(media_root):
    """make_photo(item): a small PNG stored as the item's photo, not yet checked."""
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from feedback.models import FeedbackPhoto

    def make(item):
        buffer = BytesIO()
        Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
        return FeedbackPhoto.objects.create(
            item=item, image=SimpleUploadedFile("x.png", buffer.getvalue())
        )

    return make
