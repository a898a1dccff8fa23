"""Clinical models move here from the foundation app ("core").

Their tables keep their names (``db_table``), so nothing is copied: the models
change app in Django's state only, and their content types are relabelled.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


NEW_LABEL = 'clinical'
MODELS = ['clinicalreviewtask']

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
                name='ClinicalReviewTask',
                fields=[
                    ('task_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to='wagtailcore.task')),
                    ('groups', models.ManyToManyField(help_text='Pages/snippets at this step in a workflow will be moderated or approved by these groups of users', to='auth.group', verbose_name='groups')),
                ],
                options={
                    'db_table': 'core_clinicalreviewtask',
                },
                bases=('wagtailcore.task',),
            ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
