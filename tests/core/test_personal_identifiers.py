import pytest

from core.personal_identifiers import (
    contains_identity_code,
    contains_personal_identifier,
    contains_phone_number,
    identity_code_is_valid,
)


@pytest.mark.parametrize(
    "code",
    # The Digital and Population Data Services Agency's examples, every sign.
    [
        "131052-308T",
        "010594Y9032",
        "010594Y9021",
        "020594X903P",
        "020594X902N",
        "010516B903X",
        "010516A903X",
        "010516C903X",
        "010516D903X",
        "010516E903X",
        "010516F903X",
        "010594W9032",
        "010594V9032",
        "010594U9032",
        "131052+308T",
    ],
)
def test_valid_codes_in_every_century_sign(code):
    assert identity_code_is_valid(code)
    assert contains_identity_code(f"Minun tunnukseni on {code}, kiitos.")


@pytest.mark.parametrize(
    "code",
    ["131052-308U", "310252-308T", "131052-000T", "131052G308T", "1310522-308T"],
)
def test_wrong_check_date_or_sign_is_not_a_code(code):
    assert not identity_code_is_valid(code)


@pytest.mark.parametrize(
    "text", ["soita 040 123 4567", "+358 50 1234567", "0401234567", "00358-44-1234567"]
)
def test_personal_phone_numbers_are_found(text):
    assert contains_phone_number(text)
    assert contains_personal_identifier("Kiitos", text)


@pytest.mark.parametrize(
    "text", ["puh. 09 310 1234", "vuonna 2023 4567 kävijää", "linja 550 myöhässä"]
)
def test_ordinary_numbers_are_not_held(text):
    assert not contains_personal_identifier(text)
