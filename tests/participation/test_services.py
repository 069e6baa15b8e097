import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from core.actors import Actor
from core.models import OutgoingMail
from discussions import services
from discussions.models import Comment, Discussion
from participation import services as participation_services
from participation.models import Lifecycle, PlannedServicePage

pytestmark = pytest.mark.django_db


def post(discussion, user, text="Hyvä suunnitelma", **kw):
    return services.comment_create(
        discussion=discussion,
        participant=Actor(user=user, ip="10.0.0.9"),
        text=text,
        **kw,
    )


class TestAnswer:
    def test_publish_answer_emails_commenters_and_supporters(
        self, service, editor, resident, resident2, django_capture_on_commit_callbacks
    ):
        threads = participation_services.service_discussions_sync(page=service)
        section = service.sections.first()
        post(threads[section.discussion_key], resident)
        services.discussion_support(
            discussion=threads[service.discussion_key],
            participant=Actor(user=resident2),
            value=1,
        )
        draft = service.get_latest_revision_as_object()
        draft.answer = "<p>Aukioloaikoja pidennettiin.</p>"
        draft.save_revision(user=editor)
        with django_capture_on_commit_callbacks(execute=True):
            participation_services.service_answer_publish(page=service, user=editor)
        page = PlannedServicePage.objects.get(pk=service.pk)
        assert page.status == Lifecycle.ANSWERED
        assert page.answer_published_at is not None
        assert "pidennettiin" in page.answer
        assert sorted(m.to[0] for m in mail.outbox) == [
            "reino@example.org",
            "riikka@example.org",
        ]
        assert service.title in mail.outbox[0].subject
        assert (
            Discussion.objects.get(pk=threads[service.discussion_key].pk).is_open
            is False
        )
        with pytest.raises(ValidationError):
            participation_services.service_answer_publish(page=page, user=editor)

    def test_only_editors_publish_and_answer_required(self, service, resident, editor):
        with pytest.raises(PermissionDenied):
            participation_services.service_answer_publish(page=service, user=resident)
        with pytest.raises(ValidationError):
            participation_services.service_answer_publish(page=service, user=editor)
        service.refresh_from_db()
        assert service.status == Lifecycle.OPEN
        assert OutgoingMail.objects.count() == 0

    def test_thousand_recipients_are_queued_not_sent_inline(
        self, service, editor, settings, django_capture_on_commit_callbacks
    ):
        from accounts.models import User

        settings.PARTICIPATION_MAIL_DELIVERY = "command"
        settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
        discussion = participation_services.service_discussions_sync(page=service)[
            service.discussion_key
        ]
        users = User.objects.bulk_create(
            User(email=f"p{n}@example.org", display_name=f"P{n}") for n in range(1000)
        )
        Comment.objects.bulk_create(
            Comment(discussion=discussion, author=u, text=f"c{u.pk}") for u in users
        )
        draft = service.get_latest_revision_as_object()
        draft.answer = "<p>Kiitos.</p>"
        draft.save_revision(user=editor)
        with django_capture_on_commit_callbacks(execute=True):
            participation_services.service_answer_publish(page=service, user=editor)
        assert OutgoingMail.objects.filter(sent_at__isnull=True).count() == 1000
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        from django.core.management import call_command

        call_command("send_queued_mail", batch_size=300)
        assert len(mail.outbox) == 1000
        assert OutgoingMail.objects.filter(sent_at__isnull=True).count() == 0
