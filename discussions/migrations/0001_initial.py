import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

MOVED_MODELS = ("discussion", "comment", "commentlike", "discussionsupport", "commentreport", "commentingblock", "moderationaction")


def _content_types_move(apps, schema_editor, *, old: str, new: str) -> None:
    """Give the moved models' content types the new app label.

    Permissions hang on the content type, and groups and users on the permissions,
    so renaming the content type keeps every right (moderators' groups, editors'
    log entries, Wagtail's references) as it was. If the new label already has a
    content type (created by a `migrate` of the new app alone), the grants on its
    permissions are moved to the old ones and it is removed first.
    """
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    db = schema_editor.connection.alias
    for model in MOVED_MODELS:
        old_type = ContentType.objects.using(db).filter(app_label=old, model=model).first()
        if old_type is None:
            continue
        new_type = ContentType.objects.using(db).filter(app_label=new, model=model).first()
        if new_type is not None:
            for permission in Permission.objects.using(db).filter(content_type=new_type):
                kept = Permission.objects.using(db).filter(
                    content_type=old_type, codename=permission.codename
                ).first()
                if kept is not None:
                    kept.group_set.add(*permission.group_set.all())
                    kept.user_set.add(*permission.user_set.all())
            new_type.delete()
        old_type.app_label = new
        old_type.save(update_fields=["app_label"])
    from django.contrib.contenttypes.models import ContentType as LiveContentType

    LiveContentType.objects.clear_cache()


def content_types_forward(apps, schema_editor):
    _content_types_move(apps, schema_editor, old="participation", new="discussions")


def content_types_backward(apps, schema_editor):
    _content_types_move(apps, schema_editor, old="discussions", new="participation")


class Migration(migrations.Migration):
    """Take over the comment engine's models from participation.

    The tables were renamed by `participation.0002_move_discussions_out`; this only
    records the models in Django's state, then moves their content types.
    """

    initial = True

    dependencies = [
        ('core', '0002_outgoingmail'),
        ('participation', '0002_move_discussions_out'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('auth', '0012_alter_user_first_name_max_length'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                    migrations.CreateModel(
                        name='Discussion',
                        fields=[
                            ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                            ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='created at')),
                            ('updated_at', models.DateTimeField(auto_now=True, db_index=True, verbose_name='updated at')),
                            ('target_type', models.CharField(max_length=80, verbose_name='target type')),
                            ('target_key', models.CharField(max_length=64, verbose_name='target key')),
                            ('title', models.CharField(blank=True, max_length=255, verbose_name='title')),
                            ('url', models.CharField(blank=True, max_length=500, verbose_name='address')),
                            ('is_open', models.BooleanField(default=True, verbose_name='open for comments')),
                            ('opens_at', models.DateTimeField(blank=True, null=True, verbose_name='comments open')),
                            ('closes_at', models.DateTimeField(blank=True, null=True, verbose_name='comments close')),
                            ('allow_anonymous', models.BooleanField(default=False, verbose_name='anonymous participants may comment')),
                            ('premoderated', models.BooleanField(default=False, verbose_name='comments are pre-moderated')),
                            ('report_threshold', models.PositiveSmallIntegerField(default=3, verbose_name='reports before a comment is hidden')),
                            ('comment_count', models.PositiveIntegerField(default=0, verbose_name='comments')),
                            ('support_count', models.PositiveIntegerField(default=0, verbose_name='support')),
                            ('oppose_count', models.PositiveIntegerField(default=0, verbose_name='opposition')),
                            ('city', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='discussions', to='core.city', verbose_name='city')),
                        ],
                        options={
                            'verbose_name': 'discussion',
                            'verbose_name_plural': 'discussions',
                        },
                    ),
                    migrations.CreateModel(
                        name='Comment',
                        fields=[
                            ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                            ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='created at')),
                            ('updated_at', models.DateTimeField(auto_now=True, db_index=True, verbose_name='updated at')),
                            ('anonymous_key', models.UUIDField(blank=True, null=True, verbose_name='anonymous key')),
                            ('nickname', models.CharField(blank=True, max_length=40, verbose_name='nickname')),
                            ('text', models.TextField(max_length=5000, verbose_name='text')),
                            ('stance', models.CharField(blank=True, choices=[('for', 'For'), ('against', 'Against'), ('neutral', 'Neutral')], max_length=10, verbose_name='stance')),
                            ('status', models.CharField(choices=[('visible', 'Visible'), ('pending', 'Awaiting moderation'), ('hidden', 'Hidden'), ('deleted', 'Deleted')], default='visible', max_length=10, verbose_name='status')),
                            ('hidden_reason', models.CharField(blank=True, max_length=300, verbose_name='reason for hiding')),
                            ('content_hash', models.CharField(blank=True, editable=False, max_length=64)),
                            ('edited_at', models.DateTimeField(blank=True, null=True, verbose_name='edited at')),
                            ('like_count', models.PositiveIntegerField(default=0, verbose_name='likes')),
                            ('reply_count', models.PositiveIntegerField(default=0, verbose_name='replies')),
                            ('report_count', models.PositiveIntegerField(default=0, verbose_name='open reports')),
                            ('author', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='comments', to=settings.AUTH_USER_MODEL, verbose_name='author')),
                            ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='replies', to='discussions.comment', verbose_name='reply to')),
                            ('discussion', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='comments', to='discussions.discussion', verbose_name='discussion')),
                        ],
                        options={
                            'verbose_name': 'comment',
                            'verbose_name_plural': 'comments',
                        },
                    ),
                    migrations.CreateModel(
                        name='DiscussionSupport',
                        fields=[
                            ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                            ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='created at')),
                            ('updated_at', models.DateTimeField(auto_now=True, db_index=True, verbose_name='updated at')),
                            ('value', models.SmallIntegerField(choices=[(1, 'Support'), (-1, 'Oppose')], verbose_name='value')),
                            ('discussion', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='supports', to='discussions.discussion')),
                            ('user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='discussion_supports', to=settings.AUTH_USER_MODEL)),
                        ],
                    ),
                    migrations.CreateModel(
                        name='ModerationAction',
                        fields=[
                            ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                            ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='when')),
                            ('kind', models.CharField(choices=[('hide', 'Hidden'), ('auto_hide', 'Hidden after reports'), ('restore', 'Restored'), ('approve', 'Approved'), ('block', 'User blocked'), ('unblock', 'User unblocked')], max_length=12, verbose_name='action')),
                            ('reason', models.CharField(blank=True, max_length=300, verbose_name='reason')),
                            ('city', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='core.city')),
                            ('comment', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='discussions.comment')),
                            ('moderator', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='moderator')),
                            ('subject_user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ],
                        options={
                            'verbose_name': 'moderation action',
                            'verbose_name_plural': 'moderation log',
                            'ordering': ['-created_at', '-id'],
                        },
                    ),
                    migrations.CreateModel(
                        name='CommentingBlock',
                        fields=[
                            ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                            ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='created at')),
                            ('updated_at', models.DateTimeField(auto_now=True, db_index=True, verbose_name='updated at')),
                            ('reason', models.CharField(max_length=300, verbose_name='reason')),
                            ('blocked_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                            ('city', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='core.city')),
                            ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='commenting_blocks', to=settings.AUTH_USER_MODEL)),
                        ],
                        options={
                            'constraints': [models.UniqueConstraint(fields=('user', 'city'), name='one_block_per_city')],
                        },
                    ),
                    migrations.CreateModel(
                        name='CommentLike',
                        fields=[
                            ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                            ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                            ('comment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='likes', to='discussions.comment')),
                            ('user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='comment_likes', to=settings.AUTH_USER_MODEL)),
                        ],
                        options={
                            'constraints': [models.UniqueConstraint(fields=('comment', 'user'), name='one_like_per_person')],
                        },
                    ),
                    migrations.CreateModel(
                        name='CommentReport',
                        fields=[
                            ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                            ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='created at')),
                            ('updated_at', models.DateTimeField(auto_now=True, db_index=True, verbose_name='updated at')),
                            ('reporter_key', models.UUIDField(blank=True, null=True)),
                            ('reason', models.CharField(max_length=300, verbose_name='reason')),
                            ('resolved', models.BooleanField(default=False, verbose_name='resolved')),
                            ('comment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reports', to='discussions.comment')),
                            ('reporter', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='comment_reports', to=settings.AUTH_USER_MODEL)),
                        ],
                        options={
                            'constraints': [models.UniqueConstraint(condition=models.Q(('reporter__isnull', False)), fields=('comment', 'reporter'), name='one_report_per_user'), models.UniqueConstraint(condition=models.Q(('reporter_key__isnull', False)), fields=('comment', 'reporter_key'), name='one_report_per_participant')],
                        },
                    ),
                    migrations.AddConstraint(
                        model_name='discussion',
                        constraint=models.UniqueConstraint(fields=('target_type', 'target_key'), name='unique_discussion_target'),
                    ),
                    migrations.AddIndex(
                        model_name='comment',
                        index=models.Index(fields=['discussion', 'parent', 'created_at', 'id'], name='comment_thread_time'),
                    ),
                    migrations.AddIndex(
                        model_name='comment',
                        index=models.Index(fields=['discussion', 'parent', 'like_count', 'id'], name='comment_thread_likes'),
                    ),
                    migrations.AddIndex(
                        model_name='comment',
                        index=models.Index(fields=['discussion', 'content_hash'], name='comment_dupe'),
                    ),
                    migrations.AddIndex(
                        model_name='comment',
                        index=models.Index(fields=['status', 'report_count'], name='comment_queue'),
                    ),
                    migrations.AddConstraint(
                        model_name='comment',
                        constraint=models.CheckConstraint(condition=models.Q(('author__isnull', False), ('anonymous_key__isnull', False), _negated=True), name='comment_author_xor_anonymous'),
                    ),
                    migrations.AddConstraint(
                        model_name='discussionsupport',
                        constraint=models.UniqueConstraint(fields=('discussion', 'user'), name='one_support_per_person'),
                    ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_forward, content_types_backward),
    ]
