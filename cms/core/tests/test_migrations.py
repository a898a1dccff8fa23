"""A database made by the previous release keeps working after today's migrations.

``ClinicalReviewTask`` moved from ``core`` to ``clinical``, the webhook models
from ``core`` to ``publishing``; their tables kept their names, so only
Django's state changes and their content types are relabelled. Articles now
cite each study once (duplicates are removed first) and services swapped their
unique constraint. Nothing of this shows on a fresh test database, which is
built by today's migrations from nothing. This test migrates back to the
previous release's leaf migrations, stores data there with the models of that
time (pages, links to studies, a review task, a webhook endpoint and its
delivery, group permissions on the moved models), migrates forward again and
finds all of it through today's models.
"""

import importlib

import pytest
from django.apps import apps as global_apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

# The leaf migrations of the previous release; clinical and publishing did not
# exist yet.
OLD_MAIN = [
    ("core", "0006_webhook_visibility_event"),
    ("home", "0005_consultation_help_texts"),
    ("articles", "0004_article_date_local_day"),
    ("studies", "0001_initial"),
    ("clinical", None),
    ("publishing", None),
]
# Model name -> the app it lives in now (it lived in "core" before).
MOVED = {
    "clinicalreviewtask": "clinical",
    "webhookendpoint": "publishing",
    "webhookdelivery": "publishing",
}
WORKFLOW_NAME = "Clinical review"
GROUPS = ("Editors", "Medical reviewers", "Publishers")
# Granted in the old database, so that moving a model must keep them.
GRANTED_ON_MOVED_MODELS = {
    "Publishers": ["view_webhookendpoint", "change_webhookendpoint"],
    "Medical reviewers": ["view_webhookdelivery", "change_clinicalreviewtask"],
}
# Wagtail's tree paths: four base-36 characters a level.
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEPLEN = 4


def _migrate(targets):
    """Migrate to ``targets``; return an executor that knows the result."""
    MigrationExecutor(connection).migrate(targets)
    return MigrationExecutor(connection)


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _step(number):
    digits = ""
    for _ in range(STEPLEN):
        number, rest = divmod(number, len(ALPHABET))
        digits = ALPHABET[rest] + digits
    return digits


def _add_child(apps, parent, model_label, **fields):
    """Create a page below ``parent`` as treebeard and Wagtail would."""
    app_label, model_name = model_label.split(".")
    model = apps.get_model(app_label, model_name)
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    siblings = Page.objects.filter(
        path__startswith=parent.path, depth=parent.depth + 1
    ).order_by("-path")
    last = siblings.values_list("path", flat=True).first()
    number = int(last[-STEPLEN:], len(ALPHABET)) + 1 if last else 1
    slug = fields.pop("slug")
    page = model.objects.create(
        title=fields["title"],
        draft_title=fields.pop("draft_title", fields["title"]),
        slug=slug,
        content_type=ContentType.objects.get_for_model(model),
        path=parent.path + _step(number),
        depth=parent.depth + 1,
        numchild=0,
        url_path=f"{parent.url_path}{slug}/",
        locale_id=parent.locale_id,
        live=True,
        has_unpublished_changes=False,
        **{key: value for key, value in fields.items() if key != "title"},
    )
    parent.numchild += 1
    Page.objects.filter(pk=parent.pk).update(numchild=parent.numchild)
    return page


def _group_permissions(Group, GroupPagePermission, GroupCollectionPermission):
    """What each editorial group may do, independent of primary keys."""
    result = {}
    for name in GROUPS:
        group = Group.objects.get(name=name)
        result[name] = {
            "model": {
                (p.content_type.app_label, p.content_type.model, p.codename)
                for p in group.permissions.select_related("content_type")
            },
            "page": {
                (gp.page_id, gp.permission.codename)
                for gp in GroupPagePermission.objects.filter(group=group)
            },
            "collection": {
                (gp.collection_id, gp.permission.codename)
                for gp in GroupCollectionPermission.objects.filter(group=group)
            },
        }
    return result


def _create_old_data(apps):
    """What a database of the previous release holds; returns what to look for."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    OldTask = apps.get_model("core", "ClinicalReviewTask")
    Endpoint = apps.get_model("core", "WebhookEndpoint")
    Delivery = apps.get_model("core", "WebhookDelivery")
    ArticleRelatedStudy = apps.get_model("articles", "ArticleRelatedStudy")
    ServiceRelatedStudy = apps.get_model("home", "ServiceRelatedStudy")

    # The previous release knew these models only under "core".
    assert not ContentType.objects.filter(
        app_label__in=set(MOVED.values()), model__in=MOVED
    ).exists()
    moved_types = {
        ct.model: ct.pk
        for ct in ContentType.objects.filter(app_label="core", model__in=MOVED)
    }
    assert set(moved_types) == set(MOVED)

    # core 0004 created the review task; its content type says "core".
    task = OldTask.objects.get(name=WORKFLOW_NAME)
    assert (task.content_type.app_label, task.content_type.model) == (
        "core",
        "clinicalreviewtask",
    )
    reviewer_ids = set(task.groups.values_list("pk", flat=True))
    assert Group.objects.get(name="Medical reviewers").pk in reviewer_ids

    # Rights on the moved models, as an administrator may have granted them.
    for name, codenames in GRANTED_ON_MOVED_MODELS.items():
        Group.objects.get(name=name).permissions.add(
            *Permission.objects.filter(
                content_type__app_label="core", codename__in=codenames
            )
        )
    permissions = _group_permissions(
        Group,
        apps.get_model("wagtailcore", "GroupPagePermission"),
        apps.get_model("wagtailcore", "GroupCollectionPermission"),
    )
    for name, codenames in GRANTED_ON_MOVED_MODELS.items():
        granted = {code for label, _, code in permissions[name]["model"]}
        assert set(codenames) <= granted

    endpoint = Endpoint.objects.create(
        name="Website (Next.js)",
        url="https://www.example.com/api/revalidate",
        secret="s3cret-" + "x" * 57,
        events=["page.published", "page.unpublished"],
        page_types=["studies.studysummarypage"],
        is_active=False,
    )
    delivery = Delivery.objects.create(
        endpoint=endpoint,
        event="page.published",
        payload={"event": "page.published", "id": 1},
        status="failed",
        attempts=5,
        response_code=502,
        last_error="Bad gateway",
        task_id="task-42",
    )

    root = Page.objects.filter(depth=1).order_by("path").first()
    assert root is not None, "the database has no page tree"
    study = _add_child(
        apps,
        root,
        "studies.StudySummaryPage",
        title="Ketamine for treatment-resistant depression",
        slug="migration-test-study",
        citation_title="A randomised trial of ketamine",
        year=2021,
        body=[],
    )
    service = _add_child(
        apps,
        root,
        "home.ServicePage",
        title="Ketamine-assisted therapy",
        slug="migration-test-service",
        subtitle="What it is and who it helps",
        body=[],
    )
    article = _add_child(
        apps,
        root,
        "articles.ArticlePage",
        title="What to expect at your first session",
        slug="migration-test-article",
        body=[],
    )
    ServiceRelatedStudy.objects.create(page_id=service.pk, study=study, sort_order=0)
    # The same study cited twice: allowed then, refused now.
    kept = ArticleRelatedStudy.objects.create(
        page_id=article.pk, study=study, sort_order=0
    )
    ArticleRelatedStudy.objects.create(page_id=article.pk, study=study, sort_order=1)
    assert ArticleRelatedStudy.objects.filter(page_id=article.pk).count() == 2

    return {
        "moved_types": moved_types,
        "task": task.pk,
        "reviewers": reviewer_ids,
        "permissions": permissions,
        "endpoint": endpoint.pk,
        "delivery": delivery.pk,
        "pages": {
            study.pk: ("studies", "StudySummaryPage", study.title),
            service.pk: ("home", "ServicePage", service.title),
            article.pk: ("articles", "ArticlePage", article.title),
        },
        "study": study.pk,
        "service": service.pk,
        "article": article.pk,
        "kept_link": kept.pk,
    }


def _relabelled(permissions):
    """The old groups' rights as they must read once the models moved."""

    def new_label(label, model):
        return MOVED[model] if label == "core" and model in MOVED else label

    return {
        name: {
            **kinds,
            "model": {
                (new_label(label, model), model, codename)
                for label, model, codename in kinds["model"]
            },
        }
        for name, kinds in permissions.items()
    }


def _check_new_data(old):
    from django.apps import apps
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import (
        GroupCollectionPermission,
        GroupPagePermission,
        Page,
        Task,
        Workflow,
    )

    from articles.models import ArticleRelatedStudy
    from cms.clinical.models import ClinicalReviewTask
    from cms.publishing.models import WebhookDelivery, WebhookEndpoint
    from home.models import ServiceRelatedStudy
    from studies.models import StudySummaryPage

    # Forget content types read before the migration relabelled them.
    ContentType.objects.clear_cache()

    # Relabelled, not recreated: the same rows, now under the new apps.
    assert not ContentType.objects.filter(app_label="core", model__in=MOVED).exists()
    for model, pk in old["moved_types"].items():
        content_type = ContentType.objects.get(pk=pk)
        assert (content_type.app_label, content_type.model) == (MOVED[model], model)
    assert (
        ContentType.objects.get_for_model(ClinicalReviewTask).pk
        == (old["moved_types"]["clinicalreviewtask"])
    )

    task = ClinicalReviewTask.objects.get(name=WORKFLOW_NAME)
    assert task.pk == old["task"]
    assert set(task.groups.values_list("pk", flat=True)) == old["reviewers"]
    specific = Task.objects.get(name=WORKFLOW_NAME).specific
    assert isinstance(specific, ClinicalReviewTask)
    workflow = Workflow.objects.get(name=WORKFLOW_NAME)
    assert [t.specific for t in workflow.tasks] == [task]

    endpoint = WebhookEndpoint.objects.get(pk=old["endpoint"])
    assert endpoint.name == "Website (Next.js)"
    assert endpoint.url == "https://www.example.com/api/revalidate"
    assert endpoint.secret == "s3cret-" + "x" * 57
    assert endpoint.events == ["page.published", "page.unpublished"]
    assert endpoint.page_types == ["studies.studysummarypage"]
    assert endpoint.is_active is False
    assert endpoint.created_at is not None
    delivery = endpoint.deliveries.get()
    assert delivery.pk == old["delivery"]
    assert delivery.event == "page.published"
    assert delivery.payload == {"event": "page.published", "id": 1}
    assert (delivery.status, delivery.attempts) == ("failed", 5)
    assert (delivery.response_code, delivery.last_error) == (502, "Bad gateway")
    assert delivery.task_id == "task-42"
    assert delivery.created_at is not None
    # The tables take new rows through today's models.
    added = WebhookDelivery.objects.create(endpoint=endpoint, event="test", payload={})
    assert added.pk != delivery.pk
    assert endpoint.deliveries.count() == 2

    for pk, (app_label, model_name, title) in old["pages"].items():
        page = Page.objects.get(pk=pk).specific
        assert isinstance(page, apps.get_model(app_label, model_name))
        assert page.title == title
        assert page.url_path.startswith("/")
    study = StudySummaryPage.objects.get(pk=old["study"])
    assert list(study.cited_by_home.values_list("page_id", flat=True)) == [
        old["service"]
    ]
    assert ServiceRelatedStudy.objects.filter(page_id=old["service"]).count() == 1

    # One link left of the two, the first one; a second is refused now.
    links = ArticleRelatedStudy.objects.filter(page_id=old["article"])
    assert list(links.values_list("pk", flat=True)) == [old["kept_link"]]
    assert list(study.cited_by_articles.all()) == list(links)
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleRelatedStudy.objects.create(
            page_id=old["article"], study=study, sort_order=2
        )

    assert _group_permissions(
        Group, GroupPagePermission, GroupCollectionPermission
    ) == _relabelled(old["permissions"])
    publishers = Group.objects.get(name="Publishers")
    assert publishers.permissions.filter(
        content_type__app_label="publishing", codename="change_webhookendpoint"
    ).exists()


@pytest.mark.migration_history
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_database_of_previous_release_migrates_with_its_data():
    # serialized_rollback: start from what the migrations themselves created
    # (page tree, groups, review workflow), even after other transactional
    # tests flushed the database.
    latest = _latest()
    try:
        executor = _migrate(OLD_MAIN)
        old_state = executor.loader.project_state(
            [target for target in OLD_MAIN if target[1] is not None]
        )
        old = _create_old_data(old_state.apps)

        executor = _migrate(latest)
        assert not executor.migration_plan(latest), "migrations left to apply"
        _check_new_data(old)
    finally:
        # Whatever failed above, leave the schema as the other tests expect it.
        _migrate(latest)


@pytest.mark.django_db
def test_relabelling_keeps_grants_when_the_new_content_type_already_exists():
    """Code that ran before ``migrate`` may have made the new content type."""
    move = importlib.import_module("cms.clinical.migrations.0001_move_from_core")
    made_early = ContentType.objects.get(
        app_label="clinical", model="clinicalreviewtask"
    )
    grant = Permission.objects.get(
        content_type=made_early, codename="change_clinicalreviewtask"
    )
    group = Group.objects.create(name="Early grant")
    group.permissions.add(grant)
    old = ContentType.objects.create(app_label="core", model="clinicalreviewtask")
    Permission.objects.create(
        content_type=old, codename="change_clinicalreviewtask", name="Can change"
    )

    move.forwards(global_apps, None)

    kept = ContentType.objects.get(model="clinicalreviewtask")
    assert (kept.pk, kept.app_label) == (old.pk, "clinical")
    assert list(group.permissions.values_list("content_type_id", "codename")) == [
        (old.pk, "change_clinicalreviewtask")
    ]
