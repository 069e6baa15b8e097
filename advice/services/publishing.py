"""Publishing what a chat taught as a knowledge-base answer.

The advisor writes the question and the answer anew, in neutral form: the
resident's words are never published as they were. The service refuses a text
that carries a personal identity code or a phone number
(`core.personal_identifiers`) or that copies a resident's message, and leaves
the chat untouched. The result is an ordinary public feedback item of the kind
"question", status "done", with the answer, made by feedback's own services
(`feedback_submit` through the advice channel with no sender behind it, then
`item_publish` when the service checks first, `answer_give` and
`status_change` by the advisor), so it lives in the knowledge base, search, the
GeoReport API and open data like any other. `feedback.handle_item` lets the
city's advisors answer and correct such items (and no other).
"""

from __future__ import annotations

import re

import rules
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.roles import has_city_role
from advice.models import Author, Chat, ChatMessage
from core.actors import Actor
from core.errors import Forbidden, clean_field, invalid_fields
from core.personal_identifiers import contains_personal_identifier
from feedback.models import (
    ANSWER_MAX_LENGTH,
    DESCRIPTION_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Channel,
    FeedbackItem,
    FeedbackService,
    Kind,
    Status,
    Visibility,
)
from feedback.services import handling
from feedback.services.intake import feedback_submit

__all__ = ["answer_publish", "copies_resident"]

# A resident's message shorter than this ("yes", "thanks") may well recur in a
# rewrite; longer ones, or any stretch of this many characters of one, may not.
COPY_MIN = 24
_SPACE = re.compile(r"\s+")


def _plain(text: str) -> str:
    return _SPACE.sub(" ", text).strip().casefold()


def copies_resident(chat: Chat, *texts: str) -> bool:
    """Whether any of `texts` repeats a resident's message of `chat` (or a
    `COPY_MIN`-character stretch of one), ignoring case and spacing."""
    written = " \n ".join(_plain(text) for text in texts)
    for message in ChatMessage.objects.filter(chat=chat, author=Author.RESIDENT):
        said = _plain(message.text)
        if len(said) < COPY_MIN:
            continue
        step = COPY_MIN // 2
        for start in range(0, max(len(said) - COPY_MIN, 0) + 1, step):
            if said[start : start + COPY_MIN] in written:
                return True
        if said[-COPY_MIN:] in written:
            return True
    return False


@transaction.atomic
def answer_publish(
    *,
    chat: Chat,
    user,
    service: FeedbackService,
    language: str,
    title: str,
    question: str,
    answer: str,
) -> FeedbackItem:
    """Publish `question` and `answer` (the advisor's rewrite) as a public,
    answered question about `service`. Writes nothing when it refuses."""
    if not rules.has_perm("advice.publish_answer", user, chat):
        raise Forbidden(_("Only the chat's advisors can publish its answer."))
    if not has_city_role(user, service.city_id, Role.ADVISOR, Role.ADVICE_SUPERVISOR):
        raise Forbidden(_("Choose a service of a city whose advice desk you work for."))
    errors: dict[str, tuple[str, str]] = {}
    title = clean_field(
        errors,
        "title",
        title,
        max_length=TITLE_MAX_LENGTH,
        min_length=3,
        multiline=False,
    )
    question = clean_field(
        errors,
        "question",
        question,
        max_length=DESCRIPTION_MAX_LENGTH,
        min_length=10,
    )
    answer = clean_field(
        errors, "answer", answer, max_length=ANSWER_MAX_LENGTH, min_length=10
    )
    if language not in dict(settings.LANGUAGES):
        errors["language"] = (_("Choose a language."), "invalid")
    for name, text in (("title", title), ("question", question), ("answer", answer)):
        if name in errors:
            continue
        if contains_personal_identifier(text):
            errors[name] = (
                _(
                    "This seems to contain personal data (an identity code or a "
                    "phone number); leave it out."
                ),
                "personal_data",
            )
        elif copies_resident(chat, text):
            errors[name] = (
                _(
                    "This repeats the resident's words. Write it anew in neutral "
                    "form, without personal details."
                ),
                "copied",
            )
    if errors:
        raise invalid_fields(errors)
    # No sender: the city speaks, nobody is e-mailed, no person is named.
    item = feedback_submit(
        actor=Actor(),
        service=service,
        kind=Kind.QUESTION,
        title=title,
        description=question,
        language=language,
        channel=Channel.ADVICE,
    ).item
    if item.visibility != Visibility.PUBLIC:  # the service checks first: done
        handling.item_publish(item=item, user=user)
    handling.answer_give(item=item, user=user, answer=answer)
    handling.status_change(item=item, user=user, status=Status.DONE)
    return item
