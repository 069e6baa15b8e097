"""The API keys move from opendata to core, with every key, and gain scopes.

`opendata.0002_move_apikey_out` renamed the table; this records the model in
Django's state, moves its content type, and adds `scopes`: every existing key
gets `read`, which is what it could do before.
"""

from django.db import migrations, models


def _content_type_move(apps, schema_editor, *, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    old_type = ContentType.objects.using(db).filter(app_label=old, model="apikey")
    if not old_type.exists():
        return
    ContentType.objects.using(db).filter(app_label=new, model="apikey").delete()
    old_type.update(app_label=new)
    from django.contrib.contenttypes.models import ContentType as LiveContentType

    LiveContentType.objects.clear_cache()


def content_type_forward(apps, schema_editor):
    _content_type_move(apps, schema_editor, old="opendata", new="core")


def content_type_backward(apps, schema_editor):
    _content_type_move(apps, schema_editor, old="core", new="opendata")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_places_topics_population"),
        ("opendata", "0002_move_apikey_out"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ApiKey',
                    fields=[
                        ('id', models.CharField(editable=False, max_length=150, primary_key=True, serialize=False, unique=True)),
                        ('prefix', models.CharField(editable=False, max_length=8, unique=True)),
                        ('hashed_key', models.CharField(editable=False, max_length=150)),
                        ('created', models.DateTimeField(auto_now_add=True, db_index=True)),
                        ('name', models.CharField(default=None, help_text='A free-form name for the API key. Need not be unique. 50 characters max.', max_length=50)),
                        ('revoked', models.BooleanField(blank=True, default=False, help_text='If the API key is revoked, clients cannot use it anymore. (This cannot be undone.)')),
                        ('expiry_date', models.DateTimeField(blank=True, help_text='Once API key expires, clients cannot use it anymore.', null=True, verbose_name='Expires')),
                        ('owner', models.CharField(help_text='Who uses the key and how to reach them (organisation, contact).', max_length=200, verbose_name='owner')),
                        ('last_used_at', models.DateTimeField(blank=True, null=True, verbose_name='last used')),
                    ],
                    options={
                        'verbose_name': 'API key',
                        'verbose_name_plural': 'API keys',
                        'ordering': ('-created',),
                        'abstract': False,
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AddField(
            model_name='apikey',
            name='scopes',
            field=models.CharField(default='read', max_length=200, verbose_name='scopes'),
        ),
        migrations.AddConstraint(
            model_name='apikey',
            constraint=models.CheckConstraint(condition=models.Q(('scopes', 'read'), ('scopes__startswith', 'read '), _connector='OR'), name='apikey_scopes_include_read'),
        ),
        migrations.RunPython(content_type_forward, content_type_backward),
    ]
