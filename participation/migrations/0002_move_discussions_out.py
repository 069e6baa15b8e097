"""Move the comment engine out of participation: rename its tables in place.

The tables keep every row and are only renamed (`participation_comment` →
`discussions_comment`, …, `participation_outgoingmail` → `core_outgoingmail`);
`discussions.0001_initial` and `core.0002_outgoingmail` then take the models over in
Django"s state without touching the database, and move the content types (with
their permissions and the groups holding them). Run `migrate` once for all apps.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("participation", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelTable(name="discussion", table="discussions_discussion"),
        migrations.AlterModelTable(name="comment", table="discussions_comment"),
        migrations.AlterModelTable(name="commentlike", table="discussions_commentlike"),
        migrations.AlterModelTable(name="discussionsupport", table="discussions_discussionsupport"),
        migrations.AlterModelTable(name="commentreport", table="discussions_commentreport"),
        migrations.AlterModelTable(name="commentingblock", table="discussions_commentingblock"),
        migrations.AlterModelTable(name="moderationaction", table="discussions_moderationaction"),
        migrations.AlterModelTable(name="outgoingmail", table="core_outgoingmail"),
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.RemoveField(
                model_name="comment",
                name="author",
            ),
            migrations.RemoveField(
                model_name="comment",
                name="discussion",
            ),
            migrations.RemoveField(
                model_name="comment",
                name="parent",
            ),
            migrations.RemoveField(
                model_name="moderationaction",
                name="comment",
            ),
            migrations.RemoveField(
                model_name="commentreport",
                name="comment",
            ),
            migrations.RemoveField(
                model_name="commentlike",
                name="comment",
            ),
            migrations.RemoveField(
                model_name="commentingblock",
                name="blocked_by",
            ),
            migrations.RemoveField(
                model_name="commentingblock",
                name="city",
            ),
            migrations.RemoveField(
                model_name="commentingblock",
                name="user",
            ),
            migrations.RemoveField(
                model_name="commentlike",
                name="user",
            ),
            migrations.RemoveField(
                model_name="commentreport",
                name="reporter",
            ),
            migrations.RemoveField(
                model_name="discussion",
                name="city",
            ),
            migrations.RemoveField(
                model_name="discussionsupport",
                name="discussion",
            ),
            migrations.RemoveField(
                model_name="discussionsupport",
                name="user",
            ),
            migrations.RemoveField(
                model_name="moderationaction",
                name="city",
            ),
            migrations.RemoveField(
                model_name="moderationaction",
                name="moderator",
            ),
            migrations.RemoveField(
                model_name="moderationaction",
                name="subject_user",
            ),
            migrations.DeleteModel(
                name="OutgoingMail",
            ),
            migrations.DeleteModel(
                name="Comment",
            ),
            migrations.DeleteModel(
                name="CommentingBlock",
            ),
            migrations.DeleteModel(
                name="CommentLike",
            ),
            migrations.DeleteModel(
                name="CommentReport",
            ),
            migrations.DeleteModel(
                name="Discussion",
            ),
            migrations.DeleteModel(
                name="DiscussionSupport",
            ),
            migrations.DeleteModel(
                name="ModerationAction",
            ),
            ],
            database_operations=[],
        ),
    ]
