"""The languages a chat may be in, each named in itself.

Finnish, Swedish and English are always offered (the interface's languages);
others when a city's advisors list them (`AdvisorLanguage`). The names come from
`accounts.FirstLanguage`, which already names each language in its own script.
"""

from accounts.models import FirstLanguage

ALWAYS_OFFERED = ("fi", "sv", "en")
# Every language an advisor may list: the first languages common in Finland.
LANGUAGE_NAMES: dict[str, str] = {
    choice.value: str(choice.label)
    for choice in FirstLanguage
    if choice != FirstLanguage.OTHER
}
# Written right to left: pages mark their text with `dir="auto"` anyway.
RIGHT_TO_LEFT = frozenset({"ar", "fa"})


def language_name(code: str) -> str:
    """The language's name in itself (the code when unknown)."""
    return LANGUAGE_NAMES.get(code, code)


def is_known(code: str) -> bool:
    return code in LANGUAGE_NAMES
