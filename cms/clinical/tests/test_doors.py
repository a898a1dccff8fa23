"""The publish rules hold at every door, not only in the admin editor.

Each test tries one path that can make a clinical page version live (the v3 API
with each group's token, copy, alias, revert, scheduled go-live, code calling
``Revision.publish()``) against an unreviewed ketamine service, an incomplete
one, or a reviewed one edited afterwards, and checks what a caller sees: the
refusal and its reasons, and that nothing changed.
"""

import datetime

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from modelcluster.models import get_all_child_relations
from wagtail.models import APIToken, Page, PageLogEntry

from cms.clinical.records import ClinicalFlag
from cms.clinical.rules import PublishRefused, publish_blockers
from cms.core.tests.factories import (
    ClinicianFactory,
    DisclaimerFactory,
    publish_reviewed,
)
from home.models import ServicePage
from home.tests.factories import ServicePageFactory, paragraph

SECTIONS = {
    "risks": "<p>Dizziness and nausea during the infusion.</p>",
    "who_it_is_not_for": "<p>People with uncontrolled high blood pressure.</p>",
    "when_to_get_help": "<p>Call 911 for chest pain or trouble breathing.</p>",
}


def bearer(user) -> dict:
    _token, secret = APIToken.create_token(user=user, name="door test")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser(
        username="root", email="root@example.com", password="password"
    )


@pytest.fixture
def disclaimer(db):
    return DisclaimerFactory(kind="ketamine_off_label", is_active=True)


@pytest.fixture
def reviewed_service(service_index, disclaimer):
    """A live ketamine service with every section, approved as it stands."""
    page = ServicePageFactory(
        parent=service_index,
        title="IV ketamine",
        involves_ketamine=True,
        disclaimer=disclaimer,
        reviewed_by=ClinicianFactory(),
        last_reviewed=datetime.date(2026, 1, 5),
        next_review_due=datetime.date(2099, 1, 5),
        **SECTIONS,
    )
    publish_reviewed(page)  # a live revision, as pages published in the admin have
    return ServicePage.objects.get(pk=page.pk)


def new_service_payload(parent, **fields) -> dict:
    return {
        "meta": {"type": "home.ServicePage", "parent_id": parent.pk, **fields},
        "title": "IV ketamine infusions for migraine",
        "slug": "iv-ketamine-migraine",
        "body": [
            {"type": "paragraph", "value": "<p>An FDA-approved, permanent cure.</p>"}
        ],
    }


def problems(response) -> str:
    assert response["Content-Type"].startswith("application/problem+json")
    return response.content.decode()


@pytest.mark.parametrize("who", ["publisher", "superuser"])
def test_api_create_with_publish_is_refused_and_creates_nothing(
    client, request, service_index, who
):
    before = Page.objects.count()
    response = client.post(
        "/api/v3/pages/",
        new_service_payload(service_index, action="publish"),
        content_type="application/json",
        **bearer(request.getfixturevalue(who)),
    )
    assert response.status_code == 422
    body = problems(response)
    assert "has not been medically reviewed" in body
    assert "“Risks and side effects”" in body
    # Ketamine in the title makes it a ketamine service, ticked or not.
    assert "off-label ketamine disclaimer" in body
    assert Page.objects.count() == before
    assert client.get("/services/iv-ketamine-migraine/").status_code == 404


@pytest.mark.parametrize("who", ["editor", "reviewer"])
def test_api_publish_is_not_even_allowed_for_editors_and_reviewers(
    client, request, service_index, who
):
    response = client.post(
        "/api/v3/pages/",
        new_service_payload(service_index, action="publish"),
        content_type="application/json",
        **bearer(request.getfixturevalue(who)),
    )
    assert response.status_code in (403, 422)
    assert not ServicePage.objects.filter(slug="iv-ketamine-migraine").exists()


def test_api_draft_then_actions_publish_is_refused(client, publisher, service_index):
    headers = bearer(publisher)
    created = client.post(
        "/api/v3/pages/",
        new_service_payload(service_index),
        content_type="application/json",
        **headers,
    )
    assert created.status_code == 201, created.content
    page_id = created.json()["id"]
    response = client.post(f"/api/v3/pages/{page_id}/actions/publish/", **headers)
    assert response.status_code == 422
    assert "has not been medically reviewed" in problems(response)
    assert not Page.objects.get(pk=page_id).live


def test_api_patch_of_clinical_text_needs_a_new_review(
    client, publisher, reviewed_service
):
    response = client.patch(
        f"/api/v3/pages/{reviewed_service.pk}/",
        {
            "meta": {"type": "home.ServicePage", "action": "publish"},
            "title": "IV ketamine: a permanent cure",
        },
        content_type="application/json",
        **bearer(publisher),
    )
    assert response.status_code == 422
    assert "changed since the last medical review (Title)" in problems(response)
    revisions = reviewed_service.revisions.count()
    reviewed_service.refresh_from_db()
    assert reviewed_service.title == "IV ketamine"
    assert reviewed_service.revisions.count() == revisions  # the refused draft too
    assert "permanent cure" not in client.get(reviewed_service.url).content.decode()


def test_api_patch_of_search_fields_only_publishes_directly(
    client, publisher, reviewed_service
):
    response = client.patch(
        f"/api/v3/pages/{reviewed_service.pk}/",
        {
            "meta": {"type": "home.ServicePage", "action": "publish"},
            "seo_title": "IV ketamine in Salt Lake City",
        },
        content_type="application/json",
        **bearer(publisher),
    )
    assert response.status_code == 200, response.content
    reviewed_service.refresh_from_db()
    assert reviewed_service.seo_title == "IV ketamine in Salt Lake City"


def test_api_copy_keep_live_of_a_clinical_page_is_refused(
    client, publisher, reviewed_service, service_index
):
    response = client.post(
        f"/api/v3/pages/{reviewed_service.pk}/actions/copy/",
        {
            "destination_id": service_index.pk,
            "slug": "iv-ketamine-copy",
            "keep_live": True,
        },
        content_type="application/json",
        **bearer(publisher),
    )
    assert response.status_code == 422
    assert "has not been medically reviewed" in problems(response)
    assert not Page.objects.filter(slug="iv-ketamine-copy").exists()


def test_api_alias_of_an_unreviewed_live_page_is_refused(
    client, publisher, service_index, home_page
):
    seeded = ServicePageFactory(parent=service_index, title="Seeded ketamine page")
    response = client.post(
        f"/api/v3/pages/{seeded.pk}/actions/create_alias/",
        {"destination_id": service_index.pk, "slug": "an-alias"},
        content_type="application/json",
        **bearer(publisher),
    )
    assert response.status_code == 422, response.content
    assert not Page.objects.filter(alias_of=seeded).exists()


def test_api_alias_of_a_reviewed_page_follows_its_review(
    client, publisher, reviewed_service, service_index
):
    response = client.post(
        f"/api/v3/pages/{reviewed_service.pk}/actions/create_alias/",
        {"destination_id": service_index.pk, "slug": "an-alias"},
        content_type="application/json",
        **bearer(publisher),
    )
    assert response.status_code in (200, 201), response.content
    alias = Page.objects.get(alias_of=reviewed_service)
    assert alias.live
    converted = client.post(
        f"/api/v3/pages/{alias.pk}/actions/convert_alias/", **bearer(publisher)
    )
    # As a page of its own it has no review: it may not stay live unreviewed.
    assert converted.status_code == 422, converted.content
    assert Page.objects.get(pk=alias.pk).alias_of_id == reviewed_service.pk


def test_api_revert_to_an_unreviewed_version_then_publish_is_refused(
    client, publisher, reviewed_service
):
    with_typo = reviewed_service.get_latest_revision_as_object()
    with_typo.risks = "<p>None.</p>"
    old = with_typo.save_revision()
    headers = bearer(publisher)
    client.post(
        f"/api/v3/pages/{reviewed_service.pk}/actions/revert/",
        {"revision_id": old.pk},
        content_type="application/json",
        **headers,
    )
    response = client.post(
        f"/api/v3/pages/{reviewed_service.pk}/actions/publish/", **headers
    )
    assert response.status_code == 422
    reviewed_service.refresh_from_db()
    assert "Dizziness" in reviewed_service.risks


def test_code_calling_revision_publish_is_refused(reviewed_service):
    draft = reviewed_service.get_latest_revision_as_object()
    draft.body = paragraph("Guaranteed results.")
    revision = draft.save_revision()
    with pytest.raises(PublishRefused) as refused:
        revision.publish()
    assert "changed since the last medical review (Body)" in str(refused.value)
    assert "Guaranteed" not in str(ServicePage.objects.get(pk=draft.pk).body)


def test_a_direct_save_of_live_clinical_text_is_refused(reviewed_service):
    reviewed_service.risks = ""
    with pytest.raises(PublishRefused):
        reviewed_service.save()


def test_ketamine_is_detected_whatever_the_tick_box_says(service_index):
    page = ServicePage(
        title="Infusions for migraine",
        subtitle="With esketamine (Spravato)",
        body=paragraph("Relief for some patients."),
    )
    assert not page.involves_ketamine
    page.clean()
    assert page.involves_ketamine
    assert page.ketamine_ticked
    assert any("off-label ketamine disclaimer" in p for p in publish_blockers(page))


def test_scheduled_go_live_refused_when_the_version_no_longer_passes(
    reviewed_service, disclaimer, admin_client
):
    draft = reviewed_service.get_latest_revision_as_object()
    draft.seo_title = "Book IV ketamine"
    draft.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    revision = draft.save_revision()
    revision.publish()  # scheduled, valid now
    revision.refresh_from_db()
    assert revision.approved_go_live_at is not None
    # Before it is due, the disclaimer is replaced by a new version.
    disclaimer.is_active = False
    disclaimer.save()
    DisclaimerFactory(kind="ketamine_off_label", version="2027-01", is_active=True)
    # The go-live time arrives.
    due = timezone.now() - datetime.timedelta(minutes=1)
    revision.approved_go_live_at = due
    revision.content["go_live_at"] = due.isoformat()
    revision.save(update_fields=["approved_go_live_at", "content"])

    call_command("publish_scheduled")

    reviewed_service.refresh_from_db()
    assert reviewed_service.seo_title != "Book IV ketamine"
    revision.refresh_from_db()
    assert revision.approved_go_live_at is None  # not retried every minute
    flag = ClinicalFlag.objects.get(page=reviewed_service)
    assert flag.kind == ClinicalFlag.Kind.GO_LIVE_REFUSED
    assert "2027-01" in flag.message
    assert PageLogEntry.objects.filter(
        page=reviewed_service, action="clinical.go_live_refused"
    ).exists()
    report = admin_client.get(reverse("clinical_review_due")).content.decode()
    assert "Scheduled go-live refused" in report
    assert "2027-01" in report


WRITES = {
    "create and publish": lambda page, parent: (
        "post",
        "/api/v3/pages/",
        new_service_payload(parent, action="publish"),
    ),
    "patch and publish": lambda page, parent: (
        "patch",
        f"/api/v3/pages/{page.pk}/",
        {"meta": {"type": "home.ServicePage", "action": "publish"}, "title": "X"},
    ),
    "publish the draft": lambda page, parent: (
        "post",
        f"/api/v3/pages/{page.pk}/actions/publish/",
        None,
    ),
    "copy keeping it live": lambda page, parent: (
        "post",
        f"/api/v3/pages/{page.pk}/actions/copy/",
        {"destination_id": parent.pk, "slug": "copied", "keep_live": True},
    ),
    "create an alias": lambda page, parent: (
        "post",
        f"/api/v3/pages/{page.pk}/actions/create_alias/",
        {"destination_id": parent.pk, "slug": "aliased"},
    ),
}


@pytest.mark.parametrize("who", ["editor", "reviewer", "publisher", "superuser"])
@pytest.mark.parametrize("write", list(WRITES))
def test_no_group_puts_an_unreviewed_service_live_through_the_api(
    client, request, service_index, who, write
):
    """Every group's token on every write: refused (4xx), nothing new is live.

    The page is a draft, or (for a copy or an alias, which take the source's
    live status) a live page that was never reviewed, like the seeded page.
    """
    # Copies and aliases take the source's live status: start from a live page.
    copying = write in ("copy keeping it live", "create an alias")
    page = ServicePageFactory(
        parent=service_index, title="Ketamine for migraine", live=copying
    )
    page.save_revision()
    live_before = set(Page.objects.live().values_list("pk", flat=True))
    method, url, payload = WRITES[write](page, service_index)
    kwargs = {"content_type": "application/json"} if payload is not None else {}
    response = getattr(client, method)(
        url, payload, **kwargs, **bearer(request.getfixturevalue(who))
    )
    assert 400 <= response.status_code < 500, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    assert set(Page.objects.live().values_list("pk", flat=True)) == live_before


@pytest.mark.parametrize(
    "model",
    [m for m in apps.get_models() if getattr(m, "is_clinical", False)],
    ids=lambda model: model.__name__,
)
def test_every_field_of_a_clinical_page_is_clinical_unless_named_otherwise(model):
    """A new field is reviewed content by default: forgetting it is caught here."""
    wagtail_fields = {field.name for field in Page._meta.get_fields()} - {"title"}
    own = {
        field.name
        for field in model._meta.concrete_fields
        if field.editable and field.name not in wagtail_fields
    }
    own |= {field.name for field in model._meta.many_to_many}
    own |= {relation.name for relation in get_all_child_relations(model)}
    # Wagtail's own: the parent link, the rows behind ``tags``, admin comments.
    own -= {"page_ptr", "tagged_items", "wagtail_admin_comments"}
    classified = set(model.clinical_fields) | set(model.non_clinical_fields)
    assert own - classified == set()
