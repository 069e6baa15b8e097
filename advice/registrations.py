"""What the advice desk registers at start-up.

`advice.apps.AdviceConfig.ready()` calls `register()` (one line): the retention
job, which `manage.py run_jobs` runs every six hours; the notification of a new
offline question to the advisors of its queue; and the resident's chats on
their activity page.
"""

from __future__ import annotations

from datetime import timedelta

RETENTION_JOB = "purge_advice_transcripts"
OFFLINE_KIND = "advice.offline_question"


def describe_offline_question(chat) -> tuple[str, str]:
    """No question text: the notice says where and in which language, and links
    to the answer page (the text is read there, behind the advisors' rule)."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from advice.languages import language_name

    where = chat.city.name if chat.city_id else _("any city")
    title = _("A question to answer by e-mail: %(where)s, %(language)s") % {
        "where": where,
        "language": language_name(chat.language),
    }
    return title, reverse("advice:offline_answer", kwargs={"chat_id": chat.pk})


def offline_question_open(chat) -> bool:
    from advice.models import ChatStatus

    return chat.status == ChatStatus.OFFLINE


def chats_activity(user, limit: int) -> list:
    """The chats `user` started while signed in, newest first (one query), each
    with its state; the chat page opens for them in any browser."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from accounts.activity import ActivityItem
    from advice.models import Chat, ChatStatus

    chats = (
        Chat.objects.filter(resident_user=user)
        .select_related("topic")
        .order_by("-created_at", "-pk")[:limit]
    )
    return [
        ActivityItem(
            kind=_("Advice chat"),
            title=chat.topic.name
            if chat.topic_id
            else _("Question to the advice desk"),
            url=reverse("advice:chat", kwargs={"pk": chat.pk}),
            date=chat.created_at,
            state=str(ChatStatus(chat.status).label),
        )
        for chat in chats
    ]


def register() -> None:
    from django.utils.translation import gettext_lazy as _

    from accounts import activity
    from core.jobs import register_job  # imports models: not before ready()
    from notifications import registry

    register_job(RETENTION_JOB, every=timedelta(hours=6))
    registry.register_kind(
        OFFLINE_KIND,
        label=_("New question to answer by e-mail"),
        describe=describe_offline_question,
        visible=offline_question_open,
    )
    activity.register("advice", chats_activity)
