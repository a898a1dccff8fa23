"""Editorial groups, their permissions, and the "Clinical review" workflow.

Idempotent: running it on a database that already has the groups or the
workflow (for example Wagtail's own "Editors" group) brings them to the state
below without duplicating anything. The Intake group is created by ``home``.

Page permissions are granted on the tree's root page, so they cover the site
the content loader creates later. The workflow is attached to the services,
articles and studies sections that already exist; sections created later get
it from ``cms.core.signals``.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

WORKFLOW_NAME = "Clinical review"
EDITORS, REVIEWERS, PUBLISHERS = "Editors", "Medical reviewers", "Publishers"

PAGE_PERMISSIONS = {
    # Editors write and submit for review; they cannot publish anything.
    EDITORS: ["add_page", "change_page"],
    # Reviewers can correct wording while reviewing; approving publishes.
    REVIEWERS: ["change_page"],
    PUBLISHERS: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
}
MEDIA_PERMISSIONS = {
    EDITORS: ["add", "change", "choose"],
    REVIEWERS: ["choose"],
    PUBLISHERS: ["add", "change", "choose"],
}
MODEL_PERMISSIONS = {
    EDITORS: [
        ("core", "view_clinician"),
        ("core", "view_condition"),
        ("core", "add_condition"),
        ("core", "change_condition"),
        ("core", "view_disclaimer"),
    ],
    REVIEWERS: [
        ("core", "view_clinician"),
        ("core", "change_clinician"),
        ("core", "record_review"),
        ("core", "view_condition"),
        ("core", "view_disclaimer"),
        ("core", "add_disclaimer"),
        ("core", "change_disclaimer"),
    ],
    PUBLISHERS: [
        ("core", "view_clinician"),
        ("core", "view_condition"),
        ("core", "add_condition"),
        ("core", "change_condition"),
        ("core", "view_disclaimer"),
    ],
}
SECTION_MODELS = [
    ("home", "serviceindexpage"),
    ("articles", "articleindexpage"),
    ("studies", "studyindexpage"),
]


def _ensure_permissions(apps):
    # On a fresh database, model permissions are only created after all
    # migrations ran; create them now so they can be granted.
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = models_module


def _permission(apps, app_label, codename):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _task_model(apps):
    # The task model moved to the "clinical" app later (clinical 0001); the
    # tests also run this function against today's models.
    for app_label in ("core", "clinical"):
        try:
            return apps.get_model(app_label, "ClinicalReviewTask")
        except LookupError:
            continue
    raise LookupError("No ClinicalReviewTask model")


def create_groups_and_workflow(apps, schema_editor):
    _ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model(
        "wagtailcore", "GroupCollectionPermission"
    )
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    ClinicalReviewTask = _task_model(apps)

    root_page = Page.objects.filter(depth=1).order_by("path").first()
    root_collection = Collection.objects.filter(depth=1).order_by("path").first()
    access_admin = _permission(apps, "wagtailadmin", "access_admin")
    groups = {}
    for name in (EDITORS, REVIEWERS, PUBLISHERS):
        group, _ = Group.objects.get_or_create(name=name)
        groups[name] = group
        group.permissions.add(access_admin)
        group.permissions.add(
            *(_permission(apps, label, code) for label, code in MODEL_PERMISSIONS[name])
        )
        if root_page is not None:
            wanted = [
                _permission(apps, "wagtailcore", code) for code in PAGE_PERMISSIONS[name]
            ]
            # Only these page permissions: Wagtail's own "Editors" group must
            # not keep a publish right it may have been given.
            GroupPagePermission.objects.filter(group=group).exclude(
                permission__in=wanted
            ).delete()
            for permission in wanted:
                GroupPagePermission.objects.get_or_create(
                    group=group, page=root_page, permission=permission
                )
        if root_collection is not None:
            for action in MEDIA_PERMISSIONS[name]:
                for app_label, model in (("wagtailimages", "image"),
                                         ("wagtaildocs", "document")):
                    GroupCollectionPermission.objects.get_or_create(
                        group=group,
                        collection=root_collection,
                        permission=_permission(apps, app_label, f"{action}_{model}"),
                    )

    task_type, _ = ContentType.objects.get_or_create(
        app_label=ClinicalReviewTask._meta.app_label, model="clinicalreviewtask"
    )
    task = ClinicalReviewTask.objects.filter(name=WORKFLOW_NAME).first()
    if task is None:
        task = ClinicalReviewTask.objects.create(
            name=WORKFLOW_NAME, active=True, content_type=task_type
        )
    task.groups.add(groups[REVIEWERS])
    workflow, _ = Workflow.objects.get_or_create(
        name=WORKFLOW_NAME, defaults={"active": True}
    )
    WorkflowTask.objects.get_or_create(
        workflow=workflow, task_id=task.pk, defaults={"sort_order": 0}
    )
    section_types = ContentType.objects.filter(
        app_label__in=[app for app, _ in SECTION_MODELS],
        model__in=[model for _, model in SECTION_MODELS],
    )
    for section in Page.objects.filter(content_type__in=section_types):
        WorkflowPage.objects.get_or_create(
            page=section, defaults={"workflow": workflow}
        )


def remove_groups_and_workflow(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Task = apps.get_model("wagtailcore", "Task")
    Workflow.objects.filter(name=WORKFLOW_NAME).delete()
    Task.objects.filter(name=WORKFLOW_NAME).delete()
    # Wagtail's own "Editors" group predates this migration; keep it.
    Group.objects.filter(name__in=[REVIEWERS, PUBLISHERS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_clinical_review"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(create_groups_and_workflow, remove_groups_and_workflow),
    ]
