"""Finding personal identifiers in free text: Finnish personal identity codes
(henkilötunnus) and personal phone numbers.

Written here rather than taken from a library: the packages that validate
identity codes check one code, not codes inside prose, and none knew the 2023
century signs when this was written. Feedback (and anything else that publishes
what people type) holds text that matches for a person's check.
"""

from __future__ import annotations

import re
from datetime import date

# The check character for the remainder 0…30 of DDMMYYNNN modulo 31.
_CHECK_CHARACTERS = "0123456789ABCDEFHJKLMNPRSTUVWXY"
# Century signs: + 1800s; - and, since 2023, Y X W V U 1900s; A and B C D E F 2000s.
_CENTURIES = {"+": 1800, "-": 1900, "A": 2000}
_CENTURIES.update(dict.fromkeys("YXWVU", 1900))
_CENTURIES.update(dict.fromkeys("BCDEF", 2000))

_IDENTITY_CODE = re.compile(
    r"(?<![0-9A-Za-z])(\d{2})(\d{2})(\d{2})([-+A-FU-Y])(\d{3})([0-9A-Ya-y])(?![0-9A-Za-z])"
)
# Finnish mobile numbers (04x, 050) with or without +358, spaces or dashes between
# digit groups. Landline numbers are mostly organisations' and are left alone.
_MOBILE = re.compile(
    r"(?<![\d+])(?:\+358[\s-]?|00358[\s-]?|0)(?:4\d|50)(?:[\s-]?\d){5,8}(?!\d)"
)


def identity_code_is_valid(code: str) -> bool:
    """A Finnish personal identity code with a real date and the right check."""
    match = _IDENTITY_CODE.fullmatch(code.strip())
    return match is not None and _valid(match)


def _valid(match: re.Match[str]) -> bool:
    day, month, year, sign, individual, check = match.groups()
    try:
        date(_CENTURIES[sign.upper()] + int(year), int(month), int(day))
    except (ValueError, KeyError):
        return False
    if int(individual) < 2:  # 000 and 001 are never issued
        return False
    remainder = int(f"{day}{month}{year}{individual}") % 31
    return _CHECK_CHARACTERS[remainder] == check.upper()


def contains_identity_code(text: str) -> bool:
    return any(_valid(m) for m in _IDENTITY_CODE.finditer(text or ""))


def contains_phone_number(text: str) -> bool:
    return _MOBILE.search(text or "") is not None


def contains_personal_identifier(*texts: str) -> bool:
    """Any of `texts` holds a valid identity code or a personal phone number."""
    return any(contains_identity_code(t) or contains_phone_number(t) for t in texts)
