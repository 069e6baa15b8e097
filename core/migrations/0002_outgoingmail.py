"""The e-mail outbox moves from participation to core, with its rows.

`participation.0002_move_discussions_out` renamed the table; this records the model
in Django's state and moves its content type.
"""

from django.db import migrations, models


def _content_type_move(apps, schema_editor, *, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    old_type = ContentType.objects.using(db).filter(app_label=old, model="outgoingmail")
    if not old_type.exists():
        return
    ContentType.objects.using(db).filter(app_label=new, model="outgoingmail").delete()
    old_type.update(app_label=new)
    from django.contrib.contenttypes.models import ContentType as LiveContentType

    LiveContentType.objects.clear_cache()


def content_type_forward(apps, schema_editor):
    _content_type_move(apps, schema_editor, old="participation", new="core")


def content_type_backward(apps, schema_editor):
    _content_type_move(apps, schema_editor, old="core", new="participation")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("participation", "0002_move_discussions_out"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='OutgoingMail',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='created at')),
                        ('updated_at', models.DateTimeField(auto_now=True, db_index=True, verbose_name='updated at')),
                        ('to_email', models.EmailField(max_length=254)),
                        ('subject', models.CharField(max_length=255)),
                        ('body', models.TextField()),
                        ('sent_at', models.DateTimeField(blank=True, null=True)),
                        ('attempts', models.PositiveSmallIntegerField(default=0)),
                    ],
                    options={
                        'indexes': [models.Index(fields=['sent_at', 'id'], name='outbox_unsent')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_type_forward, content_type_backward),
    ]
