"""The one service error type, and the one adapter from it to HTTP and to forms.

Services raise a subclass of `ServiceError` with a message for the user (already
translated), a `code` for programs and tests, and optionally the form `field` it
belongs to:

    raise Forbidden(_("Only the workshop's facilitators may do this."))
    raise Invalid(_("Give the column a title."), field="title", code="empty")

The decision: each subclass is *also* the Django exception it stands for, so
nothing that already speaks Django has to change.

- `Invalid` (and `Conflict`, `RateLimited`) are `ValidationError`s: a view's
  `except ValidationError`, `form.add_error` and a test's
  `pytest.raises(ValidationError)` keep working, with the code and the field.
- `Forbidden` is a `PermissionDenied`: one that no view catches is Django's 403,
  exactly like a view's own `raise PermissionDenied`.
- `ServiceError` is the common base to catch (`except ServiceError`) and to read
  (`status`, `code`, `field`); it is abstract, raise one of its subclasses.

Older services (and Django's validators) still raise plain `ValidationError` /
`PermissionDenied`; the adapter below treats them the same way, so views catch
`SERVICE_ERRORS` and never need to know which kind they got. Views map an error
to a response only through these functions: `error_status` (400, 403, 409, 429),
`error_text` / `error_fields` (for messages and JSON) and `form_add_service_error`
(for a form shown again). The built-in `PermissionError` is not a service error:
it is the operating system's.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from core.sanitize import clean_text

__all__ = [
    "SERVICE_ERRORS",
    "Conflict",
    "Forbidden",
    "Invalid",
    "RateLimited",
    "ServiceError",
    "clean_field",
    "error_fields",
    "error_status",
    "error_text",
    "form_add_service_error",
    "invalid_fields",
]

# A service that checks a whole form collects its problems first, then refuses
# once with all of them: field name -> (message, code).
FieldErrors = dict[str, tuple[str, str]]


class ServiceError(Exception):
    """What a service refuses, with a message for the user and a code."""

    status = 400
    default_code = "invalid"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        field: str | None = None,
        params: dict[str, Any] | None = None,
    ) -> None:
        if type(self) is ServiceError:
            raise TypeError("Raise Invalid, Conflict, RateLimited or Forbidden.")
        code = code or self.default_code
        if isinstance(self, ValidationError):
            inner = ValidationError(message, code=code, params=params)
            ValidationError.__init__(self, {field: [inner]} if field else inner)
        else:
            Exception.__init__(self, message % params if params else message)
        self.code = code
        self.field = field


class Invalid(ServiceError, ValidationError):
    """The input or the state does not allow this (400)."""


class Conflict(Invalid):
    """Someone (perhaps the user, in another tab) already did it (409)."""

    status = 409
    default_code = "conflict"


class RateLimited(Invalid):
    """Too many writes from one person or address; try again later (429)."""

    status = 429
    default_code = "rate_limited"


class Forbidden(ServiceError, PermissionDenied):
    """This user may not do this (403)."""

    status = 403
    default_code = "forbidden"


# What a view catches around a service call.
SERVICE_ERRORS = (ValidationError, PermissionDenied)


def error_status(error: Exception) -> int:
    """The HTTP status for a service error."""
    if isinstance(error, ServiceError):
        return error.status
    return 403 if isinstance(error, PermissionDenied) else 400


def error_fields(error: Exception) -> dict[str, list[str]]:
    """The messages that belong to a field, by field ({} when none do)."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        return dict(error.message_dict)
    field = getattr(error, "field", None)
    return {field: [error_text(error)]} if field else {}


def error_text(error: Exception) -> str:
    """All of the error's messages as one text, for a flash message or JSON."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or _("You cannot do that.")


def form_add_service_error(form, error: Exception) -> None:
    """Show a service error on `form`: each field's messages on that field (or at
    the top when the form has no such field), the rest at the top. Codes and
    parameters are kept, so `form.has_error(name, code)` answers."""
    if not isinstance(error, ValidationError):
        form.add_error(None, error_text(error))
    elif hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def clean_field(
    errors: FieldErrors,
    name: str,
    value: str | None,
    *,
    max_length: int,
    min_length: int = 0,
    multiline: bool = True,
    required: bool = True,
) -> str:
    """`value` cleaned (`core.sanitize.clean_text`); a missing, too short or too
    long value adds its message to `errors` under `name`."""
    cleaned = clean_text(value, multiline=multiline)
    if required and not cleaned:
        errors[name] = (_("This field is required."), "required")
    elif cleaned and len(cleaned) < min_length:
        errors[name] = (
            _("Please write at least %(n)d characters.") % {"n": min_length},
            "too_short",
        )
    elif len(cleaned) > max_length:
        errors[name] = (
            _("Please keep this under %(n)d characters.") % {"n": max_length},
            "too_long",
        )
    return cleaned


def invalid_fields(errors: FieldErrors) -> Invalid:
    """One `Invalid` carrying every collected field's message."""
    (name, (message, code)), *rest = errors.items()
    error = Invalid(message, field=name, code=code)
    for other, (text, other_code) in rest:
        error.error_dict[other] = [ValidationError(text, code=other_code)]
    return error
