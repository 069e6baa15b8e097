"""When existing comments were first shown, as far as the rows tell.

- Awaiting moderation: never shown (stays empty).
- Everything else (visible, hidden, deleted): counted as shown once, from when a
  moderator approved it (the moderation log) or else from when it was posted.

Hidden and deleted comments are the ones nobody can tell apart: one hidden after
it was shown, or one rejected (or withdrawn by its author) while it awaited
moderation, look the same, and the log does not say which state a hide acted on.
They are counted as shown, the choice that never leaks: a mirror that copied such
a comment gets the tombstone that makes it delete the text, at the price of a bare
id and time for a comment nobody saw, which is what open data returned for them
before this record existed. Comments from now on are recorded exactly.
"""

from django.db import migrations
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce


def backfill(apps, schema_editor):
    Comment = apps.get_model("discussions", "Comment")
    ModerationAction = apps.get_model("discussions", "ModerationAction")
    approved = (
        ModerationAction.objects.filter(comment=OuterRef("pk"), kind="approve")
        .order_by("created_at")
        .values("created_at")[:1]
    )
    Comment.objects.exclude(status="pending").update(
        first_published_at=Coalesce(Subquery(approved), F("created_at"))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("discussions", "0003_comment_first_published_at"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
