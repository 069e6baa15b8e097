"""Schema: the shared `ServiceState` and each page's pointer to it (#15).

Filled by 0009 from the copies' own fields, which 0010 then removes."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('participation', '0007_delete_district'),
    ]

    operations = [
        migrations.CreateModel(
            name='ServiceState',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('translation_key', models.UUIDField(editable=False, unique=True)),
                ('status', models.CharField(choices=[('planning', 'Planning'), ('open', 'Open for comments'), ('closed', 'Comments closed'), ('answered', 'Answered'), ('decided', 'Decided'), ('withdrawn', 'Withdrawn')], db_index=True, default='planning', max_length=12, verbose_name='status')),
                ('comments_open_at', models.DateTimeField(blank=True, null=True, verbose_name='comments open')),
                ('comments_close_at', models.DateTimeField(blank=True, null=True, verbose_name='comments close')),
                ('allow_anonymous', models.BooleanField(default=False, help_text='Otherwise only registered users may comment.', verbose_name='anonymous participants may comment')),
                ('premoderated', models.BooleanField(default=False, help_text='Comments appear only after a moderator approves them.', verbose_name='pre-moderate comments')),
                ('report_threshold', models.PositiveSmallIntegerField(default=3, verbose_name='reports before a comment is hidden')),
                ('answer_published_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='answer published')),
                ('updated_at', models.DateTimeField(auto_now=True)),
            ],
            options={
                'verbose_name': "planned service's state",
                'verbose_name_plural': "planned services' states",
            },
        ),
        migrations.AddField(
            model_name='plannedservicepage',
            name='state',
            field=models.ForeignKey(blank=True, editable=False, help_text='Shared by every language version (same translation key).', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='pages', to='participation.servicestate', verbose_name='state'),
        ),
    ]
