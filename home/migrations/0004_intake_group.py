"""The Intake group: the only people who read consultation requests."""

from django.db import migrations

INTAKE = "Intake"


def create_intake_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    group, _ = Group.objects.get_or_create(name=INTAKE)
    # Admin access only: what they may read is decided by the
    # filter_form_submissions_for_user hook in home/wagtail_hooks.py.
    admin_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailadmin", model="admin"
    )
    access_admin, _ = Permission.objects.get_or_create(
        content_type=admin_type,
        codename="access_admin",
        defaults={"name": "Can access Wagtail admin"},
    )
    group.permissions.add(access_admin)


def remove_intake_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=INTAKE).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0003_consultation_form_page"),
        ("wagtailadmin", "0005_editingsession_is_editing"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_intake_group, remove_intake_group)]
