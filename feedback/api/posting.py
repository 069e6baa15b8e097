"""`requests` POST: feedback sent by an API client (the cities' apps and systems).

The client sends `api_key` in the form, as Open311 says (or in the `X-Api-Key`
header); a key that is missing, wrong, revoked, expired or without the
`feedback:write` scope is a 403. Everything else is checked by the one intake
service, `feedback_submit`, which writes nothing when it refuses: its field
errors come back as one 400 naming the API's fields.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import HttpRequest
from django.http.multipartparser import MultiPartParserError

from core.actors import Actor
from core.apikeys import FEEDBACK_WRITE, api_key_for, key_from
from core.errors import SERVICE_ERRORS, RateLimited, error_fields, error_text
from core.ratelimit import limit_exceeded
from core.sanitize import clean_text
from core.text.analysis import guess_language
from feedback.api.answer import Answer
from feedback.api.errors import ApiError, bad_request, forbidden, not_found
from feedback.api.params import LOCALES, is_code
from feedback.models import Channel, FeedbackItem, FeedbackService, Kind, Visibility
from feedback.services.intake import feedback_submit

# Programs post for many residents from one address: the limit is per key.
POSTS_PER_KEY_PER_HOUR = 300
# The title when a client sends none: the description's beginning.
DERIVED_TITLE_LENGTH = 80
DEFAULT_KIND = Kind.FAULT
# The service's field names → the API's.
FIELD_NAMES = {"photos": "media", "address": "address_string", "language": "locale"}


def posts_per_hour() -> int:
    return getattr(
        settings, "FEEDBACK_API_POSTS_PER_KEY_PER_HOUR", POSTS_PER_KEY_PER_HOUR
    )


def title_from(description: str) -> str:
    """A title from the description's first words, cut at a word."""
    text = " ".join(description.split())
    if len(text) <= DERIVED_TITLE_LENGTH:
        return text
    return text[: DERIVED_TITLE_LENGTH - 1].rsplit(" ", 1)[0] + "…"


def request_post(request: HttpRequest) -> Answer:
    """Check the key, then send the feedback through `feedback_submit`."""
    try:
        form, files = request.POST, request.FILES
    except (MultiPartParserError, SuspiciousOperation):
        # A body Django cannot read (no boundary, too big, too many fields).
        raise bad_request(
            "The body must be form-encoded or multipart/form-data, within the "
            "size and field limits."
        ) from None
    key = form.get("api_key") or key_from(request)
    if not key:
        raise forbidden("api_key is required: ask the city's administrators for one.")
    if len(key) > 200 or not key.isascii() or not key.isprintable():
        raise forbidden("This API key is not valid: it is wrong, revoked or expired.")
    api_key = api_key_for(key)  # InvalidApiKey: the frame answers 403
    if not api_key.has_scope(FEEDBACK_WRITE):
        raise forbidden(
            f"This API key may not post feedback: it lacks {FEEDBACK_WRITE}."
        )

    code = form.get("service_code", "")
    if not code:
        raise bad_request("service_code is required; see services.json.")
    service = None
    if is_code(code):
        service = FeedbackService.objects.filter(service_code=code).first()
    if service is None:
        raise not_found(f"No service has the code {code[:60]!r}; see services.json.")
    if not service.is_active:
        raise bad_request("This service does not take feedback now; see services.json.")

    service_object = _service_object(form)
    description = form.get("description", "")
    title = form.get("title", "") or title_from(description)
    locale = form.get("locale", "")[:2].lower()
    language = (
        locale if locale in LOCALES else guess_language(f"{title}\n{description}")
    )
    if limit_exceeded(
        f"georeport-post:{api_key.prefix}", limit=posts_per_hour(), window_seconds=3600
    ):
        raise ApiError(
            429, "This key has posted a lot of feedback this hour: try later."
        )
    try:
        # One transaction with the object the feedback is about (CitySDK), which
        # the intake service does not take.
        with transaction.atomic():
            submitted = feedback_submit(
                # An API client is no person of ours: its key's limit above applies.
                actor=Actor(),
                service=service,
                kind=form.get("kind", "") or DEFAULT_KIND,
                title=title,
                description=description,
                language=language,
                channel=Channel.API,
                address=form.get("address_string", ""),
                lat=form.get("lat") or None,
                long=form.get("long") or None,
                email=form.get("email", ""),
                first_name=form.get("first_name", ""),
                last_name=form.get("last_name", ""),
                phone=form.get("phone", ""),
                photos=[
                    *files.getlist("media"),
                    *files.getlist("media[]"),
                ],
            )
            if any(service_object):
                FeedbackItem.objects.filter(pk=submitted.item.pk).update(
                    service_object_id=service_object[0],
                    service_object_type=service_object[1],
                )
    except SERVICE_ERRORS as error:
        status = 429 if isinstance(error, RateLimited) else 400
        raise ApiError(status, _describe(error)) from None
    item = submitted.item
    if item.visibility == Visibility.PUBLIC:
        notice = (
            "Thank you. The feedback is public; photos once the city has checked them."
        )
    else:
        notice = "Thank you. The feedback is public once the city has checked it."
    return Answer(
        [
            {
                "service_request_id": str(item.pk),
                "service_notice": notice,
                "account_id": None,
            }
        ],
        root="service_requests",
        status=201,
    )


def _service_object(form) -> tuple[str, str]:
    """`service_object_id` and `service_object_type`, checked (both or neither)."""
    object_id = clean_text(form.get("service_object_id", ""), multiline=False).strip()
    object_type = clean_text(form.get("service_object_type", ""), multiline=False)
    object_type = object_type.strip()
    if bool(object_id) != bool(object_type):
        raise bad_request("service_object_id and service_object_type go together.")
    if len(object_id) > 100 or len(object_type) > 200:
        raise bad_request(
            "service_object_id takes at most 100 characters, "
            "service_object_type at most 200."
        )
    return object_id, object_type


def _describe(error: Exception) -> str:
    """The service's refusal with each message named by the API's field."""
    fields = error_fields(error)
    if not fields:
        return error_text(error)
    return " ".join(
        f"{FIELD_NAMES.get(name, name)}: {' '.join(messages)}"
        for name, messages in fields.items()
    )
