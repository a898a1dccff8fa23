"""Steps of the clinical review journey, shared by the review and autosave tests."""

from django.urls import reverse
from wagtail.models import Page

from studies.tests.helpers import add_url, study_form


def submit_new_study(client, study_index, **overrides):
    data = study_form(**overrides)
    data["action-submit"] = "Submit to Clinical review"
    return client.post(add_url(study_index), data)


def approve(client, page):
    page = Page.objects.get(pk=page.pk)
    task_state = page.current_workflow_task_state
    url = reverse(
        "wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk]
    )
    return client.post(url, {"comment": ""}, follow=True)
