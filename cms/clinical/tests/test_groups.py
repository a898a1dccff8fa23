"""Groups and their rights, as set up by the data migration."""

import importlib

import pytest
from django.apps import apps as global_apps
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import GroupPagePermission, Workflow, WorkflowPage

from cms.core.tests.factories import DisclaimerFactory
from cms.core.tests.helpers import logged_in

pytestmark = pytest.mark.django_db

migration = importlib.import_module(
    "cms.core.migrations.0004_editorial_groups_and_clinical_review"
)


def page_rights(name):
    return sorted(
        GroupPagePermission.objects.filter(group__name=name).values_list(
            "permission__codename", flat=True
        )
    )


def test_each_group_has_exactly_its_page_rights():
    assert page_rights("Editors") == ["add_page", "change_page"]
    assert page_rights("Medical reviewers") == ["change_page"]
    assert page_rights("Publishers") == [
        "add_page",
        "change_page",
        "lock_page",
        "publish_page",
        "unlock_page",
    ]


def test_the_migration_can_run_again_without_duplicating_anything(study_index):
    counts = (
        Group.objects.count(),
        GroupPagePermission.objects.count(),
        Workflow.objects.count(),
        WorkflowPage.objects.count(),
    )
    migration.create_groups_and_workflow(global_apps, None)
    migration.create_groups_and_workflow(global_apps, None)
    assert counts == (
        Group.objects.count(),
        GroupPagePermission.objects.count(),
        Workflow.objects.count(),
        WorkflowPage.objects.count(),
    )
    workflow = Workflow.objects.get(name="Clinical review")
    [task] = [task.specific for task in workflow.tasks.all()]
    assert [group.name for group in task.groups.all()] == ["Medical reviewers"]


def test_the_migration_puts_existing_sections_under_clinical_review(study_index):
    WorkflowPage.objects.all().delete()
    migration.create_groups_and_workflow(global_apps, None)
    assert WorkflowPage.objects.get(page=study_index).workflow.name == (
        "Clinical review"
    )


def test_editors_cannot_change_disclaimer_wording(editor, reviewer):
    disclaimer = DisclaimerFactory()
    url = reverse("wagtailsnippets_core_disclaimer:edit", args=[disclaimer.pk])
    denied = logged_in(editor).get(url, follow=True)
    assert "you do not have permission" in denied.content.decode()
    assert logged_in(reviewer).get(url).status_code == 200


def test_reviewers_record_reviews_and_editors_do_not(editor, reviewer, publisher):
    assert reviewer.has_perm("core.record_review")
    assert not editor.has_perm("core.record_review")
    assert not publisher.has_perm("core.record_review")


def test_every_group_can_open_the_admin(editor, reviewer, publisher):
    for user in (editor, reviewer, publisher):
        assert logged_in(user).get(reverse("wagtailadmin_home")).status_code == 200


def test_only_account_managers_link_a_clinician_to_an_account(
    reviewer, admin_client, django_user_model
):
    clinician = reviewer.clinician
    url = reverse("wagtailsnippets_core_clinician:edit", args=[clinician.pk])
    assert 'name="user"' not in logged_in(reviewer).get(url).content.decode()
    assert 'name="user"' in admin_client.get(url).content.decode()
