"""The service error and its one adapter to HTTP and forms (core.errors)."""

import pytest
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from core.errors import (
    Conflict,
    Forbidden,
    Invalid,
    RateLimited,
    ServiceError,
    clean_field,
    error_fields,
    error_status,
    error_text,
    form_add_service_error,
    invalid_fields,
)


class TitleForm(forms.Form):
    title = forms.CharField(required=False)


def _bound_form() -> TitleForm:
    form = TitleForm({"title": "x"})
    assert form.is_valid()
    return form


def test_each_kind_is_the_django_exception_it_stands_for():
    assert isinstance(Invalid("m"), ValidationError)
    assert isinstance(Conflict("m"), ValidationError)
    assert isinstance(RateLimited("m"), ValidationError)
    assert isinstance(Forbidden("m"), PermissionDenied)
    assert not isinstance(Forbidden("m"), ValidationError)
    for kind in (Invalid, Conflict, RateLimited, Forbidden):
        assert isinstance(kind("m"), ServiceError)
    with pytest.raises(TypeError):
        ServiceError("m")


@pytest.mark.parametrize(
    ("error", "status", "code"),
    [
        (Invalid("m"), 400, "invalid"),
        (Conflict("m"), 409, "conflict"),
        (RateLimited("m"), 429, "rate_limited"),
        (Forbidden("m"), 403, "forbidden"),
        (ValidationError("m"), 400, None),
        (PermissionDenied("m"), 403, None),
    ],
)
def test_status_and_code(error, status, code):
    assert error_status(error) == status
    assert getattr(error, "code", None) == code
    assert error_text(error) == "m"


def test_a_field_error_keeps_its_field_code_and_params():
    error = Invalid("At most %(n)d.", field="title", code="too_long", params={"n": 5})
    assert error.field == "title" and error.code == "too_long"
    assert error_fields(error) == {"title": ["At most 5."]}
    assert error_text(error) == "At most 5."
    form = _bound_form()
    form_add_service_error(form, error)
    assert form.has_error("title", code="too_long")
    assert form.errors["title"] == ["At most 5."]


def test_the_form_adapter_puts_the_rest_at_the_top():
    form = _bound_form()
    form_add_service_error(form, Invalid("Closed.", code="closed"))
    form_add_service_error(form, Forbidden("Not yours."))
    form_add_service_error(form, ValidationError({"nickname": "No such field."}))
    form_add_service_error(form, ValidationError(["One.", "Two."]))
    assert form.has_error("__all__", code="closed")
    assert form.non_field_errors() == [
        "Closed.",
        "Not yours.",
        "No such field.",
        "One.",
        "Two.",
    ]


def test_an_empty_refusal_still_says_something():
    with translation.override("en"):
        assert error_text(PermissionDenied()) == "You cannot do that."


def test_a_whole_form_refuses_once_with_every_fields_message():
    errors = {}
    title = clean_field(errors, "title", "  \u202eOK ", max_length=10)
    clean_field(errors, "description", "", max_length=10)
    clean_field(errors, "name", "x" * 11, max_length=10)
    clean_field(errors, "story", "hi", max_length=10, min_length=3)
    clean_field(errors, "nickname", "", max_length=10, required=False)

    assert title == "OK"
    error = invalid_fields(errors)
    assert error_status(error) == 400
    assert {field: e[0].code for field, e in error.error_dict.items()} == {
        "description": "required",
        "name": "too_long",
        "story": "too_short",
    }
