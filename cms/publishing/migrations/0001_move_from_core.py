"""Publishing models move here from the foundation app ("core").

Their tables keep their names (``db_table``), so nothing is copied: the models
change app in Django's state only, and their content types are relabelled.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


NEW_LABEL = 'publishing'
MODELS = ['webhookendpoint', 'webhookdelivery']

def _move_content_types(apps, old_label, new_label):
    """Keep the rows that point at these models (tasks, permissions) working.

    Content types are matched by app label, so the existing rows are relabelled
    and keep their ids (revisions, log entries and grants point at them). A
    content type already made under the new label (by code that ran before this
    migration) hands its permissions, grants and tasks over and is removed.
    """
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    Task = apps.get_model("wagtailcore", "Task")
    for model in MODELS:
        old = ContentType.objects.filter(app_label=old_label, model=model).first()
        if old is None:
            continue
        new = ContentType.objects.filter(app_label=new_label, model=model).first()
        if new is not None:
            for permission in Permission.objects.filter(content_type=new):
                twin = Permission.objects.filter(
                    content_type=old, codename=permission.codename
                ).first()
                if twin is None:
                    permission.content_type = old
                    permission.save(update_fields=["content_type"])
                    continue
                for group in Group.objects.filter(permissions=permission):
                    group.permissions.add(twin)
                for user in User.objects.filter(user_permissions=permission):
                    user.user_permissions.add(twin)
                permission.delete()
            Task.objects.filter(content_type=new).update(content_type=old)
            new.delete()
        old.app_label = new_label
        old.save(update_fields=["app_label"])


def forwards(apps, schema_editor):
    _move_content_types(apps, "core", NEW_LABEL)


def backwards(apps, schema_editor):
    _move_content_types(apps, NEW_LABEL, "core")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('core', '0006_webhook_visibility_event'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('wagtailcore', '0098_apitoken'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.CreateModel(
                name='WebhookEndpoint',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('name', models.CharField(help_text="A name you will recognise, e.g. 'Website (Next.js)'.", max_length=100)),
                    ('url', models.URLField(help_text='Where to send the notice. Must start with https:// (http:// is allowed only for localhost or 127.0.0.1 while testing).', max_length=500, verbose_name='address')),
                    ('secret', models.CharField(editable=False, help_text='Shared secret the receiver uses to check that a notice is ours.', max_length=128)),
                    ('events', models.JSONField(default=list, help_text='Which changes to send. Pick at least one.')),
                    ('page_types', models.JSONField(blank=True, default=list, help_text='Send page notices only for these kinds of page. Leave empty for all.')),
                    ('is_active', models.BooleanField(default=True, help_text='Untick to pause notices to this address without deleting it.', verbose_name='sending')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                ],
                options={
                    'db_table': 'core_webhookendpoint',
                    'ordering': ['name'],
                },
            ),
            migrations.CreateModel(
                name='WebhookDelivery',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('event', models.CharField(choices=[('page.published', 'Page published'), ('page.unpublished', 'Page unpublished'), ('page.moved', 'Page moved'), ('page.deleted', 'Page deleted'), ('page.visibility_changed', 'Page made private or public again'), ('snippet.changed', 'Snippet or settings changed'), ('test', 'Test')], editable=False, max_length=32)),
                    ('payload', models.JSONField(editable=False)),
                    ('status', models.CharField(choices=[('pending', 'Waiting to send'), ('delivered', 'Delivered'), ('failed', 'Failed (gave up)')], db_index=True, default='pending', editable=False, max_length=16)),
                    ('attempts', models.PositiveIntegerField(default=0, editable=False)),
                    ('response_code', models.PositiveIntegerField(editable=False, null=True)),
                    ('last_error', models.TextField(blank=True, editable=False)),
                    ('next_attempt_at', models.DateTimeField(editable=False, null=True)),
                    ('task_id', models.CharField(blank=True, editable=False, max_length=64)),
                    ('created_at', models.DateTimeField(auto_now_add=True, db_index=True)),
                    ('delivered_at', models.DateTimeField(editable=False, null=True)),
                    ('endpoint', models.ForeignKey(editable=False, on_delete=django.db.models.deletion.CASCADE, related_name='deliveries', to='publishing.webhookendpoint')),
                ],
                options={
                    'verbose_name_plural': 'webhook deliveries',
                    'db_table': 'core_webhookdelivery',
                    'ordering': ['-created_at', '-pk'],
                },
            ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
