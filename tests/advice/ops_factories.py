"""Chats as the administration's tests need them: ended or waiting, with their
transcript (messages, events, notes) and the roles behind advisors and
supervisors. Text carries markup on purpose. (advcore's `factories.py` makes
chats through the services; these write rows, to set times freely.)"""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from accounts.models import Role
from accounts.services import role_grant
from advice.models import (
    AdviceTopic,
    AdvisorLanguage,
    AdvisorProfile,
    Author,
    Chat,
    ChatEvent,
    ChatMember,
    ChatMessage,
    ChatNote,
    ChatStatus,
    resident_key_hash,
)
from tests.factories import UserFactory


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdviceTopic
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"topic-{n}")
    name_fi = factory.Sequence(lambda n: f"Aihe {n}")
    name_sv = factory.Sequence(lambda n: f"Ämne {n}")
    name_en = factory.Sequence(lambda n: f"Topic {n}")


def advisor_make(*, city, languages=("fi",), name="Aino", user=None) -> AdvisorProfile:
    """A user with the advisor role in `city` (a list: several) and a profile."""
    user = user or UserFactory()
    for place in city if isinstance(city, list | tuple) else [city]:
        role_grant(user=user, city=place, role=Role.ADVISOR)
    profile = AdvisorProfile.objects.create(user=user, display_name=name)
    AdvisorLanguage.objects.bulk_create(
        [AdvisorLanguage(advisor=profile, language=code) for code in languages]
    )
    return profile


def supervisor_make(*, city) -> object:
    user = UserFactory()
    for place in city if isinstance(city, list | tuple) else [city]:
        role_grant(user=user, city=place, role=Role.ADVICE_SUPERVISOR)
    return user


_keys = iter(range(10**9))


def chat_make(
    *,
    city=None,
    language: str = "fi",
    topic=None,
    status: str = ChatStatus.CLOSED,
    advisor: AdvisorProfile | None = None,
    email: str = "asukas@example.org",
    ended_days_ago: float | None = 1,
    wait_s: float = 60,
    duration_s: float = 300,
    rating: int | None = None,
    rating_comment: str = "",
    texts: tuple[str, ...] = ("Miten haen <b>oleskelulupaa</b>?",),
    answers: tuple[str, ...] = ("Hakemus tehdään Enter Finland -palvelussa.",),
    note: str = "Sisäinen <script>muistiinpano</script>",
    origin_path: str = "/dreams/new/",
) -> Chat:
    """A chat with its transcript. `ended_days_ago` None: still going (queued,
    active or offline); otherwise closed that long ago after `duration_s` of
    conversation that started `wait_s` after the question."""
    now = timezone.now()
    end = now - timedelta(days=ended_days_ago or 0)
    accepted = end - timedelta(seconds=duration_s)
    queued = accepted - timedelta(seconds=wait_s)
    if status == ChatStatus.OFFLINE:
        advisor = None
    chat = Chat.objects.create(
        city=city,
        language=language,
        topic=topic,
        status=status,
        resident_key_hash=resident_key_hash(f"key-{next(_keys)}"),
        email=email,
        origin_path=origin_path,
        queued_at=queued,
        advisor=advisor if status != ChatStatus.QUEUED else None,
        advisor_name=advisor.display_name if advisor else "",
        first_accepted_at=accepted if advisor else None,
        accepted_at=accepted if advisor else None,
        closed_at=end if ended_days_ago is not None else None,
        rating=rating,
        rating_comment=rating_comment,
    )
    Chat.objects.filter(pk=chat.pk).update(created_at=queued, updated_at=end)
    chat.refresh_from_db()
    resident = ChatMember.objects.create(chat=chat, role=Author.RESIDENT)
    member = None
    if advisor is not None:
        member = ChatMember.objects.create(
            chat=chat, role=Author.ADVISOR, advisor=advisor
        )
    seq = 0
    for text in texts:
        ChatMessage.objects.create(
            chat=chat, author=Author.RESIDENT, member=resident, text=text
        )
        seq += 1
        ChatEvent.objects.create(
            chat=chat,
            seq=seq,
            type="message.sent",
            member=resident,
            payload={"type": "message.sent", "message": {"text": text}},
        )
    for text in answers if member else ():
        ChatMessage.objects.create(
            chat=chat,
            author=Author.ADVISOR,
            member=member,
            name=advisor.display_name,
            text=text,
        )
        seq += 1
        ChatEvent.objects.create(
            chat=chat,
            seq=seq,
            type="message.sent",
            member=member,
            payload={"type": "message.sent", "message": {"text": text}},
        )
    if note and advisor is not None:
        ChatNote.objects.create(chat=chat, advisor=advisor, text=note)
    Chat.objects.filter(pk=chat.pk).update(seq=seq)
    chat.seq = seq
    return chat
